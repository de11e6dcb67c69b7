// The execution's own SQLite (Durable Object storage): an append-only event log with an index by task id,
// and one row of metadata. Synchronous SQL: an appended event is durable before the next await.
import type { ExecutionEvent, ExecutionState, Json } from "../engine/index.ts";

export interface ExecutionMeta {
  execution_id: string;
  workflow_name: string;
  workflow_version: number;
  parent_execution_id: string | null;
  idempotency_key: string | null;
  created_at: string;
  state: ExecutionState;
  /** The state last written to the D1 index (repair runs when it lags). */
  indexed_state: string | null;
}

interface EventRow extends Record<string, SqlStorageValue> {
  seq: number;
  type: string;
  source_id: string;
  name: string;
  value: string;
  time: string;
}

export class EventStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS events (
      seq INTEGER PRIMARY KEY, type TEXT NOT NULL, source_id TEXT NOT NULL, name TEXT NOT NULL,
      value TEXT NOT NULL, time TEXT NOT NULL)`);
    sql.exec(`CREATE INDEX IF NOT EXISTS events_by_source ON events (source_id, seq)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS meta (
      id INTEGER PRIMARY KEY CHECK (id = 1), execution_id TEXT NOT NULL, workflow_name TEXT NOT NULL,
      workflow_version INTEGER NOT NULL, parent_execution_id TEXT, idempotency_key TEXT, created_at TEXT NOT NULL,
      state TEXT NOT NULL, indexed_state TEXT)`);
  }

  meta(): ExecutionMeta | undefined {
    return this.sql.exec<ExecutionMeta & Record<string, SqlStorageValue>>("SELECT * FROM meta WHERE id = 1").toArray()[0];
  }

  create(meta: Omit<ExecutionMeta, "state" | "indexed_state">): void {
    this.sql.exec(
      `INSERT INTO meta (id, execution_id, workflow_name, workflow_version, parent_execution_id, idempotency_key, created_at, state)
       VALUES (1, ?, ?, ?, ?, ?, ?, 'CREATED')`,
      meta.execution_id,
      meta.workflow_name,
      meta.workflow_version,
      meta.parent_execution_id,
      meta.idempotency_key,
      meta.created_at,
    );
  }

  /** Undo create() of an execution that never started (it has no events). */
  forget(): void {
    this.sql.exec("DELETE FROM meta WHERE id = 1 AND NOT EXISTS (SELECT 1 FROM events)");
  }

  setState(state: ExecutionState): void {
    this.sql.exec("UPDATE meta SET state = ? WHERE id = 1", state);
  }

  setIndexedState(state: string): void {
    this.sql.exec("UPDATE meta SET indexed_state = ? WHERE id = 1", state);
  }

  append(event: ExecutionEvent): void {
    this.sql.exec(
      "INSERT INTO events (seq, type, source_id, name, value, time) VALUES (?, ?, ?, ?, ?, ?)",
      event.id,
      event.type,
      event.source_id,
      event.name,
      JSON.stringify(event.value),
      event.time,
    );
  }

  events(): ExecutionEvent[] {
    return this.sql
      .exec<EventRow>("SELECT seq, type, source_id, name, value, time FROM events ORDER BY seq")
      .toArray()
      .map((row) => ({
        id: row.seq,
        type: row.type as ExecutionEvent["type"],
        source_id: row.source_id,
        name: row.name,
        value: JSON.parse(row.value) as Json,
        time: row.time,
      }));
  }

  /** Events of one task, by the index (used by inspection routes; replay uses the in-memory index). */
  eventsOf(sourceId: string): number[] {
    return this.sql
      .exec<{ seq: number }>("SELECT seq FROM events WHERE source_id = ? ORDER BY seq", sourceId)
      .toArray()
      .map((row) => row.seq);
  }
}
