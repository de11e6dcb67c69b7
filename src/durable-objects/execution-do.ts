// ExecutionDO: one Durable Object per execution (SPEC §1). PLACEHOLDER: proves SQLite storage and alarms work;
// the runtime replaces the body with the event log, timers and executors. Keep this file a thin adapter.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../worker/env";

export interface PingResult {
  pings: number;
  alarm_at: number | null;
}

export class ExecutionDO extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value INTEGER NOT NULL)");
  }

  /** Increments a counter in SQLite and schedules an alarm `delayMs` from now. */
  async ping(delayMs = 60_000): Promise<PingResult> {
    const sql = this.ctx.storage.sql;
    sql.exec(
      "INSERT INTO kv (key, value) VALUES ('pings', 1) ON CONFLICT(key) DO UPDATE SET value = value + 1",
    );
    const pings = sql.exec<{ value: number }>("SELECT value FROM kv WHERE key = 'pings'").one().value;
    await this.ctx.storage.setAlarm(Date.now() + delayMs);
    return { pings, alarm_at: await this.ctx.storage.getAlarm() };
  }

  /** How many alarms have fired; read by tests. */
  alarms(): number {
    const row = this.ctx.storage.sql
      .exec<{ value: number }>("SELECT value FROM kv WHERE key = 'alarms'")
      .toArray()[0];
    return row?.value ?? 0;
  }

  override async alarm(): Promise<void> {
    this.ctx.storage.sql.exec(
      "INSERT INTO kv (key, value) VALUES ('alarms', 1) ON CONFLICT(key) DO UPDATE SET value = value + 1",
    );
  }
}
