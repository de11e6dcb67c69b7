// `flux secrets …`: encrypted secrets on the server (/admin/secrets; admin token). Values are sent as raw
// strings, never parsed; `-` as VALUE reads it from stdin so it stays out of shell history.
import { Command } from "commander";
import { contextOf } from "../context";

interface SecretInfo {
  name: string;
  created_at: string;
  updated_at: string;
}

const path = (name: string): string => `/admin/secrets/${encodeURIComponent(name)}`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

async function list(_opts: unknown, command: Command): Promise<void> {
  const ctx = contextOf(command);
  const items = await ctx.client.json<SecretInfo[]>("GET", "/admin/secrets");
  if (ctx.out.json) return ctx.out.printJson(items);
  ctx.out.table(
    ["NAME", "CREATED", "UPDATED"],
    items.map((s) => [s.name, s.created_at, s.updated_at]),
    "(no secrets)",
  );
}

async function set(name: string, value: string, _opts: unknown, command: Command): Promise<void> {
  const ctx = contextOf(command);
  const secret = value === "-" ? await readStdin() : value;
  const info = await ctx.client.json<SecretInfo>("POST", "/admin/secrets", { json: { name, value: secret } });
  if (ctx.out.json) return ctx.out.printJson(info);
  ctx.out.line(`secret ${info.name} saved`);
}

async function get(name: string, _opts: unknown, command: Command): Promise<void> {
  const ctx = contextOf(command);
  const secret = await ctx.client.json<SecretInfo & { value: string }>("GET", path(name));
  if (ctx.out.json) return ctx.out.printJson(secret);
  ctx.out.line(secret.value);
}

async function remove(name: string, _opts: unknown, command: Command): Promise<void> {
  const ctx = contextOf(command);
  await ctx.client.send("DELETE", path(name));
  if (ctx.out.json) return ctx.out.printJson({ name, deleted: true });
  ctx.out.line(`secret ${name} removed`);
}

export function secretsCommand(): Command {
  const cmd = new Command("secrets").description("Manage encrypted secrets (admin token)");
  cmd.command("list").description("List secret names (never values)").action(list);
  cmd
    .command("set")
    .description("Create or update a secret")
    .argument("<name>", "secret name (A-Z a-z 0-9 _ . -)")
    .argument("<value>", "the value as a string; `-` reads it from stdin")
    .action(set);
  cmd.command("get").description("Print a secret's value").argument("<name>", "secret name").action(get);
  cmd.command("remove").description("Delete a secret").argument("<name>", "secret name").action(remove);
  return cmd;
}
