// One schedule's state and history as its SchedulerDO keeps them in Durable Object SQLite, and the view the API
// shows. The state is one JSON row (small, always read whole); history is a row per due slot, keyed by the
// slot's time so a retried alarm cannot record a slot twice.
import type { Json } from "../engine/index";
import type { Overlap, ScheduleSpec } from "./schedule-spec";

export type ScheduleStatus = "active" | "paused" | "completed";
export type HistoryOutcome = "started" | "skipped" | "failed";

/** What a schedule is, as created or redefined. */
export interface ScheduleDefinition {
  id: string;
  name: string;
  workflow: string;
  description: string | null;
  schedule: ScheduleSpec;
  input: Json;
  overlap: Overlap;
  /** "api" for POST /schedules; "workflow" for one declared with `workflow.withOptions({ schedule })`. */
  source: "api" | "workflow";
}

/** The definition plus where the schedule stands. */
export interface ScheduleState extends ScheduleDefinition {
  status: ScheduleStatus;
  /** Interval slots are counted from here when the schedule has no start_at (creation or last redefinition). */
  anchor: number;
  created_at: number;
  updated_at: number;
  next_run_at: number | null;
  last_run_at: number | null;
  last_execution_id: string | null;
  run_count: number;
  skip_count: number;
  failure_count: number;
  last_skipped_at: number | null;
  /** The slot whose run is being started (set after the overlap check): a retried alarm goes straight to start. */
  firing: number | null;
}

export interface ScheduleView {
  id: string;
  name: string;
  workflow: string;
  description: string | null;
  schedule: ScheduleSpec;
  input: Json;
  overlap: Overlap;
  source: "api" | "workflow";
  status: ScheduleStatus;
  created_at: string;
  updated_at: string;
  next_run_at: string | null;
  last_run_at: string | null;
  last_execution_id: string | null;
  run_count: number;
  skip_count: number;
  failure_count: number;
  last_skipped_at: string | null;
}

export interface HistoryEntry {
  scheduled_at: string;
  fired_at: string;
  outcome: HistoryOutcome;
  execution_id: string | null;
  message: string | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function scheduleView(s: ScheduleState): ScheduleView {
  return {
    id: s.id,
    name: s.name,
    workflow: s.workflow,
    description: s.description,
    schedule: s.schedule,
    input: s.input,
    overlap: s.overlap,
    source: s.source,
    status: s.status,
    created_at: iso(s.created_at) as string,
    updated_at: iso(s.updated_at) as string,
    next_run_at: iso(s.next_run_at),
    last_run_at: iso(s.last_run_at),
    last_execution_id: s.last_execution_id,
    run_count: s.run_count,
    skip_count: s.skip_count,
    failure_count: s.failure_count,
    last_skipped_at: iso(s.last_skipped_at),
  };
}

/** History rows kept per schedule (oldest dropped first). */
export const MAX_HISTORY = 1000;

export class ScheduleStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(
      `CREATE TABLE IF NOT EXISTS schedule (id INTEGER PRIMARY KEY CHECK (id = 1), data TEXT NOT NULL)`,
    );
    sql.exec(`CREATE TABLE IF NOT EXISTS history (
      scheduled_at INTEGER PRIMARY KEY, fired_at INTEGER NOT NULL, outcome TEXT NOT NULL,
      execution_id TEXT, message TEXT)`);
  }

  load(): ScheduleState | undefined {
    const row = this.sql.exec<{ data: string }>("SELECT data FROM schedule WHERE id = 1").toArray()[0];
    return row ? (JSON.parse(row.data) as ScheduleState) : undefined;
  }

  save(state: ScheduleState): void {
    this.sql.exec(
      "INSERT INTO schedule (id, data) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data",
      JSON.stringify(state),
    );
  }

  /** First record of a slot wins; false when the slot was already recorded (a retried alarm). */
  record(entry: {
    scheduledAt: number;
    firedAt: number;
    outcome: HistoryOutcome;
    executionId: string | null;
    message: string | null;
  }): boolean {
    const inserted =
      this.sql.exec(
        "INSERT OR IGNORE INTO history (scheduled_at, fired_at, outcome, execution_id, message) VALUES (?, ?, ?, ?, ?)",
        entry.scheduledAt,
        entry.firedAt,
        entry.outcome,
        entry.executionId,
        entry.message,
      ).rowsWritten > 0;
    this.sql.exec(
      "DELETE FROM history WHERE scheduled_at NOT IN (SELECT scheduled_at FROM history ORDER BY scheduled_at DESC LIMIT ?)",
      MAX_HISTORY,
    );
    return inserted;
  }

  /** Newest first. */
  history(limit: number, offset: number): { entries: HistoryEntry[]; total: number } {
    const total = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM history").one().n;
    const rows = this.sql
      .exec<{
        scheduled_at: number;
        fired_at: number;
        outcome: HistoryOutcome;
        execution_id: string | null;
        message: string | null;
      }>("SELECT * FROM history ORDER BY scheduled_at DESC LIMIT ? OFFSET ?", limit, offset)
      .toArray();
    return {
      total,
      entries: rows.map((r) => ({
        scheduled_at: iso(r.scheduled_at) as string,
        fired_at: iso(r.fired_at) as string,
        outcome: r.outcome,
        execution_id: r.execution_id,
        message: r.message,
      })),
    };
  }
}
