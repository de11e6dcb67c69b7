// `flux execution …`: the execution index (list, with filters and cursor pages) and one execution by id.
import { Command, Option } from "commander";
import { contextOf } from "../context";
import { ExitCode, serverError } from "../errors";
import { executionState, positiveInt } from "../options";
import { followStream } from "../stream";
import {
  FAILED_STATES,
  showExecution,
  showExecutionTable,
  type ExecutionView,
  type IndexItem,
} from "../views";

interface ListOptions {
  workflow?: string;
  state?: string;
  limit?: number;
  cursor?: string;
}

async function list(opts: ListOptions, command: Command): Promise<void> {
  const ctx = contextOf(command);
  const page = await ctx.client.json<{ items: IndexItem[]; next_cursor: string | null }>(
    "GET",
    "/executions",
    {
      query: { workflow: opts.workflow, state: opts.state, limit: opts.limit, cursor: opts.cursor },
    },
  );
  if (ctx.out.json) return ctx.out.printJson(page);
  showExecutionTable(ctx.out, page.items);
  if (page.next_cursor)
    ctx.out.line(ctx.out.style("dim", `more: flux execution list --cursor ${page.next_cursor}`));
}

async function show(
  id: string,
  opts: { detailed?: boolean; follow?: boolean },
  command: Command,
): Promise<void> {
  const ctx = contextOf(command);
  const path = `/executions/${encodeURIComponent(id)}`;
  if (opts.follow) {
    const frames = ctx.client.events("GET", path, { query: { detailed: opts.detailed, mode: "stream" } });
    const view = await followStream(ctx.out, frames, { resuming: true });
    if (view === undefined) throw serverError("the stream closed before any execution state arrived");
    if (FAILED_STATES.has(view.state)) process.exitCode = ExitCode.workflowFailed;
    return;
  }
  const view = await ctx.client.json<ExecutionView>("GET", path, { query: { detailed: opts.detailed } });
  if (ctx.out.json) return ctx.out.printJson(view);
  showExecution(ctx.out, view);
}

export function executionCommand(): Command {
  const cmd = new Command("execution").description("List and inspect executions");
  cmd
    .command("list")
    .description("List executions, newest first")
    .option("-w, --workflow <name>", "only this workflow")
    .addOption(
      new Option("-s, --state <state>", "only this state (RUNNING, PAUSED, COMPLETED, FAILED, …)").argParser(
        executionState,
      ),
    )
    .option("-l, --limit <n>", "page size (server default 50)", positiveInt)
    .option("--cursor <cursor>", "the next page (printed after a full page)")
    .action(list);
  cmd
    .command("show")
    .description("Show one execution")
    .argument("<execution-id>", "execution id")
    .option("-d, --detailed", "include the event history")
    .option("--follow", "follow live state changes until it ends or pauses (exit 1 if FAILED/CANCELLED)")
    .action(show);
  return cmd;
}
