// `flux schedule …`: schedules on the server (/schedules; SPEC §5). A schedule is one of --cron EXPR (with
// --timezone), --every SECONDS (with --start-at/--end-at) or --at ISO; INPUT follows the run rule (JSON when it
// parses, else a string; `-` stdin; `@file`).
import { Command, Option } from "commander";
import { contextOf, type Context } from "../context";
import { usageError } from "../errors";
import { resolveInput } from "../input";
import { compact } from "../output";
// The wire shapes are the server's own types (type-only: nothing of the server is bundled into the CLI).
import type { ScheduleHistory as History } from "../../triggers/schedules";
import type { ScheduleView as Schedule } from "../../triggers/schedule-state";



interface CreateOptions {
  cron?: string;
  timezone: string;
  every?: string;
  startAt?: string;
  endAt?: string;
  at?: string;
  overlap: string;
  description?: string;
}

const path = (id: string): string => `/schedules/${encodeURIComponent(id)}`;
const dash = (value: string | null | undefined): string => value ?? "-";

function describeSpec(spec: Record<string, unknown>): string {
  if (spec.type === "cron") return `cron "${String(spec.expression)}" ${String(spec.timezone)}`;
  if (spec.type === "interval") return `every ${String(spec.every_seconds)}s`;
  return `once at ${String(spec.at)}`;
}

function specFrom(opts: CreateOptions): Record<string, unknown> {
  const given = [opts.cron, opts.every, opts.at].filter((v) => v !== undefined).length;
  if (given !== 1) throw usageError("give exactly one of --cron EXPR, --every SECONDS or --at ISO-TIME");
  if (opts.cron !== undefined) return { type: "cron", expression: opts.cron, timezone: opts.timezone };
  if (opts.at !== undefined) return { type: "once", at: opts.at };
  const every = Number(opts.every);
  if (!Number.isInteger(every) || every < 1)
    throw usageError("--every must be a whole number of seconds ≥ 1");
  return {
    type: "interval",
    every_seconds: every,
    ...(opts.startAt === undefined ? {} : { start_at: opts.startAt }),
    ...(opts.endAt === undefined ? {} : { end_at: opts.endAt }),
  };
}

function show(ctx: Context, s: Schedule): void {
  if (ctx.out.json) return ctx.out.printJson(s);
  ctx.out.keyValues([
    ["id", s.id],
    ["name", s.name],
    ["workflow", s.workflow],
    ["schedule", describeSpec(s.schedule)],
    ["status", s.status],
    ["overlap", s.overlap],
    ["input", compact(s.input)],
    ["next run", dash(s.next_run_at)],
    ["last run", dash(s.last_run_at)],
    ["last execution", dash(s.last_execution_id)],
    ["runs / skips / failures", `${s.run_count} / ${s.skip_count} / ${s.failure_count}`],
    ...(s.description ? ([["description", s.description]] as [string, string][]) : []),
  ]);
}

async function create(
  workflow: string,
  name: string,
  input: string | undefined,
  opts: CreateOptions,
  command: Command,
) {
  const ctx = contextOf(command);
  const body: Record<string, unknown> = { workflow, name, schedule: specFrom(opts), overlap: opts.overlap };
  const value = await resolveInput(input);
  if (value !== undefined) body.input = value;
  if (opts.description !== undefined) body.description = opts.description;
  show(ctx, await ctx.client.json<Schedule>("POST", "/schedules", { json: body }));
}

async function list(opts: { workflow?: string; status?: string }, command: Command): Promise<void> {
  const ctx = contextOf(command);
  const items = await ctx.client.json<Schedule[]>("GET", "/schedules", {
    query: { workflow: opts.workflow, status: opts.status, limit: 200 },
  });
  if (ctx.out.json) return ctx.out.printJson(items);
  ctx.out.table(
    ["ID", "NAME", "WORKFLOW", "SCHEDULE", "STATUS", "NEXT RUN", "RUNS"],
    items.map((s) => [
      s.id,
      s.name,
      s.workflow,
      describeSpec(s.schedule),
      s.status,
      dash(s.next_run_at),
      String(s.run_count),
    ]),
    "(no schedules)",
  );
}

const byId =
  (method: "GET" | "POST", suffix = "") =>
  async (id: string, _opts: unknown, command: Command): Promise<void> => {
    const ctx = contextOf(command);
    show(ctx, await ctx.client.json<Schedule>(method, `${path(id)}${suffix}`));
  };

async function remove(id: string, _opts: unknown, command: Command): Promise<void> {
  const ctx = contextOf(command);
  await ctx.client.send("DELETE", path(id));
  if (ctx.out.json) return ctx.out.printJson({ id, deleted: true });
  ctx.out.line(`schedule ${id} deleted`);
}

async function history(id: string, opts: { limit: string }, command: Command): Promise<void> {
  const ctx = contextOf(command);
  const page = await ctx.client.json<History>("GET", `${path(id)}/history`, { query: { limit: opts.limit } });
  if (ctx.out.json) return ctx.out.printJson(page);
  ctx.out.table(
    ["SCHEDULED AT", "OUTCOME", "EXECUTION", "STATE", "MESSAGE"],
    page.entries.map((e) => [
      e.scheduled_at,
      e.outcome,
      dash(e.execution_id),
      e.state === null ? "-" : ctx.out.state(e.state),
      dash(e.message),
    ]),
    "(no fires yet)",
  );
}

export function scheduleCommand(): Command {
  const cmd = new Command("schedule").description(
    "Manage schedules that start workflows (cron, interval, once)",
  );
  cmd
    .command("create")
    .description("Create a schedule")
    .argument("<workflow>", "workflow name")
    .argument("<name>", "schedule name (unique)")
    .argument("[input]", "input: JSON when it parses, else a string; `-` stdin; `@file`")
    .option("--cron <expr>", 'cron expression, 5 fields or 6 with seconds (e.g. "0 9 * * 1-5")')
    .option("--timezone <tz>", "IANA timezone for --cron", "UTC")
    .option("--every <seconds>", "fixed interval in seconds")
    .option("--start-at <iso>", "first slot of --every")
    .option("--end-at <iso>", "no slot of --every at or after this time")
    .option("--at <iso>", "fire once at this time")
    .addOption(
      new Option("--overlap <policy>", "skip: no new run while the previous one is running")
        .choices(["skip", "allow"])
        .default("skip"),
    )
    .option("-d, --description <text>", "description")
    .action(create);
  cmd
    .command("list")
    .description("List schedules")
    .option("-w, --workflow <name>", "only this workflow's schedules")
    .addOption(new Option("--status <status>").choices(["active", "paused", "completed"]))
    .action(list);
  cmd.command("show").description("Show a schedule").argument("<id>", "schedule id").action(byId("GET"));
  cmd
    .command("pause")
    .description("Pause a schedule")
    .argument("<id>", "schedule id")
    .action(byId("POST", "/pause"));
  cmd
    .command("resume")
    .description("Resume a paused schedule (slots missed while paused are not fired)")
    .argument("<id>", "schedule id")
    .action(byId("POST", "/resume"));
  cmd
    .command("delete")
    .description("Delete a schedule (its runs are kept)")
    .argument("<id>", "schedule id")
    .action(remove);
  cmd
    .command("history")
    .description("Fires of a schedule, newest first")
    .argument("<id>", "schedule id")
    .option("-l, --limit <n>", "entries", "20")
    .action(history);
  return cmd;
}
