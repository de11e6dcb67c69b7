// The D1 index of schedules (for listing and name uniqueness). Each SchedulerDO writes its own row; the object's
// SQLite stays the source of truth, so a lost write here is repaired by the object's next change.
import { and, asc, eq, type SQL } from "drizzle-orm";
import type { Db } from "../db/index";
import { schedules } from "../db/schema";
import type { ScheduleState, ScheduleView } from "./schedule-state";
import { scheduleView } from "./schedule-state";

function indexRow(state: ScheduleState) {
  return {
    id: state.id,
    name: state.name,
    workflowName: state.workflow,
    scheduleType: state.schedule.type,
    status: state.status,
    view: scheduleView(state),
    nextRunAt: state.next_run_at,
    createdAt: state.created_at,
    updatedAt: state.updated_at,
  };
}

/** Inserts a new schedule's row; false when the name is already taken. */
export async function claimScheduleName(db: Db, state: ScheduleState): Promise<boolean> {
  const rows = await db
    .insert(schedules)
    .values(indexRow(state))
    .onConflictDoNothing()
    .returning({ id: schedules.id })
    .all();
  return rows.length > 0;
}

export async function writeScheduleIndex(db: Db, state: ScheduleState): Promise<void> {
  const row = indexRow(state);
  const { id: _id, ...changes } = row;
  await db.insert(schedules).values(row).onConflictDoUpdate({ target: schedules.id, set: changes });
}

export async function deleteScheduleIndex(db: Db, id: string): Promise<void> {
  await db.delete(schedules).where(eq(schedules.id, id));
}

export async function findScheduleByName(db: Db, name: string): Promise<ScheduleView | undefined> {
  const row = await db.select({ view: schedules.view }).from(schedules).where(eq(schedules.name, name)).get();
  return row?.view as ScheduleView | undefined;
}

export interface ScheduleFilter {
  workflow?: string | undefined;
  status?: ScheduleState["status"] | undefined;
  limit: number;
  offset: number;
}

/** Oldest first (creation order). */
export async function listScheduleIndex(db: Db, filter: ScheduleFilter): Promise<ScheduleView[]> {
  const conditions: SQL[] = [];
  if (filter.workflow !== undefined) conditions.push(eq(schedules.workflowName, filter.workflow));
  if (filter.status !== undefined) conditions.push(eq(schedules.status, filter.status));
  const rows = await db
    .select({ view: schedules.view })
    .from(schedules)
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(asc(schedules.createdAt), asc(schedules.id))
    .limit(filter.limit)
    .offset(filter.offset)
    .all();
  return rows.map((r) => r.view as ScheduleView);
}
