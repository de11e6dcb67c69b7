// An index of one execution's log by task id, so that replay costs O(1) per task call (SPEC §3.1), not a scan.
// It also remembers where a task's events sit, so a replayed task can account for the nested calls it made,
// and which recovery step (retry, fallback, rollback, pause/resume) a stopped run had reached.
import type { ExecutionEvent } from "./events.ts";

export interface TaskRecord {
  started?: ExecutionEvent;
  /** Log positions (0-based) of TASK_STARTED and of the terminal event. */
  startedAt?: number;
  terminalAt?: number;
  /** The first TASK_COMPLETED or TASK_FAILED: replay returns or throws it. */
  terminal?: ExecutionEvent;
  /** Highest attempt that recorded TASK_RETRY_FAILED, and the event itself. */
  lastRetryFailed?: ExecutionEvent;
  /** TASK_RETRY_STARTED of an attempt that has not finished yet. */
  openRetry?: ExecutionEvent;
  /** A retry attempt succeeded (its output is in the event) but TASK_COMPLETED was not written yet. */
  retryCompleted?: ExecutionEvent;
  fallbackStarted?: ExecutionEvent;
  fallbackDone?: ExecutionEvent;
  rollbackStarted?: ExecutionEvent;
  rollbackDone?: ExecutionEvent;
  /** The pause epoch (number of WORKFLOW_RESUMED before it) of this task's last TASK_PAUSED. */
  pausedEpoch?: number;
  /** TASK_RESUMED of a pause task: the resume input it received. */
  resumed?: ExecutionEvent;
}

export class LogIndex {
  private readonly tasks = new Map<string, TaskRecord>();
  private count = 0;
  /** How many times the execution was resumed (WORKFLOW_RESUMED events). */
  epoch = 0;
  /** A WORKFLOW_RESUMED whose input no pause has taken yet (no TASK_RESUMED after it). */
  pendingResume: ExecutionEvent | undefined;

  constructor(events: readonly ExecutionEvent[] = []) {
    for (const event of events) this.add(event);
  }

  get(taskId: string): TaskRecord | undefined {
    return this.tasks.get(taskId);
  }

  add(event: ExecutionEvent): void {
    const position = this.count++;
    if (event.type === "WORKFLOW_RESUMED") {
      this.epoch++;
      this.pendingResume = event;
    }
    if (!event.type.startsWith("TASK_")) return;
    let record = this.tasks.get(event.source_id);
    if (!record) {
      record = {};
      this.tasks.set(event.source_id, record);
    }
    switch (event.type) {
      case "TASK_STARTED":
        if (!record.started) {
          record.started = event;
          record.startedAt = position;
        }
        break;
      case "TASK_COMPLETED":
      case "TASK_FAILED":
        if (!record.terminal) {
          record.terminal = event;
          record.terminalAt = position;
        }
        break;
      case "TASK_RETRY_STARTED":
        record.openRetry = event;
        break;
      case "TASK_RETRY_FAILED":
        record.lastRetryFailed = event;
        record.openRetry = undefined;
        break;
      case "TASK_RETRY_COMPLETED":
        record.openRetry = undefined;
        record.retryCompleted = event;
        break;
      case "TASK_FALLBACK_STARTED":
        record.fallbackStarted = event;
        break;
      case "TASK_FALLBACK_COMPLETED":
      case "TASK_FALLBACK_FAILED":
        record.fallbackDone = event;
        break;
      case "TASK_ROLLBACK_STARTED":
        record.rollbackStarted = event;
        break;
      case "TASK_ROLLBACK_COMPLETED":
      case "TASK_ROLLBACK_FAILED":
        record.rollbackDone = event;
        break;
      case "TASK_PAUSED":
        record.pausedEpoch = this.epoch;
        break;
      case "TASK_RESUMED":
        record.resumed = event;
        this.pendingResume = undefined;
        break;
    }
  }
}
