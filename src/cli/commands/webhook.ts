// `flux webhook …`: inbound webhooks (/admin/webhooks; SPEC §5). Senders sign with the header
// `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`; the secret is never shown again.
import { Command, Option } from "commander";
import { contextOf, type Context } from "../context";

interface Webhook {
  name: string;
  workflow: string;
  signature: string;
  header: string;
  tolerance_s: number;
  delivery_id_header: string | null;
  input: string;
  has_secret: boolean;
  url_path: string;
  created_at: string;
  updated_at: string;
}

interface CreateOptions {
  secret?: string;
  header?: string;
  tolerance?: string;
  deliveryIdHeader?: string;
  input: string;
}

function show(ctx: Context, w: Webhook): void {
  if (ctx.out.json) return ctx.out.printJson(w);
  ctx.out.keyValues([
    ["name", w.name],
    ["workflow", w.workflow],
    ["url", `${ctx.config.serverUrl}${w.url_path}`],
    [
      "signed",
      w.has_secret ? `${w.signature} in header ${w.header} (t=<unix>,v1=<hex>), ±${w.tolerance_s}s` : "no",
    ],
    ["delivery id header", w.delivery_id_header ?? "-"],
    ["input", w.input],
  ]);
}

async function create(name: string, workflow: string, opts: CreateOptions, command: Command): Promise<void> {
  const ctx = contextOf(command);
  const body: Record<string, unknown> = { name, workflow, input: opts.input };
  if (opts.secret !== undefined) body.secret = opts.secret;
  if (opts.header !== undefined) body.header = opts.header;
  if (opts.tolerance !== undefined) body.tolerance_s = Number(opts.tolerance);
  if (opts.deliveryIdHeader !== undefined) body.delivery_id_header = opts.deliveryIdHeader;
  show(ctx, await ctx.client.json<Webhook>("POST", "/admin/webhooks", { json: body }));
}

async function list(_opts: unknown, command: Command): Promise<void> {
  const ctx = contextOf(command);
  const items = await ctx.client.json<Webhook[]>("GET", "/admin/webhooks");
  if (ctx.out.json) return ctx.out.printJson(items);
  ctx.out.table(
    ["NAME", "WORKFLOW", "SIGNED", "INPUT", "PATH"],
    items.map((w) => [w.name, w.workflow, w.has_secret ? "yes" : "no", w.input, w.url_path]),
    "(no webhooks)",
  );
}

async function remove(name: string, _opts: unknown, command: Command): Promise<void> {
  const ctx = contextOf(command);
  await ctx.client.send("DELETE", `/admin/webhooks/${encodeURIComponent(name)}`);
  if (ctx.out.json) return ctx.out.printJson({ name, deleted: true });
  ctx.out.line(`webhook ${name} deleted`);
}

export function webhookCommand(): Command {
  const cmd = new Command("webhook").description("Manage inbound webhooks that start workflows");
  cmd
    .command("create")
    .description("Create or replace a webhook (POST /webhooks/NAME then starts WORKFLOW)")
    .argument("<name>", "webhook name")
    .argument("<workflow>", "workflow to start")
    .option(
      "--secret <secret>",
      "HMAC-SHA256 signing secret (≥ 16 characters); without it deliveries are unsigned",
    )
    .option("--header <name>", "signature header (default X-Flux-Signature)")
    .option("--tolerance <seconds>", "allowed clock skew of the signature timestamp (default 300)")
    .option(
      "--delivery-id-header <name>",
      "header with the sender's delivery id (repeats return the same execution)",
    )
    .addOption(
      new Option("--input <mode>", "body: the JSON body; envelope: {webhook, delivery_id, headers, body}")
        .choices(["body", "envelope"])
        .default("body"),
    )
    .action(create);
  cmd.command("list").description("List webhooks (secrets are never shown)").action(list);
  cmd.command("delete").description("Delete a webhook").argument("<name>", "webhook name").action(remove);
  return cmd;
}
