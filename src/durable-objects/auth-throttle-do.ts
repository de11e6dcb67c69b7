// AuthThrottleDO: a sliding-window counter of failed authentications for one client (one object per client key,
// e.g. the CF-Connecting-IP address). The Worker reports each failure; the object answers whether the client is
// now over the limit and for how long. State is a row per failure in the object's SQLite, cleared by an alarm
// once the window has passed, so idle clients cost nothing.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../worker/env.ts";

export interface ThrottleVerdict {
  /** True once the failures in the window exceed the limit. */
  limited: boolean;
  /** Failures counted in the current window, this one included. */
  failures: number;
  /** Milliseconds until enough failures leave the window to fall back under the limit; 0 when not limited. */
  retryAfterMs: number;
}

export class AuthThrottleDO extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS failures (at INTEGER NOT NULL)");
  }

  /** Records one failure at `now` and judges the window (limit failures per windowMs; the limit+1-th is limited). */
  recordFailure(limit: number, windowMs: number, now: number = Date.now()): ThrottleVerdict {
    const sql = this.ctx.storage.sql;
    // alarm() drops the table (deleteAll) while this instance may stay alive: create it again when needed.
    sql.exec("CREATE TABLE IF NOT EXISTS failures (at INTEGER NOT NULL)");
    sql.exec("DELETE FROM failures WHERE at <= ?", now - windowMs);
    sql.exec("INSERT INTO failures (at) VALUES (?)", now);
    const times = sql
      .exec<{ at: number }>("SELECT at FROM failures ORDER BY at DESC")
      .toArray()
      .map((r) => r.at);
    void this.ctx.storage.setAlarm(now + windowMs);
    if (times.length <= limit) return { limited: false, failures: times.length, retryAfterMs: 0 };
    // Under the limit again once the (limit+1)-th most recent failure leaves the window.
    const pivot = times[limit] as number;
    return { limited: true, failures: times.length, retryAfterMs: Math.max(1, pivot + windowMs - now) };
  }

  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}
