// One alarm, many timers (STYLE principle 3). Every wait (sleep, retry backoff, timeouts, pause wakes,
// deadlines) is a row; the alarm is set to the earliest row after each change. While the object is alive a
// setTimeout resolves the waiter precisely; the alarm backs it, so a restart loses nothing: a due row with
// no waiter in memory means the execution must be replayed (the replay finds its wait already due).
import type { Timers } from "../engine/index.ts";

export type TimerKind = "wait" | "wake" | "deadline" | "watchdog" | "index-sync" | "notify-parent";

/** Waits up to this long also run on an in-memory setTimeout (precise wakes, e.g. retry backoff). */
const SHORT_WAIT_MS = 30_000;

interface Waiter {
  resolve(): void;
  handle: ReturnType<typeof setTimeout> | undefined;
}

export interface DueTimer {
  id: string;
  kind: TimerKind;
  /** True when a live waiter in this instance received it. */
  delivered: boolean;
}

export class DurableTimers implements Timers {
  private readonly waiters = new Map<string, Waiter>();

  constructor(
    private readonly sql: SqlStorage,
    private readonly storage: DurableObjectStorage,
  ) {
    sql.exec("CREATE TABLE IF NOT EXISTS timers (id TEXT PRIMARY KEY, kind TEXT NOT NULL, at INTEGER NOT NULL)");
  }

  waitUntil(at: number, reason: string, key: string, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    const id = `${reason}:${key}`;
    if (at <= Date.now()) {
      this.remove(id);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const finish = () => {
        this.waiters.delete(id);
        this.remove(id);
      };
      const onAbort = () => {
        const waiter = this.waiters.get(id);
        if (waiter?.handle !== undefined) clearTimeout(waiter.handle);
        finish();
        reject(signal.reason as Error);
      };
      // Short waits also get an in-memory timer for precision; long ones rely on the alarm alone, so an idle
      // object holds no pending work and can be evicted (the alarm brings it back).
      const delay = at - Date.now();
      const handle =
        delay <= SHORT_WAIT_MS
          ? setTimeout(() => {
              signal.removeEventListener("abort", onAbort);
              finish();
              resolve();
            }, delay)
          : undefined;
      this.waiters.set(id, {
        handle,
        resolve: () => {
          if (handle !== undefined) clearTimeout(handle);
          signal.removeEventListener("abort", onAbort);
          finish();
          resolve();
        },
      });
      signal.addEventListener("abort", onAbort, { once: true });
      this.put(id, "wait", at);
    });
  }

  /** A row that is not a waiter: pause wakes, workflow deadlines, the watchdog, D1 index repair. */
  put(id: string, kind: TimerKind, at: number): void {
    this.sql.exec("INSERT OR REPLACE INTO timers (id, kind, at) VALUES (?, ?, ?)", id, kind, at);
    this.rearm();
  }

  remove(id: string): void {
    this.sql.exec("DELETE FROM timers WHERE id = ?", id);
    this.rearm();
  }

  removeKind(kind: TimerKind): void {
    this.sql.exec("DELETE FROM timers WHERE kind = ?", kind);
    this.rearm();
  }

  /** Called from alarm(): take every due row, resolve live waiters, report the rest. Idempotent. */
  takeDue(now = Date.now()): DueTimer[] {
    const rows = this.sql
      .exec<{ id: string; kind: TimerKind }>("SELECT id, kind FROM timers WHERE at <= ? ORDER BY at", now)
      .toArray();
    const due: DueTimer[] = [];
    for (const row of rows) {
      const waiter = this.waiters.get(row.id);
      this.sql.exec("DELETE FROM timers WHERE id = ?", row.id);
      if (waiter) waiter.resolve();
      due.push({ id: row.id, kind: row.kind, delivered: waiter !== undefined });
    }
    this.rearm();
    return due;
  }

  nextAt(): number | null {
    const row = this.sql.exec<{ at: number | null }>("SELECT MIN(at) AS at FROM timers").one();
    return row.at ?? null;
  }

  private armedAt: number | null | undefined;

  /** Keep the single alarm at the earliest row (skip the storage call when it is already there). */
  private rearm(): void {
    const next = this.nextAt();
    if (next === this.armedAt) return;
    this.armedAt = next;
    const done = next === null ? this.storage.deleteAlarm() : this.storage.setAlarm(next);
    done.catch((error: unknown) => {
      this.armedAt = undefined;
      console.error("could not set alarm", error);
    });
  }

  /** After a restart, the remembered alarm time is unknown. */
  forgetArmed(): void {
    this.armedAt = undefined;
  }
}
