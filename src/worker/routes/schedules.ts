// Schedules (SPEC §5): cron (IANA timezone), interval and once; overlap skip/allow; pause/resume; history.
// Each schedule is a SchedulerDO firing from its own alarm; listing reads the D1 index. Policy: schedule:read
// for GETs, schedule:manage for changes (middleware/policy.ts).
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { SCHEDULE_ID_PATTERN, ScheduleSpecSchema, schedules } from "../../triggers/index";
import type { AppEnv } from "../env";
import { ErrorSchema, WorkflowNameParam, json } from "./schemas";

const SCHEDULE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

const IdParam = z.object({
  id: z
    .string()
    .regex(SCHEDULE_ID_PATTERN, "Not a schedule id")
    .openapi({ param: { name: "id", in: "path" } }),
});
const Spec = ScheduleSpecSchema.openapi("ScheduleSpec", {
  description:
    '{type:"cron", expression (5 or 6 fields), timezone (IANA, default UTC)} | ' +
    '{type:"interval", every_seconds, start_at?, end_at?} | {type:"once", at}',
});
const Overlap = z.enum(["skip", "allow"]);

const ScheduleSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    workflow: z.string(),
    description: z.string().nullable(),
    schedule: Spec,
    input: z.unknown(),
    overlap: Overlap,
    source: z.enum(["api", "workflow"]),
    status: z.enum(["active", "paused", "completed"]),
    created_at: z.string(),
    updated_at: z.string(),
    next_run_at: z.string().nullable(),
    last_run_at: z.string().nullable(),
    last_execution_id: z.string().nullable(),
    run_count: z.number().int(),
    skip_count: z.number().int(),
    failure_count: z.number().int(),
    last_skipped_at: z.string().nullable(),
  })
  .openapi("Schedule");

const CreateSchedule = z
  .object({
    workflow: WorkflowNameParam,
    name: z.string().regex(SCHEDULE_NAME, "name: 1-128 characters from A-Z a-z 0-9 _ . - (not first)"),
    schedule: Spec,
    input: z.unknown().optional(),
    overlap: Overlap.default("skip"),
    description: z.string().max(1000).nullable().optional(),
  })
  .openapi("CreateSchedule");

const UpdateSchedule = z
  .object({
    schedule: Spec.optional(),
    input: z.unknown().optional(),
    overlap: Overlap.optional(),
    description: z.string().max(1000).nullable().optional(),
  })
  .openapi("UpdateSchedule");

const ListQuery = z.object({
  workflow: z.string().optional(),
  status: z.enum(["active", "paused", "completed"]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
const HistoryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const HistorySchema = z
  .object({
    schedule_id: z.string(),
    workflow: z.string(),
    entries: z.array(
      z.object({
        scheduled_at: z.string(),
        fired_at: z.string(),
        outcome: z.enum(["started", "skipped", "failed"]),
        execution_id: z.string().nullable(),
        state: z.string().nullable(),
        message: z.string().nullable(),
      }),
    ),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .openapi("ScheduleHistory");

const common = {
  401: json(ErrorSchema, "Missing or invalid token"),
  403: json(ErrorSchema, "Role not allowed"),
};
const notFound = { 404: json(ErrorSchema, "Unknown schedule") };
const tags = ["schedules"];
const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { "application/json": { schema } }, required: true },
});

const createScheduleRoute = createRoute({
  method: "post",
  path: "/schedules",
  tags,
  summary: "Create a schedule",
  request: body(CreateSchedule),
  responses: {
    201: json(ScheduleSchema, "Created"),
    400: json(ErrorSchema, "Invalid cron, timezone, window or input"),
    404: json(ErrorSchema, "Unknown workflow"),
    409: json(ErrorSchema, "Name taken"),
    ...common,
  },
});
const listRoute = createRoute({
  method: "get",
  path: "/schedules",
  tags,
  summary: "List schedules (creation order)",
  request: { query: ListQuery },
  responses: { 200: json(z.array(ScheduleSchema), "Schedules"), ...common },
});
const getRoute = createRoute({
  method: "get",
  path: "/schedules/{id}",
  tags,
  summary: "Show a schedule",
  request: { params: IdParam },
  responses: { 200: json(ScheduleSchema, "The schedule"), ...notFound, ...common },
});
const updateRoute = createRoute({
  method: "put",
  path: "/schedules/{id}",
  tags,
  summary: "Change a schedule's definition, input, overlap or description",
  request: { params: IdParam, ...body(UpdateSchedule) },
  responses: {
    200: json(ScheduleSchema, "Updated"),
    400: json(ErrorSchema, "Invalid definition or input"),
    ...notFound,
    ...common,
  },
});
const patchRoute = createRoute({ ...updateRoute, method: "patch" });
const deleteRoute = createRoute({
  method: "delete",
  path: "/schedules/{id}",
  tags,
  summary: "Delete a schedule (its runs are kept)",
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" }, ...notFound, ...common },
});
const action = (verb: "pause" | "resume", summary: string) =>
  createRoute({
    method: "post",
    path: `/schedules/{id}/${verb}`,
    tags,
    summary,
    request: { params: IdParam },
    responses: {
      200: json(ScheduleSchema, "The schedule"),
      409: json(ErrorSchema, "The schedule has completed"),
      ...notFound,
      ...common,
    },
  });
const pauseRoute = action("pause", "Pause: no fires until resumed");
const resumeRoute = action(
  "resume",
  "Resume: the next slot after now (slots missed while paused are not fired)",
);
const historyRoute = createRoute({
  method: "get",
  path: "/schedules/{id}/history",
  tags,
  summary: "Fires of a schedule, newest first: started, skipped (overlap) or failed to start",
  request: { params: IdParam, query: HistoryQuery },
  responses: { 200: json(HistorySchema, "History"), ...notFound, ...common },
});

export function registerScheduleRoutes(app: OpenAPIHono<AppEnv>): void {
  app
    .openapi(createScheduleRoute, async (c) => {
      const request = c.req.valid("json");
      const created = await schedules.create(c.env, {
        ...request,
        input: (request.input ?? null) as never,
      });
      return c.json(created, 201);
    })
    .openapi(listRoute, async (c) => c.json(await schedules.list(c.env, c.req.valid("query")), 200))
    .openapi(getRoute, async (c) => c.json(await schedules.get(c.env, c.req.valid("param").id), 200))
    .openapi(updateRoute, async (c) => {
      const patch = c.req.valid("json");
      return c.json(await schedules.update(c.env, c.req.valid("param").id, patch as never), 200);
    })
    .openapi(patchRoute, async (c) => {
      const patch = c.req.valid("json");
      return c.json(await schedules.update(c.env, c.req.valid("param").id, patch as never), 200);
    })
    .openapi(deleteRoute, async (c) => {
      await schedules.remove(c.env, c.req.valid("param").id);
      return c.body(null, 204);
    })
    .openapi(pauseRoute, async (c) => c.json(await schedules.pause(c.env, c.req.valid("param").id), 200))
    .openapi(resumeRoute, async (c) => c.json(await schedules.resume(c.env, c.req.valid("param").id), 200))
    .openapi(historyRoute, async (c) => {
      const { limit, offset } = c.req.valid("query");
      return c.json(await schedules.history(c.env, c.req.valid("param").id, limit, offset), 200);
    });
}
