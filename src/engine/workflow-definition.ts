// The plain shape of a workflow as the engine runs it (authoring helpers in workflow.ts build it).
import type { Duration } from "./duration.ts";
import type { ExecutionContext } from "./execution-context.ts";

/** Anything with zod's `safeParse` (the engine does not depend on zod itself). */
export interface InputSchema {
  safeParse(value: unknown): { success: true; data?: unknown } | { success: false; error: { issues?: unknown; message?: string } };
}

export interface WorkflowOptions {
  name?: string;
  namespace?: string;
  secretRequests?: string[];
  outputStorage?: "inline" | "r2";
  /** Wall-clock limit across suspensions; exceeded → WORKFLOW_FAILED(ExecutionTimeoutError). */
  timeout?: Duration;
  schedule?: unknown;
  description?: string;
  inputSchema?: InputSchema;
}

export interface WorkflowDefinition {
  readonly name: string;
  readonly namespace: string;
  readonly options: Readonly<WorkflowOptions>;
  /** Typed with `never` so that every workflow's own ExecutionContext<I, O> parameter is accepted. */
  readonly fn: (ctx: ExecutionContext<never, never>) => unknown;
}
