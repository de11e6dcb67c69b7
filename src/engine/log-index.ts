// An index of one execution's log by task id, so that replay costs O(1) per task call (SPEC §3.1), not a scan.
import type { ExecutionEvent } from "./events.ts";

export interface TaskRecord {
  started?: ExecutionEvent;
  /** The first TASK_COMPLETED or TASK_FAILED: replay returns or throws it. */
  terminal?: ExecutionEvent;
  /** Highest attempt that recorded TASK_RETRY_FAILED, and the event itself. */
  lastRetryFailed?: ExecutionEvent;
  /** TASK_RETRY_STARTED of an attempt that has not finished yet. */
  openRetry?: ExecutionEvent;
}

export class LogIndex {
  private readonly tasks = new Map<string, TaskRecord>();

  constructor(events: readonly ExecutionEvent[] = []) {
    for (const event of events) this.add(event);
  }

  get(taskId: string): TaskRecord | undefined {
    return this.tasks.get(taskId);
  }

  add(event: ExecutionEvent): void {
    if (!event.type.startsWith("TASK_")) return;
    let record = this.tasks.get(event.source_id);
    if (!record) {
      record = {};
      this.tasks.set(event.source_id, record);
    }
    switch (event.type) {
      case "TASK_STARTED":
        record.started ??= event;
        break;
      case "TASK_COMPLETED":
      case "TASK_FAILED":
        record.terminal ??= event;
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
        break;
    }
  }
}
