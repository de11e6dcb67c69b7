// Schedule use cases for the REST API and for workflows declaring `withOptions({ schedule })`. Everything a
// request can get wrong (unknown workflow, bad cron, unknown timezone, input the workflow's schema rejects) is
// checked here, before a SchedulerDO is created.
import { and, eq, inArray } from "drizzle-orm";
import { createDb } from "../db/index";
import { executions as executionsTable } from "../db/schema";
import type { SchedulePatch, SchedulerDO, SchedulerOutcome } from "../durable-objects/scheduler-do";
import { validateInput, type Json, type WorkflowDefinition } from "../engine/index";
import type { Env } from "../worker/env";
import { BadRequestError, ConflictError, NotFoundError } from "../worker/errors";
import { workflows } from "../worker/services/index";
import { findScheduleByName, listScheduleIndex, type ScheduleFilter } from "./schedule-index";
import {
  checkSchedule,
  InvalidScheduleError,
  ScheduleSpecSchema,
  type Overlap,
  type ScheduleSpec,
} from "./schedule-spec";
import type { HistoryEntry, ScheduleView } from "./schedule-state";

export const SCHEDULE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const AUTO_SCHEDULE_SUFFIX = "_auto";

export interface NewSchedule {
  workflow: string;
  name: string;
  schedule: ScheduleSpec;
  input?: Json | undefined;
  overlap?: Overlap | undefined;
  description?: string | null | undefined;
}

/** The SchedulerDO's RPC surface as plain types (the generated Rpc stub types are too deep for tsc here). */
type Stub = Pick<SchedulerDO, "create" | "get" | "update" | "pause" | "resume" | "destroy" | "history">;

const stubFor = (env: Env, id: string): Stub =>
  env.SCHEDULERS.get(env.SCHEDULERS.idFromName(id)) as unknown as Stub;

const scheduleNotFound = (id: string) => new NotFoundError(`Schedule ${id} not found`, "schedule_not_found");

function unwrap<T>(id: string, outcome: SchedulerOutcome<T>): T {
  if (outcome.ok) return outcome.value;
  switch (outcome.error.code) {
    case "not_found":
      throw scheduleNotFound(id);
    case "name_taken":
      throw new ConflictError(outcome.error.message, undefined, "schedule_name_taken");
    case "invalid_state":
      throw new ConflictError(outcome.error.message, undefined, "invalid_state");
  }
}

function checked(spec: ScheduleSpec): void {
  try {
    checkSchedule(spec, Date.now());
  } catch (error) {
    if (error instanceof InvalidScheduleError)
      throw new BadRequestError(error.message, undefined, error.code);
    throw error;
  }
}

/** 404 unknown workflow; 400 when its input schema rejects `input`. Returns the input as the schema shaped it. */
async function checkedInput(env: Env, workflow: string, input: Json): Promise<Json> {
  return workflows.checkInput(env, await workflows.runTarget(env, workflow), input);
}

export async function create(
  env: Env,
  request: NewSchedule,
  source: "api" | "workflow" = "api",
): Promise<ScheduleView> {
  checked(request.schedule);
  const input = await checkedInput(env, request.workflow, request.input ?? null);
  return createChecked(env, { ...request, input }, source);
}

/** `request` already checked (spec, workflow, input). */
async function createChecked(
  env: Env,
  request: NewSchedule & { input: Json },
  source: "api" | "workflow",
): Promise<ScheduleView> {
  const input = request.input;
  const id = `sch_${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`;
  return unwrap(
    id,
    await stubFor(env, id).create({
      id,
      name: request.name,
      workflow: request.workflow,
      description: request.description ?? null,
      schedule: request.schedule,
      input,
      overlap: request.overlap ?? "skip",
      source,
    }),
  );
}

export async function get(env: Env, id: string): Promise<ScheduleView> {
  return unwrap(id, await stubFor(env, id).get());
}

export async function list(env: Env, filter: ScheduleFilter): Promise<ScheduleView[]> {
  return listScheduleIndex(createDb(env.DB), filter);
}

export async function update(env: Env, id: string, patch: SchedulePatch): Promise<ScheduleView> {
  if (patch.schedule !== undefined) checked(patch.schedule);
  const stub = stubFor(env, id);
  if (patch.input !== undefined) {
    const current = unwrap(id, await stub.get());
    patch = { ...patch, input: await checkedInput(env, current.workflow, patch.input) };
  }
  return unwrap(id, await stub.update(patch));
}

export async function pause(env: Env, id: string): Promise<ScheduleView> {
  return unwrap(id, await stubFor(env, id).pause());
}

export async function resume(env: Env, id: string): Promise<ScheduleView> {
  return unwrap(id, await stubFor(env, id).resume());
}

export async function remove(env: Env, id: string): Promise<void> {
  unwrap(id, await stubFor(env, id).destroy());
}

export interface ScheduleHistory {
  schedule_id: string;
  workflow: string;
  entries: (HistoryEntry & { state: string | null })[];
  total: number;
  limit: number;
  offset: number;
}

/** Newest first; each started entry carries its execution's current state from the D1 index (null if unknown). */
export async function history(env: Env, id: string, limit: number, offset: number): Promise<ScheduleHistory> {
  const page = unwrap(id, await stubFor(env, id).history(limit, offset));
  const ids = page.entries.flatMap((e) => (e.execution_id === null ? [] : [e.execution_id]));
  const states = new Map<string, string>();
  if (ids.length > 0) {
    const rows = await createDb(env.DB)
      .select({ id: executionsTable.id, state: executionsTable.state })
      .from(executionsTable)
      .where(and(inArray(executionsTable.id, ids), eq(executionsTable.workflowName, page.schedule.workflow)))
      .all();
    for (const row of rows) states.set(row.id, row.state);
  }
  return {
    schedule_id: id,
    workflow: page.schedule.workflow,
    entries: page.entries.map((e) => ({
      ...e,
      state: e.execution_id === null ? null : (states.get(e.execution_id) ?? null),
    })),
    total: page.total,
    limit,
    offset,
  };
}

/**
 * `workflow.withOptions({ schedule: { type: "cron", expression, timezone, overlap?, input? } })`: keeps a schedule
 * named `<workflow>_auto` in step with the declaration (created when missing, redefined when it changed).
 * Invalid declarations are logged, not thrown: one bad bundled workflow must not take the registry down.
 */
export async function ensureAutoSchedules(
  env: Env,
  definitions: readonly WorkflowDefinition[],
): Promise<void> {
  for (const definition of definitions) {
    const declared = definition.options.schedule;
    if (declared === undefined || declared === null) continue;
    try {
      await ensureAutoSchedule(env, definition, declared);
    } catch (error) {
      console.error(`auto schedule for workflow ${definition.name} not registered`, error);
    }
  }
}

// Runs while the registry registers (so it must not call workflows.runTarget, which waits for the registry).
async function ensureAutoSchedule(
  env: Env,
  definition: WorkflowDefinition,
  declared: unknown,
): Promise<void> {
  const workflow = definition.name;
  const extras = typeof declared === "object" ? (declared as { overlap?: unknown; input?: unknown }) : {};
  const schedule = ScheduleSpecSchema.parse(declared);
  checkSchedule(schedule, Date.now());
  const overlap: Overlap = extras.overlap === "allow" ? "allow" : "skip";
  const input = validateInput(definition, extras.input ?? null) as Json;
  const name = `${workflow}${AUTO_SCHEDULE_SUFFIX}`;
  const existing = await findScheduleByName(createDb(env.DB), name);
  if (!existing) {
    try {
      await createChecked(env, { workflow, name, schedule, input, overlap }, "workflow");
    } catch (error) {
      // Another isolate registered it first.
      if (!(error instanceof ConflictError)) throw error;
    }
    return;
  }
  const same =
    JSON.stringify(existing.schedule) === JSON.stringify(schedule) &&
    existing.overlap === overlap &&
    JSON.stringify(existing.input) === JSON.stringify(input);
  if (!same) unwrap(existing.id, await stubFor(env, existing.id).update({ schedule, overlap, input }));
}
