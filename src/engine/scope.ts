// The async context every task call runs in: which run, which task (if any), which attempt, which signal.
// Hosts install the storage (AsyncLocalStorage) once per isolate; the engine never imports it.
import { AuthoringError, ExecutionError } from "./errors.ts";
import type { ContextStorage } from "./ports.ts";
import type { WorkflowRun } from "./run.ts";

export interface TaskFrame {
  taskId: string;
  taskName: string;
  attempt: number;
  /** Epoch ms of this call's TASK_STARTED (recorded), so durable waits are exact across replays. */
  startedAt: number;
  /** True when TASK_STARTED came from the log: the call was in flight when the previous run stopped. */
  wasStarted: boolean;
  secrets: Readonly<Record<string, string>>;
}

export interface Scope {
  run: WorkflowRun;
  signal: AbortSignal;
  task?: TaskFrame;
  /**
   * Log position of the latest task result this code has awaited (see TaskCall.then). A call made after it
   * was recorded after it, which tells apart identical calls when a replayed task skipped its nested ones.
   */
  horizon?: number;
}

let storage: ContextStorage<Scope> | undefined;

export function installContextStorage(store: ContextStorage<Scope>): void {
  storage = store;
}

export function contextStorage(): ContextStorage<Scope> {
  if (!storage) {
    throw new AuthoringError(
      "No context storage installed: import the SDK from 'flux' (it installs AsyncLocalStorage) or call installContextStorage().",
    );
  }
  return storage;
}

export function currentScope(): Scope | undefined {
  return storage?.getStore();
}

export function requireScope(): Scope {
  const scope = currentScope();
  if (!scope) {
    throw new ExecutionError(undefined, "No active workflow execution: tasks run inside a workflow (use wf.run(input)).");
  }
  return scope;
}

export interface TaskContext {
  taskId: string;
  taskName: string;
  attempt: number;
  secrets: Readonly<Record<string, string>>;
  metadata: { taskId: string; taskName: string };
  signal: AbortSignal;
  executionId: string;
  progress(value: unknown): void;
}

/** The running task's context (SPEC §2.1). Only valid inside a task body. */
export function taskContext(): TaskContext {
  const scope = currentScope();
  const task = scope?.task;
  if (!scope || !task) throw new AuthoringError("taskContext() is only available inside a running task");
  return {
    taskId: task.taskId,
    taskName: task.taskName,
    attempt: task.attempt,
    secrets: task.secrets,
    metadata: { taskId: task.taskId, taskName: task.taskName },
    signal: scope.signal,
    executionId: scope.run.executionId,
    progress: (value: unknown) => scope.run.emitProgress(task, value),
  };
}

interface FanOut {
  children: Set<AbortController>;
  onAbort: () => void;
}

/** Children linked to each signal: one "abort" listener per parent, however many children it has. */
const fanOuts = new WeakMap<AbortSignal, FanOut>();

/**
 * A child AbortController that follows `parent`; `release()` unhooks it so long runs don't leak listeners.
 * Why a shared listener per parent: Node's addEventListener scans the existing listeners for a duplicate, so
 * one listener per child made parallel() of N tasks O(N²) (bench: 10k tasks spent a third of their time
 * there). With at most one child at a time (sequential tasks) the listener is added and removed exactly as
 * before; concurrent children are aborted in the order they were linked.
 */
export function linkedController(parent: AbortSignal): { controller: AbortController; release(): void } {
  const controller = new AbortController();
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { controller, release: () => {} };
  }
  let fan = fanOuts.get(parent);
  if (!fan) {
    const children = new Set<AbortController>();
    const onAbort = () => {
      fanOuts.delete(parent);
      for (const child of children) child.abort(parent.reason);
    };
    fan = { children, onAbort };
    fanOuts.set(parent, fan);
    parent.addEventListener("abort", onAbort, { once: true });
  }
  const linked = fan;
  linked.children.add(controller);
  return {
    controller,
    release: () => {
      if (!linked.children.delete(controller) || linked.children.size > 0) return;
      if (fanOuts.get(parent) !== linked) return; // already fired (once) or replaced
      fanOuts.delete(parent);
      parent.removeEventListener("abort", linked.onAbort);
    },
  };
}

/** Resolves with `promise`, or rejects as soon as `signal` aborts (the promise is abandoned). */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
