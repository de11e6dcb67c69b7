// Everything the engine needs from its host comes in through these ports (STYLE principle 1). Each host
// (inline Node, the execution Durable Object, a Worker Loader isolate, an external worker) provides them.
import type { Json } from "./codec.ts";
import type { ExecutionEvent } from "./events.ts";

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export interface Random {
  /** Uniform in [0, 1). */
  random(): number;
  uuid(): string;
}

export type TimerReason = "sleep" | "retry" | "timeout" | "pause" | "workflow-timeout";

export interface Timers {
  /**
   * Resolve at epoch-ms `at`, or reject with `signal.reason` once `signal` aborts. Durable hosts back the
   * wait with a persisted timer row so that a restart loses nothing (the replay then finds it due).
   */
  waitUntil(at: number, reason: TimerReason, key: string, signal: AbortSignal): Promise<void>;
}

/** The async-context store (AsyncLocalStorage in Node and workerd). */
export interface ContextStorage<T> {
  run<R>(store: T, fn: () => R): R;
  getStore(): T | undefined;
}

export interface Secrets {
  /** Values for `names`; throws if any is missing (the message names the missing ones, never values). */
  get(names: readonly string[]): Promise<Record<string, string>>;
}

export interface TaskCache {
  get(key: string): Promise<{ value: Json } | undefined>;
  set(key: string, value: Json, ttlSeconds: number | undefined): Promise<void>;
}

export interface ProgressUpdate {
  executionId: string;
  taskId: string;
  taskName: string;
  value: unknown;
}

/** Where new events go. Hosts persist them (synchronously where they can) and flush at checkpoints. */
export interface Journal {
  append(event: ExecutionEvent): void;
  /** Called after TASK_COMPLETED, at a pause and at the end of a run. */
  checkpoint?(): Promise<void>;
}

export interface ChildCallRequest {
  workflow: string;
  input: unknown;
  mode: "sync" | "async";
  /** Deterministic: the same call in a replay gets the same child. */
  childId: string;
  parentId: string;
  /** Aborts when the calling task is cancelled; a sync child is then cancelled too. */
  signal: AbortSignal;
}

export interface ChildWorkflows {
  /** Start (or find) the child; `sync` resolves with its output (or throws its failure), `async` with its id. */
  call(request: ChildCallRequest): Promise<unknown>;
}

export interface HostPorts {
  clock: Clock;
  random: Random;
  timers: Timers;
  secrets?: Secrets;
  cache?: TaskCache;
  progress?: (update: ProgressUpdate) => void;
  children?: ChildWorkflows;
}
