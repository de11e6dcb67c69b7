// Host ports for inline runs in this process (Node scripts, tests, and the default inside a Worker):
// wall clock, Math.random/crypto UUIDs, setTimeout timers, an in-memory task cache.
import {
  CancelledError,
  ExecutionError,
  findWorkflow,
  WorkflowNotFoundError,
  type ChildWorkflows,
  type HostPorts,
  type Json,
  type TaskCache,
  type Timers,
} from "../engine/index.ts";

export const inMemoryTimers: Timers = {
  waitUntil(at, _reason, _key, signal) {
    return new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason as Error);
      const onAbort = () => {
        clearTimeout(handle);
        reject(signal.reason as Error);
      };
      const handle = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      }, Math.max(0, at - Date.now()));
      signal.addEventListener("abort", onAbort, { once: true });
    });
  },
};

export function inMemoryCache(clock: () => number = Date.now): TaskCache {
  const entries = new Map<string, { value: Json; expiresAt: number }>();
  return {
    async get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= clock()) {
        entries.delete(key);
        return undefined;
      }
      return { value: entry.value };
    },
    async set(key, value, ttlSeconds) {
      entries.set(key, { value, expiresAt: ttlSeconds === undefined ? Infinity : clock() + ttlSeconds * 1000 });
    },
  };
}

/** Inline children run in this process too, under their deterministic ids. */
export const inlineChildren: ChildWorkflows = {
  async call({ workflow, input, mode, childId, signal }) {
    const child = findWorkflow(workflow);
    if (!child) throw new WorkflowNotFoundError(`Workflow ${workflow} is not defined in this process`);
    const running = child.run(input as never, { executionId: childId });
    if (mode === "async") {
      running.catch(() => {});
      return childId;
    }
    const onAbort = () => void child.cancel(childId).catch(() => {});
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      const ctx = await running;
      if (ctx.state === "COMPLETED") return ctx.output;
      if (ctx.state === "FAILED") throw new ExecutionError(ctx.output as unknown as Error);
      if (ctx.state === "CANCELLED") throw new ExecutionError(new CancelledError(`Child execution ${childId} was cancelled`));
      throw new ExecutionError(undefined, `Child execution ${childId} is ${ctx.state}; inline runs cannot wait for a paused child`);
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  },
};

export function inlineHostPorts(): HostPorts {
  return {
    clock: { now: () => Date.now() },
    random: { random: () => Math.random(), uuid: () => crypto.randomUUID() },
    timers: inMemoryTimers,
    cache: inMemoryCache(),
    children: inlineChildren,
  };
}
