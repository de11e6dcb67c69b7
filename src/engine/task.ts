// The task authoring API (SPEC §2.1): task(name, fn), task(fn), task.withOptions(options, fn),
// someTask.withOptions(options) and someTask.map(items). Calling a task returns a lazy TaskCall.
import { toMilliseconds, type Duration } from "./duration.ts";
import { AuthoringError } from "./errors.ts";
import { currentScope, requireScope, type Scope } from "./scope.ts";
import { runTask } from "./task-runner.ts";
import { mapWithLimit } from "./concurrency.ts";

export interface TaskOptions<A extends unknown[] = unknown[], R = unknown> {
  /** A fixed name, or a function of the call's arguments (Flux's "sum_fibo_{iteration}" templates). */
  name?: string | ((...args: A) => string);
  /** Extra attempts after the first (default 0). */
  retryMaxAttempts?: number;
  /** Seconds before the first retry (default 1). */
  retryDelay?: Duration;
  /** Delay multiplier per retry (default 2); each delay is capped at 600 s. */
  retryBackoff?: number;
  /** Per-attempt timeout (0 = none). */
  timeout?: Duration;
  fallback?: (...args: A) => R | Promise<R>;
  rollback?: (...args: A) => unknown;
  secretRequests?: readonly string[];
  outputStorage?: "inline" | "r2";
  /** Memoise across executions by task id (without the ~N suffix), optionally for `ttl`. */
  cache?: boolean | { ttl?: Duration };
  /** Accepted for Flux compatibility: taskContext().metadata is always available. */
  metadata?: boolean;
}

export interface TaskDefinition {
  readonly fn: (...args: unknown[]) => unknown;
  readonly options: Readonly<TaskOptions>;
}

/** A task call that has not started yet. It starts when awaited, or when parallel/pipeline/map take it. */
export class TaskCall<T> implements PromiseLike<T> {
  private promise: Promise<T> | undefined;
  private taskId: string | undefined;

  constructor(
    readonly definition: TaskDefinition,
    readonly args: readonly unknown[],
  ) {}

  /** Start under `parent` (default: the caller's scope). Idempotent: a call runs once. */
  start(parent?: Scope): Promise<T> {
    this.promise ??= runTask(this.definition, this.args, parent ?? requireScope(), (id) => (this.taskId = id)) as Promise<T>;
    return this.promise;
  }

  /** Awaiting the call: once the result is delivered, the awaiting code's horizon moves past it. */
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    const awaiting = currentScope();
    const delivered = () => {
      const at = awaiting && this.taskId !== undefined ? awaiting.run.index.get(this.taskId)?.terminalAt : undefined;
      if (awaiting && at !== undefined) awaiting.horizon = Math.max(awaiting.horizon ?? -1, at);
    };
    return this.start().then(
      (value) => {
        delivered();
        return onFulfilled ? onFulfilled(value) : (value as unknown as R1);
      },
      (reason: unknown) => {
        delivered();
        if (onRejected) return onRejected(reason);
        throw reason;
      },
    );
  }

  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.then(undefined, onRejected);
  }
}

export interface Task<A extends unknown[], R> {
  (...args: A): TaskCall<Awaited<R>>;
  readonly fn: (...args: A) => R;
  readonly options: Readonly<TaskOptions<A, Awaited<R>>>;
  /** The static name, or undefined when the name is a function of the arguments. */
  readonly taskName: string | undefined;
  /** A new task with these options; options not given are inherited. */
  withOptions(options: TaskOptions<A, Awaited<R>>): Task<A, R>;
  /** Run the task once per item concurrently (each item is the single argument); results in input order. */
  map(items: Iterable<A[0]>, options?: { maxConcurrent?: number }): Promise<Awaited<R>[]>;
}

function makeTask<A extends unknown[], R>(fn: (...args: A) => R, options: TaskOptions<A, Awaited<R>>): Task<A, R> {
  if (typeof fn !== "function") throw new AuthoringError("task() needs a function");
  const name = options.name ?? (fn.name || undefined);
  if (name === undefined || name === "") {
    throw new AuthoringError("A task needs a name: use task(name, fn), a named function, or the `name` option");
  }
  validateOptions(name, options as TaskOptions<never[], unknown>);
  const definition: TaskDefinition = {
    fn: fn as (...args: unknown[]) => unknown,
    options: Object.freeze({ ...options, name }) as TaskOptions,
  };
  const call = (...args: A) => new TaskCall<Awaited<R>>(definition, args);
  return Object.assign(call, {
    fn,
    options: definition.options as TaskOptions<A, Awaited<R>>,
    taskName: typeof name === "string" ? name : undefined,
    withOptions: (more: TaskOptions<A, Awaited<R>>) => makeTask(fn, { ...options, name, ...definedOnly(more) }),
    map: (items: Iterable<A[0]>, mapOptions?: { maxConcurrent?: number }) =>
      mapWithLimit([...items], mapOptions?.maxConcurrent, (item) => new TaskCall<Awaited<R>>(definition, [item]).start()),
  });
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function validateOptions(name: unknown, options: TaskOptions<never[], unknown>): void {
  if (typeof name !== "string" && typeof name !== "function") throw new AuthoringError("A task name must be a string or a function");
  const label = typeof name === "string" ? `Task ${name}` : "Task";
  const { retryMaxAttempts, retryBackoff, retryDelay, timeout, cache } = options;
  // Durations are checked here, not at the first retry or timeout, so a typo fails at definition time.
  if (retryDelay !== undefined) toMilliseconds(retryDelay, `${label}: retryDelay`);
  if (timeout !== undefined) toMilliseconds(timeout, `${label}: timeout`);
  if (typeof cache === "object" && cache.ttl !== undefined) toMilliseconds(cache.ttl, `${label}: cache ttl`);
  if (retryMaxAttempts !== undefined && (!Number.isInteger(retryMaxAttempts) || retryMaxAttempts < 0)) {
    throw new AuthoringError(`${label}: retryMaxAttempts must be a non-negative integer`);
  }
  if (retryBackoff !== undefined && (!Number.isFinite(retryBackoff) || retryBackoff <= 0)) {
    throw new AuthoringError(`${label}: retryBackoff must be a positive number`);
  }
  for (const key of ["fallback", "rollback"] as const) {
    if (options[key] !== undefined && typeof options[key] !== "function") {
      throw new AuthoringError(`${label}: ${key} must be a function`);
    }
  }
}

interface TaskFactory {
  <A extends unknown[], R>(name: string, fn: (...args: A) => R): Task<A, R>;
  <A extends unknown[], R>(fn: (...args: A) => R): Task<A, R>;
  withOptions<A extends unknown[], R>(options: NoInfer<TaskOptions<A, Awaited<R>>>, fn: (...args: A) => R): Task<A, R>;
}

export const task: TaskFactory = Object.assign(
  <A extends unknown[], R>(nameOrFn: string | ((...args: A) => R), maybeFn?: (...args: A) => R): Task<A, R> => {
    if (typeof nameOrFn === "string") {
      if (!maybeFn) throw new AuthoringError(`task("${nameOrFn}") needs a function as its second argument`);
      return makeTask(maybeFn, { name: nameOrFn });
    }
    return makeTask(nameOrFn, {});
  },
  {
    withOptions: <A extends unknown[], R>(options: NoInfer<TaskOptions<A, Awaited<R>>>, fn: (...args: A) => R) =>
      makeTask(fn, options),
  },
);
