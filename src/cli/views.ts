// The server's objects as the CLI sees them (SPEC §4) and how `--format simple` shows each one.
import { compact, pretty, type Output } from "./output";

export interface ExecutionEvent {
  id: number;
  type: string;
  source_id: string;
  name: string;
  value: unknown;
  time: string;
}

export interface ExecutionView {
  workflow_id: string;
  workflow_name: string;
  execution_id: string;
  workflow_version?: number;
  parent_execution_id?: string | null;
  input: unknown;
  output: unknown;
  state: string;
  created_at: string | null;
  updated_at: string | null;
  events?: ExecutionEvent[];
}

export const TERMINAL_STATES = new Set(["COMPLETED", "FAILED", "CANCELLED"]);
export const FAILED_STATES = new Set(["FAILED", "CANCELLED"]);

export function showExecution(out: Output, view: ExecutionView): void {
  const version = view.workflow_version === undefined ? "" : ` v${view.workflow_version}`;
  const pairs: [string, string][] = [
    ["Execution", view.execution_id],
    ["Workflow", `${view.workflow_name}${version}`],
    ["State", out.state(view.state)],
    ["Input", pretty(view.input)],
    ["Output", pretty(view.output)],
    ["Created", view.created_at ?? ""],
    ["Updated", view.updated_at ?? ""],
  ];
  if (view.parent_execution_id) pairs.push(["Parent", view.parent_execution_id]);
  out.keyValues(pairs);
  if (view.events !== undefined) {
    out.line();
    out.line(out.style("bold", `Events (${view.events.length})`));
    out.table(
      ["TIME", "TYPE", "NAME", "VALUE"],
      view.events.map((e) => [e.time, e.type, e.name, compact(e.value, 60)]),
    );
  }
}

/** A row of GET /executions (the server's own type; type-only import). */
import type { IndexItem } from "../worker/services/executions";
export type { IndexItem };

export function showExecutionTable(out: Output, items: IndexItem[]): void {
  out.table(
    ["EXECUTION", "WORKFLOW", "VERSION", "STATE", "CREATED", "UPDATED"],
    items.map((i) => [
      i.execution_id,
      i.workflow_name,
      String(i.workflow_version),
      out.state(i.state),
      i.created_at,
      i.updated_at,
    ]),
    "(no executions)",
  );
}
