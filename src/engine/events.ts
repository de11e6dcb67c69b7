// The event log's vocabulary (SPEC §3.2, Flux's names). Stored names never change meaning: add, don't edit.
import type { Json } from "./codec.ts";

export const WorkflowEvents = [
  "WORKFLOW_SCHEDULED",
  "WORKFLOW_CLAIMED",
  "WORKFLOW_STARTED",
  "WORKFLOW_COMPLETED",
  "WORKFLOW_FAILED",
  "WORKFLOW_PAUSED",
  "WORKFLOW_RESUMING",
  "WORKFLOW_RESUMED",
  "WORKFLOW_CANCELLING",
  "WORKFLOW_CANCELLED",
] as const;

export const TaskEvents = [
  "TASK_STARTED",
  "TASK_COMPLETED",
  "TASK_FAILED",
  "TASK_CANCELLED",
  "TASK_PAUSED",
  "TASK_RESUMED",
  "TASK_RETRY_STARTED",
  "TASK_RETRY_COMPLETED",
  "TASK_RETRY_FAILED",
  "TASK_FALLBACK_STARTED",
  "TASK_FALLBACK_COMPLETED",
  "TASK_FALLBACK_FAILED",
  "TASK_ROLLBACK_STARTED",
  "TASK_ROLLBACK_COMPLETED",
  "TASK_ROLLBACK_FAILED",
] as const;

export type WorkflowEventType = (typeof WorkflowEvents)[number];
export type TaskEventType = (typeof TaskEvents)[number];
export type EventType = WorkflowEventType | TaskEventType;

/** One entry of the append-only log. `id` is the 1-based position in its execution's log. */
export interface ExecutionEvent {
  id: number;
  type: EventType;
  source_id: string;
  name: string;
  value: Json;
  time: string;
}

export const ExecutionStates = [
  "CREATED",
  "SCHEDULED",
  "CLAIMED",
  "RUNNING",
  "PAUSED",
  "RESUMING",
  "COMPLETED",
  "FAILED",
  "CANCELLING",
  "CANCELLED",
] as const;
export type ExecutionState = (typeof ExecutionStates)[number];

export const TerminalStates: ReadonlySet<ExecutionState> = new Set(["COMPLETED", "FAILED", "CANCELLED"]);

const stateAfter: Partial<Record<EventType, ExecutionState>> = {
  WORKFLOW_SCHEDULED: "SCHEDULED",
  WORKFLOW_CLAIMED: "CLAIMED",
  WORKFLOW_STARTED: "RUNNING",
  WORKFLOW_COMPLETED: "COMPLETED",
  WORKFLOW_FAILED: "FAILED",
  WORKFLOW_PAUSED: "PAUSED",
  WORKFLOW_RESUMING: "RESUMING",
  WORKFLOW_RESUMED: "RUNNING",
  WORKFLOW_CANCELLING: "CANCELLING",
  WORKFLOW_CANCELLED: "CANCELLED",
};

export function isTerminal(state: ExecutionState): boolean {
  return TerminalStates.has(state);
}

export function isWorkflowEvent(type: EventType): type is WorkflowEventType {
  return type.startsWith("WORKFLOW_");
}

/**
 * The state is a pure function of the log: the last WORKFLOW_* event decides it (sibling tasks may still
 * append TASK_* events after it). A terminal event is final even if something wrote after it.
 */
export function stateOf(events: readonly ExecutionEvent[]): ExecutionState {
  let state: ExecutionState = "CREATED";
  for (const event of events) {
    const next = stateAfter[event.type];
    if (next === undefined) continue;
    if (TerminalStates.has(state)) break;
    state = next;
  }
  return state;
}

/** Incrementally tracked state, for hosts that append one event at a time. */
export function nextState(current: ExecutionState, type: EventType): ExecutionState {
  if (TerminalStates.has(current)) return current;
  return stateAfter[type] ?? current;
}
