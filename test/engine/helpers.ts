// Test helpers for engine tests: virtual time (no real sleeps), compact event traces.
import { inMemoryCache, type ExecutionContext, type ExecutionEvent, type HostPorts, type Timers } from "flux";

interface Pending {
  at: number;
  seq: number;
  resolve: () => void;
}

/**
 * A virtual clock. Timers fire in time order, one per macrotask turn, only when the engine has nothing
 * else to do (every microtask has run) — so a test that waits 600 s of backoff takes milliseconds.
 */
export class VirtualTime {
  now = Date.parse("2026-01-01T00:00:00.000Z");
  readonly waits: { at: number; reason: string; key: string }[] = [];
  private pending: Pending[] = [];
  private seq = 0;
  private running = false;

  readonly timers: Timers = {
    waitUntil: (at, reason, key, signal) => {
      this.waits.push({ at, reason, key });
      this.ensureRunning();
      return new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason as Error);
        const entry: Pending = { at, seq: this.seq++, resolve: () => resolve() };
        this.pending.push(entry);
        signal.addEventListener("abort", () => {
          this.pending = this.pending.filter((p) => p !== entry);
          reject(signal.reason as Error);
        });
      });
    },
  };

  /** Sleep inside task bodies on virtual time (a body "taking" this long). */
  delay(ms: number, signal?: AbortSignal): Promise<void> {
    return this.timers.waitUntil(
      this.now + ms,
      "sleep",
      "test-delay",
      signal ?? new AbortController().signal,
    );
  }

  ports(extra: Partial<HostPorts> = {}): Partial<HostPorts> {
    let n = 0;
    return {
      clock: { now: () => this.now },
      random: { random: () => 0.5, uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}` },
      timers: this.timers,
      cache: inMemoryCache(() => this.now),
      ...extra,
    };
  }

  private ensureRunning(): void {
    if (this.running) return;
    this.running = true;
    const tick = () => {
      if (this.pending.length === 0) {
        this.running = false;
        return;
      }
      this.pending.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.pending.shift() as Pending;
      this.now = Math.max(this.now, next.at);
      next.resolve();
      setImmediate(tick);
    };
    setImmediate(tick);
  }
}

export const types = (ctx: ExecutionContext<unknown, unknown> | readonly ExecutionEvent[]) =>
  ("events" in ctx ? ctx.events : ctx).map((e) => e.type);

/** [type, name] pairs of task events for one task name, in order. */
export const taskTrace = (ctx: ExecutionContext<unknown, unknown>, name?: string) =>
  ctx.events
    .filter((e) => e.type.startsWith("TASK_") && (name === undefined || e.name === name))
    .map((e) => e.type);

/** `TYPE name` lines: the golden form used by trace tests. */
export const lines = (ctx: ExecutionContext<unknown, unknown>) =>
  ctx.events.map((e) => `${e.type} ${e.name}`);

export const strip = (id: string) => id.replace(/_[0-9a-f]{16}(~\d+)?$/, "");

/** Let the engine run (macrotask turns) until `condition` holds; fails after `turns` turns. */
export async function until(condition: () => boolean, turns = 1000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error("until(): condition never held");
}

/** Events without `id`/`time`, for comparing logs from different runs. */
export const shape = (events: readonly ExecutionEvent[]) =>
  events.map(({ type, source_id, name, value }) => ({ type, source_id, name, value }));
