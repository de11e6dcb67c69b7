// Typed, serialisable errors (SPEC §2.5). Every error that crosses storage or RPC goes through
// toErrorRecord/fromErrorRecord; nothing here branches on message text.

export interface ErrorRecord {
  type: string;
  message: string;
  stack?: string;
  inner?: ErrorRecord;
  [field: string]: unknown;
}

/** Base of every Flux error: a stable `code` for HTTP mapping and retry decisions. */
export class FluxError extends Error {
  readonly code: string = "flux_error";
  override get name(): string {
    return this.constructor.name;
  }
}

/** A task or workflow failed; `inner` is the original error. */
export class ExecutionError extends FluxError {
  override readonly code: string = "execution_error";
  readonly inner: Error | undefined;
  constructor(inner?: Error, message?: string) {
    super(message ?? (inner ? inner.message : "Execution failed"));
    this.inner = inner;
  }
}

/** Retries were used up; `inner` is the last attempt's error. */
export class RetryError extends ExecutionError {
  override readonly code = "retry_error";
  constructor(
    inner: Error,
    readonly attempts: number,
    readonly delay: number,
    readonly backoff: number,
  ) {
    super(inner, inner.message);
  }
}

/** A task attempt or a whole workflow ran past its timeout. */
export class ExecutionTimeoutError extends ExecutionError {
  override readonly code = "timeout";
  constructor(
    readonly kind: "Task" | "Workflow",
    readonly targetName: string,
    readonly targetId: string,
    readonly timeout: number,
  ) {
    super(undefined, `${kind} ${targetName} (${targetId}) timed out (${timeout}s).`);
  }
}

export class WorkflowNotFoundError extends FluxError {
  override readonly code = "workflow_not_found";
}

/** The execution (or the task's scope) was cancelled. */
export class CancelledError extends FluxError {
  override readonly code = "cancelled";
  constructor(message = "Execution was cancelled") {
    super(message);
  }
}

/** Replay met a log that the workflow code cannot have produced. */
export class NonDeterminismError extends FluxError {
  override readonly code = "non_determinism";
}

/** Bad authoring input (task without a name, unhashable argument, invalid graph...). */
export class AuthoringError extends FluxError {
  override readonly code = "authoring_error";
}

/**
 * Control flow, not failure: a `pause()` unwinds the workflow so that the execution can be resumed later by
 * replay. Tasks on the way up record TASK_PAUSED; nothing records it as a failure.
 */
export class PauseRequested extends FluxError {
  override readonly code = "pause_requested";
  constructor(
    readonly pauseName: string,
    readonly output: unknown,
    readonly wakeAt: string | undefined,
  ) {
    super(`Paused at ${pauseName}`);
  }
}

const builtinErrors: Record<string, new (message?: string) => Error> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

export function toErrorRecord(error: unknown): ErrorRecord {
  if (!(error instanceof Error)) {
    return { type: "Error", message: typeof error === "string" ? error : safeString(error) };
  }
  const record: ErrorRecord = { type: error.name, message: error.message };
  if (error instanceof RetryError) {
    Object.assign(record, { attempts: error.attempts, delay: error.delay, backoff: error.backoff });
  } else if (error instanceof ExecutionTimeoutError) {
    Object.assign(record, {
      kind: error.kind,
      target_name: error.targetName,
      target_id: error.targetId,
      timeout: error.timeout,
    });
  }
  if (error instanceof ExecutionError && error.inner) record.inner = toErrorRecord(error.inner);
  return record;
}

export function fromErrorRecord(record: ErrorRecord): Error {
  const inner = record.inner ? fromErrorRecord(record.inner) : undefined;
  switch (record.type) {
    case "ExecutionError":
      return new ExecutionError(inner, record.message);
    case "RetryError":
      return new RetryError(
        inner ?? new Error(record.message),
        Number(record.attempts ?? 0),
        Number(record.delay ?? 0),
        Number(record.backoff ?? 0),
      );
    case "ExecutionTimeoutError":
      return new ExecutionTimeoutError(
        record.kind === "Workflow" ? "Workflow" : "Task",
        String(record.target_name ?? ""),
        String(record.target_id ?? ""),
        Number(record.timeout ?? 0),
      );
    case "CancelledError":
      return new CancelledError(record.message);
    case "WorkflowNotFoundError":
      return new WorkflowNotFoundError(record.message);
    case "NonDeterminismError":
      return new NonDeterminismError(record.message);
    case "AuthoringError":
      return new AuthoringError(record.message);
  }
  const Builtin = builtinErrors[record.type];
  if (Builtin) return new Builtin(record.message);
  const error = new Error(record.message);
  // Keep the original type name visible (e.g. a user's `class QuotaError extends Error`).
  Object.defineProperty(error, "name", { value: record.type, enumerable: false, configurable: true });
  return error;
}

export function isErrorRecord(value: unknown): value is ErrorRecord {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ErrorRecord).type === "string" &&
    typeof (value as ErrorRecord).message === "string"
  );
}

function safeString(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The execution is not in a state that allows the operation (e.g. resume of a running execution). */
export class InvalidStateError extends FluxError {
  override readonly code = "invalid_state";
}

export class ExecutionNotFoundError extends FluxError {
  override readonly code = "execution_not_found";
}

/** The workflow input failed the workflow's `inputSchema`. */
export class InputValidationError extends FluxError {
  override readonly code = "invalid_input";
  constructor(
    message: string,
    readonly issues: unknown,
  ) {
    super(message);
  }
}
