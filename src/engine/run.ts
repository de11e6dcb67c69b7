// One execution of one workflow: owns the log (existing events + new ones), the task index, occurrence
// counters and the root abort signal. `execute()` runs (or replays) the workflow body until it completes,
// fails, pauses or is cancelled. Hosts keep a WorkflowRun in memory while they are alive, so the hot path
// never replays; a cold host builds a new one from the stored log.
import { decode, encode, type Json } from "./codec.ts";
import { toMilliseconds } from "./duration.ts";
import {
  CancelledError,
  ExecutionTimeoutError,
  InvalidStateError,
  PauseRequested,
  toErrorRecord,
} from "./errors.ts";
import { nextState, stateOf, TerminalStates, type EventType, type ExecutionEvent, type ExecutionState } from "./events.ts";
import { ExecutionContext } from "./execution-context.ts";
import { LogIndex } from "./log-index.ts";
import type { HostPorts, Journal } from "./ports.ts";
import { createRedactor, type Redactor } from "./redact.ts";
import { contextStorage, raceAbort, type Scope, type TaskFrame } from "./scope.ts";
import type { WorkflowDefinition } from "./workflow-definition.ts";

/**
 * How long cancelled tasks get to record TASK_CANCELLED and run their rollbacks: a rollback's own deadline
 * is 10 s (task-runner), plus 2 s so that its TASK_ROLLBACK_FAILED lands before WORKFLOW_CANCELLED (Flux too).
 */
const CANCEL_GRACE_MS = 12_000;

export interface RunOptions {
  executionId: string;
  workflow: WorkflowDefinition;
  ports: HostPorts;
  /** The stored log to continue from (replayed, never re-recorded). */
  events?: readonly ExecutionEvent[];
  journal?: Journal;
  workflowId?: string;
}

export class WorkflowRun {
  readonly executionId: string;
  readonly workflow: WorkflowDefinition;
  readonly ports: HostPorts;
  readonly workflowId: string;
  readonly sourceId: string;
  readonly events: ExecutionEvent[];
  readonly index: LogIndex;
  readonly context: ExecutionContext;
  private readonly journal: Journal | undefined;
  /** Per bare id: every occurrence below `next` is taken in this pass; `taken` holds those above it. */
  private readonly occurrences = new Map<string, { next: number; taken?: Set<number> }>();
  private readonly root = new AbortController();
  private readonly secretValues = new Set<string>();
  private redactor: Redactor = createRedactor([]);
  private readonly active = new Set<Promise<unknown>>();
  private currentState: ExecutionState;
  private resumeInput: { value: Json; record: boolean } | undefined;
  private executing: Promise<ExecutionContext> | undefined;

  constructor(options: RunOptions) {
    this.executionId = options.executionId;
    this.workflow = options.workflow;
    this.ports = options.ports;
    this.journal = options.journal;
    this.workflowId = options.workflowId ?? `${options.workflow.namespace}/${options.workflow.name}`;
    this.sourceId = `${options.workflow.name}_${options.executionId}`;
    this.events = [...(options.events ?? [])];
    this.index = new LogIndex(this.events);
    this.currentState = stateOf(this.events);
    this.context = new ExecutionContext(this);
  }

  get state(): ExecutionState {
    return this.currentState;
  }

  get signal(): AbortSignal {
    return this.root.signal;
  }

  get isExecuting(): boolean {
    return this.executing !== undefined;
  }

  /** Append one event (redacting secret values first) and hand it to the journal. */
  append(type: EventType, sourceId: string, name: string, value: Json): ExecutionEvent {
    const event: ExecutionEvent = {
      id: this.events.length + 1,
      type,
      source_id: sourceId,
      name,
      value: this.redactor.active ? this.redactor.redact(value) : value,
      time: new Date(this.ports.clock.now()).toISOString(),
    };
    this.events.push(event);
    this.index.add(event);
    this.currentState = nextState(this.currentState, type);
    this.journal?.append(event);
    return event;
  }

  appendWorkflowEvent(type: EventType, value: Json): ExecutionEvent {
    return this.append(type, this.sourceId, this.workflow.name, value);
  }

  /** Flush to the host; undefined when the host persists synchronously (nothing to wait for: no promise). */
  checkpoint(): Promise<void> | undefined {
    return this.journal?.checkpoint?.();
  }

  /**
   * The task id for the N-th identical call in this run: `bareId`, then `bareId~1`, `bareId~2`...
   * `notBefore` is the log position of the caller's own TASK_STARTED: a recorded occurrence that started
   * before its caller cannot be that caller's call. This keeps replays exact when a task replayed from its
   * result does not repeat the nested calls it made (those ids stay with it).
   */
  occurrenceId(bareId: string, notBefore = -1): string {
    let counter = this.occurrences.get(bareId);
    if (!counter) this.occurrences.set(bareId, (counter = { next: 0 }));
    let n = counter.next;
    for (; ; n++) {
      if (counter.taken?.has(n)) continue;
      const startedAt = this.index.get(n === 0 ? bareId : `${bareId}~${n}`)?.startedAt;
      if (startedAt === undefined || startedAt > notBefore) break;
    }
    // Hot path: the next free number is taken in order, no set needed; out-of-order ones wait in `taken`.
    if (n === counter.next) {
      counter.next++;
      while (counter.taken?.delete(counter.next)) counter.next++;
    } else {
      (counter.taken ??= new Set()).add(n);
    }
    return n === 0 ? bareId : `${bareId}~${n}`;
  }

  registerSecrets(values: readonly string[]): void {
    const before = this.secretValues.size;
    for (const value of values) this.secretValues.add(value);
    if (this.secretValues.size !== before) this.redactor = createRedactor([...this.secretValues]);
  }

  track<T>(promise: Promise<T>): Promise<T> {
    this.active.add(promise);
    const forget = () => this.active.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  emitProgress(task: TaskFrame, value: unknown): void {
    this.ports.progress?.({ executionId: this.executionId, taskId: task.taskId, taskName: task.taskName, value });
  }

  /** Consume the pending resume input (the latest WORKFLOW_RESUMING value), once. */
  takeResume(): { value: Json } | undefined {
    const input = this.resumeInput;
    if (input) {
      this.resumeInput = undefined;
      if (input.record) this.appendWorkflowEvent("WORKFLOW_RESUMED", input.value);
    }
    return input;
  }

  /** PAUSED → RESUMING. The next execute() replays and hands `input` to the pause it stopped at. */
  requestResume(input: unknown): void {
    if (TerminalStates.has(this.currentState)) {
      throw new InvalidStateError(`Execution ${this.executionId} has finished (${this.currentState}); it cannot be resumed`);
    }
    if (this.currentState !== "PAUSED") {
      throw new InvalidStateError(`Execution ${this.executionId} is ${this.currentState}, not PAUSED; it cannot be resumed`);
    }
    this.appendWorkflowEvent("WORKFLOW_RESUMING", encode(input));
  }

  /**
   * Cancel from any non-terminal state. A running body sees its tasks' signals abort (they record
   * TASK_CANCELLED and roll back); an idle execution (paused, sleeping in a cold host) is cancelled at once.
   */
  cancel(): void {
    if (TerminalStates.has(this.currentState)) return;
    if (this.currentState !== "CANCELLING") this.appendWorkflowEvent("WORKFLOW_CANCELLING", null);
    if (this.executing) {
      this.root.abort(new CancelledError());
    } else {
      this.appendWorkflowEvent("WORKFLOW_CANCELLED", null);
    }
  }

  /**
   * Mirror mode: take an event that another engine instance (a sandboxed isolate running this execution)
   * already formed. Its id must be the next position in this log.
   */
  adopt(event: ExecutionEvent): void {
    if (event.id !== this.events.length + 1) {
      throw new InvalidStateError(`Event ${event.id} does not follow event ${this.events.length} of ${this.executionId}`);
    }
    this.events.push(event);
    this.index.add(event);
    this.currentState = nextState(this.currentState, event.type);
    this.journal?.append(event);
  }

  /** The code running this execution died outside the engine (isolate crash, CPU limit): fail it. */
  failExternally(error: Error): void {
    if (TerminalStates.has(this.currentState)) return;
    this.appendWorkflowEvent("WORKFLOW_FAILED", toErrorRecord(error) as Json);
  }

  /** The workflow's own deadline passed while nothing was running (paused, or a cold host): fail it. */
  expire(): void {
    const timeout = this.workflow.options.timeout;
    if (this.executing || TerminalStates.has(this.currentState) || timeout === undefined) return;
    const seconds = toMilliseconds(timeout, "workflow timeout") / 1000;
    const error = new ExecutionTimeoutError("Workflow", this.workflow.name, this.executionId, seconds);
    this.appendWorkflowEvent("WORKFLOW_FAILED", toErrorRecord(error) as Json);
  }

  /** Epoch ms at which the workflow-level timeout expires, if it has one and has started. */
  deadline(): number | undefined {
    const timeout = this.workflow.options.timeout;
    const started = this.events.find((event) => event.type === "WORKFLOW_STARTED");
    if (timeout === undefined || timeout === 0 || !started) return undefined;
    return Date.parse(started.time) + toMilliseconds(timeout, "workflow timeout");
  }

  /** Run or replay the workflow body until it stops. Calling it while it runs returns the same promise. */
  execute(input?: unknown): Promise<ExecutionContext> {
    this.executing ??= this.executeOnce(input).finally(() => {
      this.executing = undefined;
    });
    return this.executing;
  }

  private async executeOnce(input: unknown): Promise<ExecutionContext> {
    const state = this.currentState;
    if (TerminalStates.has(state) || state === "PAUSED") return this.context;
    if (state === "CANCELLING") {
      this.appendWorkflowEvent("WORKFLOW_CANCELLED", null);
      await this.checkpoint();
      return this.context;
    }
    // Every pass replays the body from the top, so occurrence numbering starts again.
    this.occurrences.clear();
    if (state === "RESUMING") this.resumeInput = { value: lastValueOf(this.events, "WORKFLOW_RESUMING"), record: true };
    // Stopped between WORKFLOW_RESUMED and the pause taking its input: hand it over without a second event.
    else if (this.index.pendingResume) this.resumeInput = { value: this.index.pendingResume.value, record: false };
    let started = this.events.find((event) => event.type === "WORKFLOW_STARTED");
    // No input is recorded as null (Flux: None), not as a tagged `undefined` that would leak into the API.
    started ??= this.appendWorkflowEvent("WORKFLOW_STARTED", encode(input ?? null));

    const stopTimeout = this.armWorkflowTimeout(Date.parse(started.time));
    const scope: Scope = { run: this, signal: this.root.signal };
    const body = Promise.resolve().then(() => contextStorage().run(scope, () => this.workflow.fn(this.context as ExecutionContext<never, never>)));
    try {
      const output = await raceAbort(body, this.root.signal);
      this.appendWorkflowEvent("WORKFLOW_COMPLETED", encode(output));
    } catch (error) {
      await this.finishWithError(error);
    } finally {
      stopTimeout();
    }
    await this.checkpoint();
    return this.context;
  }

  private async finishWithError(error: unknown): Promise<void> {
    if (this.root.signal.aborted) {
      await this.settleActiveTasks();
      const reason: unknown = this.root.signal.reason;
      if (reason instanceof ExecutionTimeoutError) {
        this.appendWorkflowEvent("WORKFLOW_FAILED", toErrorRecord(reason) as Json);
      } else {
        if (this.currentState !== "CANCELLING") this.appendWorkflowEvent("WORKFLOW_CANCELLING", null);
        this.appendWorkflowEvent("WORKFLOW_CANCELLED", null);
      }
    } else if (error instanceof PauseRequested) {
      const value: { [key: string]: Json } = { name: error.pauseName, output: encode(error.output) };
      if (error.wakeAt) value.wake_at = error.wakeAt;
      this.appendWorkflowEvent("WORKFLOW_PAUSED", value);
    } else {
      // A failure thrown by the workflow body itself is stored unwrapped (SPEC §3.4).
      this.appendWorkflowEvent("WORKFLOW_FAILED", toErrorRecord(error) as Json);
    }
  }

  /** Give aborted tasks a bounded time to record TASK_CANCELLED and run rollbacks. */
  private async settleActiveTasks(): Promise<void> {
    if (this.active.size === 0) return;
    const grace = new AbortController();
    const deadline = this.ports.timers
      .waitUntil(this.ports.clock.now() + CANCEL_GRACE_MS, "timeout", `${this.sourceId}:cancel-grace`, grace.signal)
      .catch(() => {});
    await Promise.race([Promise.allSettled([...this.active]), deadline]);
    grace.abort();
  }

  private armWorkflowTimeout(startedAt: number): () => void {
    const timeout = this.workflow.options.timeout;
    if (timeout === undefined || timeout === 0) return () => {};
    const seconds = toMilliseconds(timeout, "workflow timeout") / 1000;
    const controller = new AbortController();
    this.ports.timers
      .waitUntil(startedAt + seconds * 1000, "workflow-timeout", this.sourceId, controller.signal)
      .then(
        () => this.root.abort(new ExecutionTimeoutError("Workflow", this.workflow.name, this.executionId, seconds)),
        () => {},
      );
    return () => controller.abort();
  }

  /** Decoded value helper for views. */
  decodeValue(value: Json): unknown {
    return decode(value);
  }
}

function lastValueOf(events: readonly ExecutionEvent[], type: EventType): Json {
  for (let i = events.length - 1; i >= 0; i--) if (events[i]?.type === type) return (events[i] as ExecutionEvent).value;
  return null;
}
