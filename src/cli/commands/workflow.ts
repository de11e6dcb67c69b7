// `flux workflow …`: the registry (list, register, show, versions, delete) and executions addressed through
// their workflow (run, resume, status, cancel).
import { basename } from "node:path";
import { Command, Option } from "commander";
import { bundleWorkflowFile } from "../bundle";
import { contextOf, type Context } from "../context";
import { ExitCode, serverError } from "../errors";
import { resolveInput } from "../input";
import { modeOption, positiveInt, type RunMode } from "../options";
import { compact, pretty } from "../output";
import { followStream } from "../stream";
import { FAILED_STATES, showExecution, type ExecutionView } from "../views";

interface WorkflowItem {
  name: string;
  namespace: string;
  version: number;
  description: string | null;
}
interface WorkflowVersion {
  name: string;
  version: number;
  hash: string;
  source_kind: string;
  created_at: string;
}
interface WorkflowDetail extends WorkflowVersion {
  namespace: string;
  versions: number[];
  metadata: {
    task_names: string[];
    secret_requests: string[];
    description: string | null;
    input_schema: unknown;
  } | null;
}
interface Registered {
  name: string;
  namespace: string;
  version: number;
  hash: string;
  created: boolean;
}

const seg = encodeURIComponent;

/** Exit 1 when the execution ended FAILED or CANCELLED. */
function exitFor(view: ExecutionView | undefined): void {
  if (view !== undefined && FAILED_STATES.has(view.state)) process.exitCode = ExitCode.workflowFailed;
}

async function deliver(
  ctx: Context,
  path: string,
  mode: RunMode,
  options: { input: unknown; detailed?: boolean; version?: number; headers?: Record<string, string> },
  resuming: boolean,
): Promise<void> {
  const request = {
    query: { detailed: options.detailed, version: options.version },
    json: options.input,
    headers: options.headers,
  };
  if (mode === "stream") {
    const view = await followStream(ctx.out, ctx.client.events("POST", `${path}/stream`, request), {
      resuming,
    });
    if (view === undefined) throw serverError("the stream closed before any execution state arrived");
    exitFor(view);
    return;
  }
  const view = await ctx.client.json<ExecutionView>("POST", `${path}/${mode}`, request);
  if (ctx.out.json) ctx.out.printJson(view);
  else showExecution(ctx.out, view);
  if (mode === "sync") exitFor(view);
}

async function list(_opts: unknown, command: Command): Promise<void> {
  const ctx = contextOf(command);
  const items = await ctx.client.json<WorkflowItem[]>("GET", "/workflows");
  if (ctx.out.json) return ctx.out.printJson(items);
  ctx.out.table(
    ["NAME", "NAMESPACE", "VERSION", "DESCRIPTION"],
    items.map((w) => [w.name, w.namespace, String(w.version), compact(w.description ?? "", 60)]),
    "(no workflows)",
  );
}

async function register(file: string, _opts: unknown, command: Command): Promise<void> {
  const ctx = contextOf(command);
  const source = await bundleWorkflowFile(file);
  const form = new FormData();
  const name = basename(file).replace(/\.(m?ts)$/i, ".js");
  form.set("file", new Blob([source], { type: "text/javascript" }), name);
  const registered = await ctx.client.json<Registered[]>("POST", "/workflows", { form });
  if (ctx.out.json) return ctx.out.printJson(registered);
  ctx.out.table(
    ["NAME", "NAMESPACE", "VERSION", "STATUS"],
    registered.map((w) => [
      w.name,
      w.namespace,
      String(w.version),
      w.created ? ctx.out.style("green", "registered") : ctx.out.style("dim", "unchanged"),
    ]),
  );
}

async function show(name: string, opts: { version?: number }, command: Command): Promise<void> {
  const ctx = contextOf(command);
  let detail = await ctx.client.json<WorkflowDetail>("GET", `/workflows/${seg(name)}`, {
    query: { version: opts.version },
  });
  if (opts.version !== undefined && detail.version !== opts.version) {
    // GET /workflows/{name} describes the latest version only; an older one is shown from the versions list
    // (no metadata: the server keeps that per version but does not serve it yet).
    const versions = await ctx.client.json<WorkflowVersion[]>("GET", `/workflows/${seg(name)}/versions`);
    const entry = versions.find((v) => v.version === opts.version);
    if (entry === undefined) throw serverError(`workflow ${name} has no version ${opts.version}`);
    detail = { ...entry, namespace: detail.namespace, versions: detail.versions, metadata: null };
  }
  if (ctx.out.json) return ctx.out.printJson(detail);
  const meta = detail.metadata;
  const pairs: [string, string][] = [
    ["Name", detail.name],
    ["Namespace", detail.namespace],
    ["Version", String(detail.version)],
    ["Versions", detail.versions.join(", ")],
    ["Source", detail.source_kind],
    ["Hash", detail.hash],
    ["Created", detail.created_at],
  ];
  if (meta) {
    pairs.push(
      ["Description", meta.description ?? ""],
      ["Tasks", meta.task_names.join(", ")],
      ["Secrets", meta.secret_requests.join(", ")],
      ["Input schema", meta.input_schema == null ? "" : pretty(meta.input_schema)],
    );
  }
  ctx.out.keyValues(pairs);
}

async function versions(name: string, _opts: unknown, command: Command): Promise<void> {
  const ctx = contextOf(command);
  const items = await ctx.client.json<WorkflowVersion[]>("GET", `/workflows/${seg(name)}/versions`);
  if (ctx.out.json) return ctx.out.printJson(items);
  ctx.out.table(
    ["VERSION", "SOURCE", "HASH", "CREATED"],
    items.map((v) => [String(v.version), v.source_kind, v.hash.slice(0, 12), v.created_at]),
  );
}

async function remove(
  name: string,
  opts: { version?: number; force?: boolean },
  command: Command,
): Promise<void> {
  const ctx = contextOf(command);
  const result = await ctx.client.json<{ name: string; deleted_versions: number }>(
    "DELETE",
    `/workflows/${seg(name)}`,
    { query: { version: opts.version, force: opts.force } },
  );
  if (ctx.out.json) return ctx.out.printJson(result);
  const what = opts.version === undefined ? "all versions" : `version ${opts.version}`;
  ctx.out.line(`deleted ${what} of ${result.name} (${result.deleted_versions} version(s))`);
}

interface RunOptions {
  mode: RunMode;
  version?: number;
  detailed?: boolean;
  idempotencyKey?: string;
}

async function run(
  name: string,
  input: string | undefined,
  opts: RunOptions,
  command: Command,
): Promise<void> {
  const ctx = contextOf(command);
  const body = await resolveInput(input);
  const headers = opts.idempotencyKey ? { "Idempotency-Key": opts.idempotencyKey } : undefined;
  await deliver(
    ctx,
    `/workflows/${seg(name)}/run`,
    opts.mode,
    { input: body, detailed: opts.detailed, version: opts.version, headers },
    false,
  );
}

async function resume(
  name: string,
  id: string,
  input: string | undefined,
  opts: RunOptions,
  command: Command,
): Promise<void> {
  const ctx = contextOf(command);
  const body = await resolveInput(input);
  await deliver(
    ctx,
    `/workflows/${seg(name)}/resume/${seg(id)}`,
    opts.mode,
    { input: body, detailed: opts.detailed },
    true,
  );
}

async function status(
  name: string,
  id: string,
  opts: { detailed?: boolean },
  command: Command,
): Promise<void> {
  const ctx = contextOf(command);
  const view = await ctx.client.json<ExecutionView>("GET", `/workflows/${seg(name)}/status/${seg(id)}`, {
    query: { detailed: opts.detailed },
  });
  if (ctx.out.json) return ctx.out.printJson(view);
  showExecution(ctx.out, view);
}

async function cancel(
  name: string,
  id: string,
  opts: { mode: "sync" | "async"; detailed?: boolean },
  command: Command,
): Promise<void> {
  const ctx = contextOf(command);
  const view = await ctx.client.json<ExecutionView>("GET", `/workflows/${seg(name)}/cancel/${seg(id)}`, {
    query: { mode: opts.mode, detailed: opts.detailed },
  });
  if (ctx.out.json) return ctx.out.printJson(view);
  showExecution(ctx.out, view);
}

const INPUT_HELP = "JSON if it parses, else a string; `-` reads stdin; `@file.json` reads a file";

export function workflowCommand(): Command {
  const cmd = new Command("workflow").description("Register, inspect and run workflows");
  cmd.command("list").description("List workflows (latest version of each)").action(list);
  cmd
    .command("register")
    .description("Bundle a .ts/.js workflow module with esbuild (`flux` stays external) and upload it")
    .argument("<file>", "the module; each exported workflow becomes a new version")
    .action(register);
  cmd
    .command("show")
    .description("Show a workflow's version and metadata")
    .argument("<name>", "workflow name")
    .option("--version <n>", "a specific version (default: latest)", positiveInt)
    .action(show);
  cmd
    .command("versions")
    .description("List a workflow's versions")
    .argument("<name>", "workflow name")
    .action(versions);
  cmd
    .command("delete")
    .description("Delete an uploaded workflow (all versions, or one)")
    .argument("<name>", "workflow name")
    .option("--version <n>", "delete only this version", positiveInt)
    .option("--force", "delete even while runs pinned to it are in flight")
    .action(remove);
  cmd
    .command("run")
    .description("Start an execution (exit 1 if it ends FAILED or CANCELLED)")
    .argument("<name>", "workflow name")
    .argument("[input]", INPUT_HELP)
    .addOption(
      modeOption("sync waits (until done or paused), async returns at once, stream shows live progress"),
    )
    .option("--version <n>", "run this version (default: latest)", positiveInt)
    .option("-d, --detailed", "include the event history")
    .option("--idempotency-key <key>", "a retry with the same key returns the same execution")
    .action(run);
  cmd
    .command("resume")
    .description("Resume a paused execution with input")
    .argument("<name>", "workflow name")
    .argument("<execution-id>", "execution id")
    .argument("[input]", INPUT_HELP)
    .addOption(modeOption("sync waits, async returns at once, stream shows live progress"))
    .option("-d, --detailed", "include the event history")
    .action(resume);
  cmd
    .command("status")
    .description("Show an execution of a workflow")
    .argument("<name>", "workflow name")
    .argument("<execution-id>", "execution id")
    .option("-d, --detailed", "include the event history")
    .action(status);
  cmd
    .command("cancel")
    .description("Cancel an execution")
    .argument("<name>", "workflow name")
    .argument("<execution-id>", "execution id")
    .addOption(
      new Option("-m, --mode <mode>", "sync waits until CANCELLED, async returns at once")
        .choices(["sync", "async"])
        .default("async"),
    )
    .option("-d, --detailed", "include the event history")
    .action(cancel);
  return cmd;
}
