// parallel(...calls, { maxConcurrent?, raiseOnError? }) and pipeline(steps, input) (SPEC §2.3). Each is a
// recorded task ("parallel", "pipeline") whose children are recorded under their own ids.
import { checkMaxConcurrent } from "../concurrency.ts";
import { AuthoringError, CancelledError, PauseRequested } from "../errors.ts";
import { linkedController, requireScope, type Scope } from "../scope.ts";
import { TaskCall, type TaskDefinition } from "../task.ts";

export interface ParallelOptions {
  maxConcurrent?: number;
  /** true (default): the first failure aborts running siblings and fails `parallel`; false: failed slots are null. */
  raiseOnError?: boolean;
}

type Results<T extends readonly unknown[]> = { -readonly [K in keyof T]: Awaited<T[K]> };
type Startable = TaskCall<unknown> | (() => PromiseLike<unknown>);

export function parallel<T extends readonly TaskCall<unknown>[]>(...calls: T): TaskCall<Results<T>>;
export function parallel<T extends readonly TaskCall<unknown>[]>(...args: [...T, ParallelOptions]): TaskCall<Results<T>>;
export function parallel(...args: unknown[]): TaskCall<unknown[]> {
  const last = args[args.length - 1];
  const hasOptions = last !== undefined && !(last instanceof TaskCall) && typeof last === "object";
  const options = (hasOptions ? last : {}) as ParallelOptions;
  const items = (hasOptions ? args.slice(0, -1) : args) as Startable[];
  checkMaxConcurrent(options.maxConcurrent);
  items.forEach((item, i) => {
    if (!(item instanceof TaskCall) && typeof item !== "function") {
      throw new AuthoringError(`parallel() argument ${i} is not a task call (did you await it already?)`);
    }
  });
  const definition: TaskDefinition = {
    options: { name: "parallel" },
    fn: () => runConcurrently(items, options),
  };
  return new TaskCall<unknown[]>(definition, []);
}

async function runConcurrently(items: readonly Startable[], options: ParallelOptions): Promise<unknown[]> {
  const scope = requireScope();
  const raiseOnError = options.raiseOnError ?? true;
  const group = linkedController(scope.signal);
  const groupScope: Scope = { ...scope, signal: group.controller.signal };
  const results: unknown[] = new Array(items.length).fill(null);
  let failure: { error: unknown } | undefined;
  let paused: PauseRequested | undefined;
  let next = 0;

  const lane = async (): Promise<void> => {
    while (next < items.length && !failure) {
      const index = next++;
      const item = items[index] as Startable;
      try {
        results[index] = await (item instanceof TaskCall ? item.start(groupScope) : item());
      } catch (error) {
        if (error instanceof PauseRequested) paused ??= error;
        else if (raiseOnError || scope.signal.aborted) {
          if (!failure) {
            failure = { error };
            // Siblings see their signal abort and record TASK_CANCELLED before parallel fails.
            group.controller.abort(new CancelledError("A sibling task in parallel() failed"));
          }
        }
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.maxConcurrent ?? items.length, items.length) }, lane));
  } finally {
    group.release();
  }
  if (failure) throw failure.error;
  if (paused) throw paused;
  return results;
}

type Step = ((value: never) => unknown) | { (value: never): PromiseLike<unknown> };

/** result = input; for each step: result = await step(result). Steps may be tasks or plain functions. */
export function pipeline<T = unknown>(steps: readonly Step[], input: unknown): TaskCall<T> {
  if (!Array.isArray(steps)) throw new AuthoringError("pipeline() needs an array of steps");
  steps.forEach((step, i) => {
    if (typeof step !== "function") throw new AuthoringError(`pipeline() step ${i} is not a function or task`);
  });
  const definition: TaskDefinition = {
    options: { name: "pipeline" },
    fn: async () => {
      let result: unknown = input;
      for (const step of steps) result = await (step as (value: unknown) => unknown)(result);
      return result;
    },
  };
  return new TaskCall<T>(definition, []);
}
