// One task call, start to finish (SPEC §3.1, §3.3): replay from the log, or record TASK_STARTED and run the
// body with per-attempt timeouts, then retry → fallback xor rollback → TASK_FAILED in Flux's exact order.
// Cancellation records TASK_CANCELLED and rolls back; a pause records TASK_PAUSED and unwinds.
import { taskIdFor } from "./canonical.ts";
import { decode, encode, type Json } from "./codec.ts";
import { toMilliseconds } from "./duration.ts";
import {
  AuthoringError,
  CancelledError,
  ExecutionError,
  ExecutionTimeoutError,
  fromErrorRecord,
  isErrorRecord,
  PauseRequested,
  RetryError,
  toErrorRecord,
  type ErrorRecord,
} from "./errors.ts";
import type { EventType, ExecutionEvent } from "./events.ts";
import type { TaskRecord } from "./log-index.ts";
import { contextStorage, linkedController, raceAbort, type Scope, type TaskFrame } from "./scope.ts";
import type { TaskDefinition } from "./task.ts";

const MAX_RETRY_DELAY_S = 600;
const CANCEL_ROLLBACK_MS = 10_000;

export async function runTask(
  definition: TaskDefinition,
  args: readonly unknown[],
  parent: Scope,
  onId?: (taskId: string) => void,
): Promise<unknown> {
  const fullName = resolveName(definition, args);
  const bareId = taskIdFor(fullName, args);
  const run = parent.run;
  // A recorded call that started before its caller, or before a result the caller already awaited, is not it.
  const callerStartedAt = parent.task ? (run.index.get(parent.task.taskId)?.startedAt ?? -1) : -1;
  const taskId = run.occurrenceId(bareId, Math.max(callerStartedAt, parent.horizon ?? -1));
  onId?.(taskId);
  const record = run.index.get(taskId);
  if (record?.terminal) return replayTerminal(record.terminal);
  if (parent.signal.aborted) throw asCancellation(parent.signal.reason);
  return run.track(new TaskExecution(definition, args, fullName, bareId, taskId, parent, record).execute());
}

function resolveName(definition: TaskDefinition, args: readonly unknown[]): string {
  const { name } = definition.options;
  const resolved = typeof name === "function" ? (name as (...a: unknown[]) => unknown)(...args) : name;
  if (typeof resolved !== "string" || resolved === "") {
    throw new AuthoringError(`A task name function must return a non-empty string, got ${String(resolved)}`);
  }
  return resolved;
}

function replayTerminal(event: ExecutionEvent): unknown {
  if (event.type === "TASK_FAILED") throw isErrorRecord(event.value) ? fromErrorRecord(event.value) : new ExecutionError();
  return decode(event.value);
}

function asCancellation(reason: unknown): CancelledError {
  return reason instanceof CancelledError ? reason : new CancelledError();
}

class TaskExecution {
  private readonly encodedArgs: Json;
  private readonly options: TaskDefinition["options"];
  private signal!: AbortSignal;
  private frame!: TaskFrame;
  private lastRetryFailedAt = 0;

  constructor(
    private readonly definition: TaskDefinition,
    private readonly args: readonly unknown[],
    private readonly fullName: string,
    private readonly bareId: string,
    private readonly taskId: string,
    private readonly parent: Scope,
    private readonly record: TaskRecord | undefined,
  ) {
    this.options = definition.options;
    this.encodedArgs = encode(args);
  }

  private get run() {
    return this.parent.run;
  }

  async execute(): Promise<unknown> {
    const started = this.record?.started ?? this.emit("TASK_STARTED", this.encodedArgs);
    this.frame = {
      taskId: this.taskId,
      taskName: this.fullName,
      attempt: 0,
      startedAt: Date.parse(started.time),
      wasStarted: this.record?.started !== undefined,
      secrets: {},
    };
    const link = linkedController(this.parent.signal);
    this.signal = link.controller.signal;
    try {
      return await this.complete(await this.perform());
    } catch (error) {
      return await this.handleFailure(error);
    } finally {
      link.release();
    }
  }

  private emit(type: EventType, value: Json): ExecutionEvent {
    return this.run.append(type, this.taskId, this.fullName, value);
  }

  private async complete(output: unknown): Promise<unknown> {
    // The caller gets the recorded value (decoded, and with secret values redacted), exactly what a replay
    // would return, so the first run cannot diverge from later ones.
    const recorded = this.emit("TASK_COMPLETED", encode(output));
    const flushing = this.run.checkpoint();
    if (flushing) await flushing;
    return decode(recorded.value);
  }

  private async perform(): Promise<unknown> {
    // Hot path: no await (no extra promise turn) when there is nothing to load.
    if (this.options.secretRequests?.length) await this.loadSecrets();
    const { openRetry, lastRetryFailed, retryCompleted, fallbackStarted, rollbackStarted } = this.record ?? {};
    // The previous run stopped after the attempts: take the recorded outcome, or go on to fallback/rollback.
    if (retryCompleted) return decode((retryCompleted.value as { output?: Json } | null)?.output ?? null);
    if (fallbackStarted || rollbackStarted) throw this.unrecordedError();
    if (openRetry || lastRetryFailed) {
      // The previous run stopped mid-retry: continue where it left off, without re-running attempt 0.
      if (lastRetryFailed) this.lastRetryFailedAt = Date.parse(lastRetryFailed.time);
      const from = openRetry ? attemptOf(openRetry) : attemptOf(lastRetryFailed as ExecutionEvent) + 1;
      return this.retry(from, this.unrecordedError(), openRetry !== undefined);
    }
    const caching = this.options.cache && this.run.ports.cache !== undefined;
    const cached = caching ? await this.readCache() : undefined;
    if (cached) return decode(cached.value);
    try {
      const output = await this.attempt(0);
      if (caching) await this.writeCache(output);
      return output;
    } catch (error) {
      if (this.isControlFlow(error) || this.maxAttempts === 0) throw error;
      this.lastRetryFailedAt = Date.parse(
        this.emit("TASK_RETRY_FAILED", this.retryValue(0, 0, { original_attempt: true })).time,
      );
      return this.retry(1, error, false);
    }
  }

  private async retry(from: number, lastError: unknown, resumeOpenAttempt: boolean): Promise<unknown> {
    let last = lastError;
    for (let k = from; k <= this.maxAttempts; k++) {
      const delay = this.delayFor(k);
      if (!(resumeOpenAttempt && k === from)) {
        if (delay > 0) {
          const { timers } = this.run.ports;
          await timers.waitUntil(this.lastRetryFailedAt + delay * 1000, "retry", this.taskId, this.signal);
        }
        this.emit("TASK_RETRY_STARTED", this.retryValue(k, delay));
      }
      try {
        const output = await this.attempt(k);
        this.emit("TASK_RETRY_COMPLETED", this.retryValue(k, delay, { output: encode(output) }));
        return output;
      } catch (error) {
        if (this.isControlFlow(error)) throw error;
        this.lastRetryFailedAt = Date.parse(this.emit("TASK_RETRY_FAILED", this.retryValue(k, delay)).time);
        last = error;
      }
    }
    throw new RetryError(toError(last), this.maxAttempts, this.retryDelaySeconds, this.backoff);
  }

  /** One run of the body under its own signal, aborted by cancellation or by this attempt's timeout. */
  private async attempt(attempt: number): Promise<unknown> {
    // Only an attempt with a timeout needs a signal of its own; otherwise it shares the task's (one
    // AbortController less per task on the hot path).
    const link = this.hasTimeout ? linkedController(this.signal) : undefined;
    const signal = link ? link.controller.signal : this.signal;
    const scope: Scope = { run: this.run, signal, task: { ...this.frame, attempt } };
    const timer = link ? this.armTimeout(link.controller) : undefined;
    try {
      const result = contextStorage().run(scope, () => this.definition.fn(...this.args));
      // A synchronous result needs no race against the signal: nothing can abort it any more.
      if (!isThenable(result)) return result;
      return await raceAbort(Promise.resolve(result), signal);
    } finally {
      timer?.abort();
      link?.release();
    }
  }

  private get hasTimeout(): boolean {
    return this.options.timeout !== undefined && toMilliseconds(this.options.timeout, "timeout") > 0;
  }

  private armTimeout(attempt: AbortController): AbortController | undefined {
    const timeoutMs = this.options.timeout === undefined ? 0 : toMilliseconds(this.options.timeout, "timeout");
    if (timeoutMs <= 0) return undefined;
    const timer = new AbortController();
    const error = new ExecutionTimeoutError("Task", this.fullName, this.taskId, timeoutMs / 1000);
    const { clock, timers } = this.run.ports;
    timers.waitUntil(clock.now() + timeoutMs, "timeout", this.taskId, timer.signal).then(
      () => attempt.abort(error),
      () => {},
    );
    return timer;
  }

  /** Attempt errors are not in the log; a run that stopped after the last attempt only knows it failed. */
  private unrecordedError(): Error {
    return new Error(`Task ${this.fullName} (${this.taskId}) failed before the execution stopped; its error was not recorded`);
  }

  private async handleFailure(error: unknown): Promise<unknown> {
    // What a previous run of this call already recorded (a replay never records a step twice).
    const { pausedEpoch, fallbackStarted, fallbackDone, rollbackStarted, rollbackDone } = this.record ?? {};
    if (error instanceof PauseRequested) {
      if (pausedEpoch !== this.run.index.epoch) {
        this.emit("TASK_PAUSED", error.pauseName);
        await this.run.checkpoint();
      }
      throw error;
    }
    if (this.signal.aborted) return this.cancelled();
    const { fallback, rollback } = this.options;
    if (fallback) {
      if (!fallbackStarted) this.emit("TASK_FALLBACK_STARTED", this.encodedArgs);
      if (fallbackDone?.type === "TASK_FALLBACK_COMPLETED") return this.complete(decode(fallbackDone.value));
      if (fallbackDone) return this.fail(new ExecutionError(recordedError(fallbackDone.value)));
      let value: unknown;
      try {
        value = await invoke(this.sideScope(), fallback as (...a: unknown[]) => unknown, this.args);
      } catch (fallbackError) {
        this.emit("TASK_FALLBACK_FAILED", toErrorRecord(fallbackError) as Json);
        return this.fail(new ExecutionError(toError(fallbackError)));
      }
      this.emit("TASK_FALLBACK_COMPLETED", encode(value));
      return this.complete(value);
    }
    let final: ExecutionError =
      error instanceof ExecutionError && !(error instanceof RetryError) ? error : new ExecutionError(toError(error));
    if (rollback && rollbackDone) {
      if (rollbackDone.type === "TASK_ROLLBACK_FAILED") final = new ExecutionError(recordedError(rollbackDone.value));
    } else if (rollback) {
      if (!rollbackStarted) this.emit("TASK_ROLLBACK_STARTED", this.encodedArgs);
      try {
        const value = await invoke(this.sideScope(), rollback, this.args);
        this.emit("TASK_ROLLBACK_COMPLETED", encode(value));
      } catch (rollbackError) {
        // Flux semantics: the rollback's failure replaces the original error.
        this.emit("TASK_ROLLBACK_FAILED", toErrorRecord(rollbackError) as Json);
        final = new ExecutionError(toError(rollbackError));
      }
    }
    return this.fail(final);
  }

  /** Record TASK_FAILED and throw what a replay would throw: the same record, rebuilt. */
  private fail(error: ExecutionError): never {
    // Rebuilt from the recorded (secret-redacted) record, so the caller sees what a replay would throw.
    const record = toErrorRecord(error);
    const recorded = this.emit("TASK_FAILED", record as Json);
    const rebuilt = fromErrorRecord(recorded.value as ErrorRecord);
    // Keep the original stack for debugging unless redaction changed the record (the stack would leak it).
    if (JSON.stringify(recorded.value) === JSON.stringify(record)) rebuilt.stack = error.stack;
    throw rebuilt;
  }

  private async cancelled(): Promise<never> {
    const reason: unknown = this.signal.reason;
    this.emit("TASK_CANCELLED", null);
    const { rollback } = this.options;
    if (rollback) {
      this.emit("TASK_ROLLBACK_STARTED", this.encodedArgs);
      const deadline = new AbortController();
      const { clock, timers } = this.run.ports;
      const expired = timers
        .waitUntil(clock.now() + CANCEL_ROLLBACK_MS, "timeout", `${this.taskId}:rollback`, deadline.signal)
        .then(() => {
          throw new ExecutionError(undefined, `Rollback of ${this.fullName} did not finish within 10s during cancellation`);
        });
      try {
        const value = await Promise.race([invoke(this.sideScope(new AbortController().signal), rollback, this.args), expired]);
        this.emit("TASK_ROLLBACK_COMPLETED", encode(value));
      } catch (rollbackError) {
        this.emit("TASK_ROLLBACK_FAILED", toErrorRecord(rollbackError) as Json);
      } finally {
        deadline.abort();
        expired.catch(() => {});
      }
    }
    throw asCancellation(reason);
  }

  /** Scope for fallback/rollback: the task's frame, so taskContext() works there too. */
  private sideScope(signal: AbortSignal = this.signal): Scope {
    return { run: this.run, signal, task: this.frame };
  }

  private isControlFlow(error: unknown): boolean {
    return error instanceof PauseRequested || this.signal.aborted;
  }

  private async loadSecrets(): Promise<void> {
    const names = this.options.secretRequests;
    if (!names || names.length === 0) return;
    const provider = this.run.ports.secrets;
    if (!provider) throw new Error(`The following secrets were not found: [${names.join(", ")}] (no secret store configured)`);
    const provided = await provider.get(names);
    // Only the requested names reach the task (SPEC §2.1), whatever the store hands back.
    const secrets = Object.fromEntries(names.filter((name) => name in provided).map((name) => [name, provided[name] as string]));
    this.run.registerSecrets(Object.values(secrets));
    this.frame = { ...this.frame, secrets: Object.freeze(secrets) };
  }

  private async readCache(): Promise<{ value: Json } | undefined> {
    const cache = this.run.ports.cache;
    return this.options.cache && cache ? cache.get(this.bareId) : undefined;
  }

  private async writeCache(output: unknown): Promise<void> {
    const { cache: option } = this.options;
    const cache = this.run.ports.cache;
    if (!option || !cache) return;
    const ttl = typeof option === "object" && option.ttl !== undefined ? toMilliseconds(option.ttl, "cache ttl") / 1000 : undefined;
    await cache.set(this.bareId, encode(output), ttl);
  }

  private get maxAttempts(): number {
    return this.options.retryMaxAttempts ?? 0;
  }
  private get retryDelaySeconds(): number {
    return this.options.retryDelay === undefined ? 1 : toMilliseconds(this.options.retryDelay, "retryDelay") / 1000;
  }
  private get backoff(): number {
    return this.options.retryBackoff ?? 2;
  }
  /** Delay before retry k (seconds): delay · backoff^(k-1), capped at 600 s. */
  private delayFor(k: number): number {
    return Math.min(this.retryDelaySeconds * this.backoff ** (k - 1), MAX_RETRY_DELAY_S);
  }
  private retryValue(attempt: number, delay: number, extra: { [key: string]: Json } = {}): Json {
    return { current_attempt: attempt, max_attempts: this.maxAttempts, current_delay: delay, backoff: this.backoff, ...extra };
  }
}

function attemptOf(event: ExecutionEvent): number {
  const value = event.value as { current_attempt?: number } | null;
  return value?.current_attempt ?? 0;
}

function recordedError(value: Json): Error {
  return isErrorRecord(value) ? fromErrorRecord(value) : new Error(String(value));
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === "function";
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Call `fn` inside `scope`; a synchronous throw becomes a rejection. */
export function invoke(scope: Scope, fn: (...args: never[]) => unknown, args: readonly unknown[]): Promise<unknown> {
  try {
    return Promise.resolve(contextStorage().run(scope, () => (fn as (...a: unknown[]) => unknown)(...args)));
  } catch (error) {
    return Promise.reject(error);
  }
}
