// The user-facing view of one execution (SPEC §2.2). Every property is derived from the log.
import type { Json } from "./codec.ts";
import { fromErrorRecord, isErrorRecord } from "./errors.ts";
import type { ExecutionEvent, ExecutionState } from "./events.ts";
import type { WorkflowRun } from "./run.ts";

export interface ExecutionSummary {
  workflow_id: string;
  workflow_name: string;
  execution_id: string;
  input: Json;
  output: Json;
  state: ExecutionState;
  created_at: string | null;
  updated_at: string | null;
}

export class ExecutionContext<TInput = unknown, TOutput = unknown> {
  constructor(private readonly run: WorkflowRun) {}

  get executionId(): string {
    return this.run.executionId;
  }
  get workflowId(): string {
    return this.run.workflowId;
  }
  get workflowName(): string {
    return this.run.workflow.name;
  }
  get events(): readonly ExecutionEvent[] {
    return this.run.events;
  }
  get state(): ExecutionState {
    return this.run.state;
  }
  get input(): TInput {
    const started = this.find("WORKFLOW_STARTED");
    return (started ? this.run.decodeValue(started.value) : undefined) as TInput;
  }
  /** The value of the first WORKFLOW_COMPLETED or WORKFLOW_FAILED event (failures as Error objects). */
  get output(): TOutput | null {
    const final = this.run.events.find((e) => e.type === "WORKFLOW_COMPLETED" || e.type === "WORKFLOW_FAILED");
    if (!final) return null;
    if (final.type === "WORKFLOW_FAILED" && isErrorRecord(final.value)) return fromErrorRecord(final.value) as TOutput;
    return this.run.decodeValue(final.value) as TOutput;
  }
  get hasStarted(): boolean {
    return this.find("WORKFLOW_STARTED") !== undefined;
  }
  get hasFinished(): boolean {
    return this.state === "COMPLETED" || this.state === "FAILED" || this.state === "CANCELLED";
  }
  get hasSucceeded(): boolean {
    return this.state === "COMPLETED";
  }
  get hasFailed(): boolean {
    return this.state === "FAILED";
  }
  get isPaused(): boolean {
    return this.state === "PAUSED";
  }
  get isCancelled(): boolean {
    return this.state === "CANCELLED";
  }
  get isCancelling(): boolean {
    return this.state === "CANCELLING";
  }

  /** The wire summary (snake_case). A paused execution shows the pause's `output` as `output`. */
  summary(): ExecutionSummary {
    const events = this.run.events;
    const started = this.find("WORKFLOW_STARTED");
    let output: Json = null;
    const final = events.find((e) => e.type === "WORKFLOW_COMPLETED" || e.type === "WORKFLOW_FAILED");
    if (final) output = final.value;
    else if (this.state === "PAUSED") {
      const paused = lastOf(events, "WORKFLOW_PAUSED");
      const value = paused?.value;
      output = value && typeof value === "object" && !Array.isArray(value) ? (value.output ?? null) : null;
    }
    return {
      workflow_id: this.workflowId,
      workflow_name: this.workflowName,
      execution_id: this.executionId,
      input: started ? started.value : null,
      output,
      state: this.state,
      created_at: events[0]?.time ?? null,
      updated_at: events[events.length - 1]?.time ?? null,
    };
  }

  private find(type: ExecutionEvent["type"]): ExecutionEvent | undefined {
    return this.run.events.find((e) => e.type === type);
  }
}

function lastOf(events: readonly ExecutionEvent[], type: ExecutionEvent["type"]): ExecutionEvent | undefined {
  for (let i = events.length - 1; i >= 0; i--) if (events[i]?.type === type) return events[i];
  return undefined;
}
