// The contract between an ExecutionDO and the sandboxed isolate that runs an uploaded workflow's code.
// The isolate runs the engine and checkpoints events to the object; the object stays the source of truth.
import type { ExecutionEvent, ExecutionState, Json } from "../engine/index.ts";

export interface WorkflowDescription {
  name: string;
  namespace: string;
  description: string | null;
  secret_requests: string[];
  timeout: number | string | null;
  input_schema: unknown;
  /** `workflow.withOptions({ schedule })`, as declared (plain JSON), or null. */
  schedule: unknown;
  /** The workflow declares an `inputSchema` (it lives in the code: inputs are validated in the sandbox). */
  has_input_schema: boolean;
}

export type InputVerdict = { ok: true; input: Json } | { ok: false; message: string; issues: Json };

export interface IsolateRunRequest {
  executionId: string;
  workflowName: string;
  workflowId: string;
  /** The whole stored log: the isolate replays it, then continues. */
  events: ExecutionEvent[];
  /** The input for a first start (ignored when the log already has WORKFLOW_STARTED). */
  input: Json;
}

/** What the object lends the isolate for one run (an RpcTarget on the object's side). */
export interface HostBridgeApi {
  /** New events, in order, ids continuing the log. */
  append(events: ExecutionEvent[]): void;
  /** A durable wait (a timer row behind the object's alarm). */
  waitUntil(at: number, reason: string, key: string): Promise<void>;
  clearTimer(reason: string, key: string): void;
  /** Only names the workflow's code declares in `secretRequests` are served. */
  secrets(names: string[]): Promise<Record<string, string>>;
  progress(update: { taskId: string; taskName: string; value: Json }): void;
  /** Start (or find) a child execution; sync waits for its result (see ChildWorkflows). */
  callChild(request: { workflow: string; input: Json; mode: "sync" | "async"; childId: string }): Promise<Json>;
  cancelChild(childId: string): void;
  /** Resolves when someone cancels this execution. */
  cancelled(): Promise<void>;
}

export interface SandboxEntrypointApi {
  describe(): Promise<WorkflowDescription[]>;
  validate(workflowName: string, input: Json): Promise<InputVerdict>;
  run(request: IsolateRunRequest, bridge: HostBridgeApi): Promise<{ state: ExecutionState }>;
}
