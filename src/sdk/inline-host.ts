// Host ports for inline runs in this process (Node scripts, tests, and the default inside a Worker):
// wall clock, Math.random/crypto UUIDs, setTimeout timers, an in-memory task cache.
import type { HostPorts, Json, TaskCache, Timers } from "../engine/index.ts";

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

export function inlineHostPorts(): HostPorts {
  return {
    clock: { now: () => Date.now() },
    random: { random: () => Math.random(), uuid: () => crypto.randomUUID() },
    timers: inMemoryTimers,
    cache: inMemoryCache(),
  };
}
