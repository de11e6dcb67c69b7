// What crosses the Worker ⇄ ExecutionDO RPC boundary. Errors travel as values (RPC keeps only message
// text for custom classes), and the Worker turns them into HTTP in its one error handler.
import type { ExecutionEvent, ExecutionSummary, Json } from "../engine/index.ts";

export interface StartRequest {
  executionId: string;
  workflowName: string;
  workflowVersion: number;
  input: Json;
  parentExecutionId?: string | null;
  idempotencyKey?: string | null;
  /** sync mode: answer once the execution is COMPLETED, FAILED, CANCELLED or PAUSED. */
  wait?: boolean;
  detailed?: boolean;
}

export interface ExecutionView extends ExecutionSummary {
  workflow_version: number;
  parent_execution_id: string | null;
  events?: ExecutionEvent[];
  /** Detailed views list the executions this one started with call(). */
  children?: { execution_id: string; workflow_name: string; mode: string }[];
}

export type RpcErrorCode = "not_found" | "invalid_state" | "finished" | "workflow_unavailable";

export interface RpcError {
  code: RpcErrorCode;
  message: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: RpcError };

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const err = (code: RpcErrorCode, message: string): Outcome<never> => ({ ok: false, error: { code, message } });
