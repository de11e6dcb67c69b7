// Execution use cases for the REST API: run, resume, cancel, status, stream, list. Each talks to the execution's
// Durable Object (the source of truth) and reads the D1 index only to list or to locate. Everything a request
// could get wrong is checked before an execution is created, so a rejected request writes nothing.
import { createDb, listExecutions, type ExecutionRow } from "../../db/index";
import type { CallOptions, ExecutionView, Outcome, StartRequest } from "../../durable-objects/index";
import type { ExecutionState, Json } from "../../engine/index";
import type { Env } from "../env";
import { NotFoundError } from "../errors";
import { idempotentExecutionId, randomExecutionId, scopedIdempotencyKey } from "./execution-ids";
import { unwrap } from "./outcome";
import { checkInput, runTarget } from "./workflows";

export type Mode = "sync" | "async" | "stream";

/** What a run/resume/cancel hands back: a view (sync/async) or an SSE byte stream (stream). */
export type Delivery =
  | { kind: "view"; view: ExecutionView; created: boolean }
  | { kind: "stream"; executionId: string; body: ReadableStream<Uint8Array>; created: boolean };

export interface RunRequest {
  workflow: string;
  mode: Mode;
  input: Json;
  version?: number;
  detailed: boolean;
  idempotencyKey?: string;
}

export interface IndexItem {
  execution_id: string;
  workflow_name: string;
  workflow_version: number;
  state: string;
  parent_execution_id: string | null;
  created_at: string;
  updated_at: string;
}

/** The ExecutionDO's RPC surface as plain types (the generated Rpc stub types are too deep for tsc here). */
interface Stub {
  start(request: StartRequest): Promise<Outcome<{ created: boolean; execution: ExecutionView }>>;
  resume(input: unknown, options: CallOptions): Promise<Outcome<ExecutionView>>;
  cancel(options: CallOptions): Promise<Outcome<ExecutionView>>;
  status(detailed: boolean): Promise<Outcome<ExecutionView>>;
  stream(detailed: boolean): Promise<Outcome<ReadableStream<Uint8Array>>>;
}

const stubFor = (env: Env, executionId: string): Stub =>
  env.EXECUTIONS.get(env.EXECUTIONS.idFromName(executionId)) as unknown as Stub;

function executionNotFound(executionId: string, workflow?: string): NotFoundError {
  const of = workflow ? ` of workflow ${workflow}` : "";
  return new NotFoundError(`Execution ${executionId}${of} not found`, "execution_not_found");
}


/** zod issues → [{path, message}]; anything else is passed on as it is. */

async function deliver(
  stub: Stub,
  executionId: string,
  mode: Mode,
  detailed: boolean,
  view: ExecutionView,
  created: boolean,
): Promise<Delivery> {
  if (mode !== "stream") return { kind: "view", view, created };
  const body = unwrap(await stub.stream(detailed));
  return { kind: "stream", executionId, body, created };
}

export async function run(env: Env, request: RunRequest): Promise<Delivery> {
  const target = await runTarget(env, request.workflow, request.version);
  const input = await checkInput(env, target, request.input);
  const key = request.idempotencyKey;
  const executionId =
    key === undefined ? randomExecutionId() : await idempotentExecutionId(request.workflow, key);
  const stub = stubFor(env, executionId);
  const started = unwrap(
    await stub.start({
      executionId,
      workflowName: request.workflow,
      workflowVersion: target.row.version,
      input,
      idempotencyKey: key === undefined ? null : scopedIdempotencyKey(request.workflow, key),
      wait: request.mode === "sync",
      detailed: request.detailed,
    }),
  );
  return deliver(stub, executionId, request.mode, request.detailed, started.execution, started.created);
}


export async function resume(
  env: Env,
  request: { workflow: string; executionId: string; mode: Mode; input: Json; detailed: boolean },
): Promise<Delivery> {
  // The object itself refuses an execution of another workflow: no D1 lookup on the resume path.
  const stub = stubFor(env, request.executionId);
  const view = unwrap(
    await stub.resume(request.input, {
      wait: request.mode === "sync",
      detailed: request.detailed,
      workflow: request.workflow,
    }),
  );
  return deliver(stub, request.executionId, request.mode, request.detailed, view, false);
}

export async function cancel(
  env: Env,
  request: { workflow?: string; executionId: string; mode: "sync" | "async"; detailed: boolean },
): Promise<ExecutionView> {
  const stub = stubFor(env, request.executionId);
  return unwrap(
    await stub.cancel({ wait: request.mode === "sync", detailed: request.detailed, workflow: request.workflow }),
  );
}

/** The Durable Object's view (it also repairs a stale D1 row as a side effect). */
export async function status(
  env: Env,
  request: { workflow?: string; executionId: string; detailed: boolean },
): Promise<ExecutionView> {
  const view = unwrap(await stubFor(env, request.executionId).status(request.detailed));
  if (request.workflow !== undefined && view.workflow_name !== request.workflow) {
    throw executionNotFound(request.executionId, request.workflow);
  }
  return view;
}

export async function stream(
  env: Env,
  request: { executionId: string; detailed: boolean },
): Promise<ReadableStream<Uint8Array>> {
  return unwrap(await stubFor(env, request.executionId).stream(request.detailed));
}

export async function list(
  env: Env,
  filter: { workflow?: string; state?: ExecutionState; limit?: number; cursor?: string },
): Promise<{ items: IndexItem[]; next_cursor: string | null }> {
  const page = await listExecutions(createDb(env.DB), filter);
  return { items: page.items.map(indexItem), next_cursor: page.next_cursor };
}

function indexItem(row: ExecutionRow): IndexItem {
  return {
    execution_id: row.id,
    workflow_name: row.workflowName,
    workflow_version: row.workflowVersion,
    state: row.state,
    parent_execution_id: row.parentExecutionId,
    created_at: new Date(row.createdAt).toISOString(),
    updated_at: new Date(row.updatedAt).toISOString(),
  };
}
