// Execution index in D1: one row per execution for listing/filtering. The ExecutionDO is the source of truth;
// these rows are upserted after DO state changes and may be repaired from the DO (SPEC §1).
import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import type { Db } from "./client";
import { executions, type ExecutionRow, type NewExecutionRow } from "./schema";

export interface ExecutionFilter {
  workflow?: string;
  state?: string;
  /** 1..200, default 50. */
  limit?: number;
  /** Opaque cursor from a previous page's `next_cursor`. */
  cursor?: string;
}

export interface ExecutionPage {
  items: ExecutionRow[];
  next_cursor: string | null;
}

export const MAX_PAGE_SIZE = 200;
const DEFAULT_PAGE_SIZE = 50;

/** Insert the row, or move an existing one forward (state, version, updated_at). Identity fields never change. */
export async function upsertExecution(db: Db, row: NewExecutionRow): Promise<void> {
  await db
    .insert(executions)
    .values(row)
    .onConflictDoUpdate({
      target: executions.id,
      set: { state: row.state, workflowVersion: row.workflowVersion, updatedAt: row.updatedAt },
    });
}

export async function getExecution(db: Db, id: string): Promise<ExecutionRow | undefined> {
  return db.select().from(executions).where(eq(executions.id, id)).get();
}

export async function findExecutionByIdempotencyKey(db: Db, key: string): Promise<ExecutionRow | undefined> {
  return db.select().from(executions).where(eq(executions.idempotencyKey, key)).get();
}

/** Cursor = base64url("<created_at>:<id>") of the last row on the page. */
export function encodeCursor(row: Pick<ExecutionRow, "createdAt" | "id">): string {
  return btoa(`${row.createdAt}:${row.id}`).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Returns null for anything that is not a cursor we issued; callers turn that into a 400. */
export function decodeCursor(cursor: string): { createdAt: number; id: string } | null {
  try {
    const text = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    const sep = text.indexOf(":");
    const createdAt = Number(text.slice(0, sep));
    if (sep <= 0 || !Number.isSafeInteger(createdAt)) return null;
    return { createdAt, id: text.slice(sep + 1) };
  } catch {
    return null;
  }
}

export class InvalidCursorError extends Error {
  readonly code = "invalid_cursor";
}

/** Newest first, keyset-paginated on (created_at, id) so pages stay stable while rows are added. */
export async function listExecutions(db: Db, filter: ExecutionFilter = {}): Promise<ExecutionPage> {
  const limit = Math.min(Math.max(Math.trunc(filter.limit ?? DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE);
  const conditions: SQL[] = [];
  if (filter.workflow !== undefined) conditions.push(eq(executions.workflowName, filter.workflow));
  if (filter.state !== undefined) conditions.push(eq(executions.state, filter.state));
  if (filter.cursor !== undefined) {
    const after = decodeCursor(filter.cursor);
    if (!after) throw new InvalidCursorError("Invalid cursor");
    const older = or(
      lt(executions.createdAt, after.createdAt),
      and(eq(executions.createdAt, after.createdAt), lt(executions.id, after.id)),
    );
    if (older) conditions.push(older);
  }
  const rows = await db
    .select()
    .from(executions)
    .where(and(...conditions))
    .orderBy(desc(executions.createdAt), desc(executions.id))
    .limit(limit + 1)
    .all();
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next_cursor: rows.length > limit && last ? encodeCursor(last) : null };
}
