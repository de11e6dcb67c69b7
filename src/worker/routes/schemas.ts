// Zod schemas shared by the workflow and execution routes: wire shapes (SPEC §4, snake_case) and the query,
// path and header parameters. They drive both request validation (→ 400) and /openapi.json.
import { z } from "@hono/zod-openapi";
import { ExecutionStates } from "../../engine/index";
import { EXECUTION_ID_PATTERN, MAX_IDEMPOTENCY_KEY_LENGTH } from "../services/index";

export const ErrorSchema = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  })
  .openapi("Error");

export const ExecutionStateSchema = z.enum(ExecutionStates).openapi("ExecutionState");

export const EventSchema = z
  .object({
    id: z.number().int(),
    type: z.string(),
    source_id: z.string(),
    name: z.string(),
    value: z.unknown(),
    time: z.string(),
  })
  .openapi("ExecutionEvent");

export const ExecutionViewSchema = z
  .object({
    workflow_id: z.string(),
    workflow_name: z.string(),
    execution_id: z.string(),
    workflow_version: z.number().int(),
    parent_execution_id: z.string().nullable(),
    input: z.unknown(),
    output: z.unknown(),
    state: ExecutionStateSchema,
    created_at: z.string().nullable(),
    updated_at: z.string().nullable(),
    events: z.array(EventSchema).optional().openapi({ description: "Only with detailed=true" }),
  })
  .openapi("Execution");

/** `true|false|1|0`; absent = false. Anything else is a 400, not silently false. */
export const BooleanQuery = z
  .enum(["true", "false", "1", "0"])
  .optional()
  .transform((value) => value === "true" || value === "1")
  .openapi({ type: "boolean" });

export const ModeSchema = z.enum(["sync", "async", "stream"]).openapi({
  description:
    "sync waits until COMPLETED, FAILED, CANCELLED or PAUSED; async returns at once (202); stream is SSE",
});
export const CancelModeSchema = z.enum(["sync", "async"]);

export const WorkflowNameParam = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, "Not a workflow name")
  .openapi({ param: { name: "name", in: "path" }, example: "hello_world" });

export const ExecutionIdParam = z
  .string()
  .regex(EXECUTION_ID_PATTERN, "Not an execution id")
  .openapi({ param: { name: "execution_id", in: "path" }, example: "0f6d8a3c9b2e4f10a1b2c3d4e5f60718" });

export const VersionQuery = z
  .string()
  .regex(/^[1-9][0-9]{0,8}$/, "version must be a positive integer")
  .transform(Number)
  .optional()
  .openapi({ type: "integer", description: "Default: the latest version" });

export const IdempotencyHeaders = z.object({
  "idempotency-key": z
    .string()
    .min(1)
    .max(MAX_IDEMPOTENCY_KEY_LENGTH)
    // Webhook deliveries and schedule slots derive their execution ids from keys in these namespaces; a
    // client key there could claim a future delivery or slot (which would then be taken as a duplicate).
    .refine(
      (key) => !/^(webhook|schedule):/.test(key),
      "keys starting with webhook: or schedule: are reserved",
    )
    .optional()
    .openapi({ description: "Retries with the same key return the same execution (never a second run)" }),
});

/** Documented, not validated by zod-openapi: routes read the raw body themselves (empty = null). */
export const JsonInputBody = {
  required: false,
  description: "Any JSON value (empty body = null). Content-Type must be application/json when present.",
  content: { "application/json": { schema: {} } },
};

/** An OpenAPI JSON response of `schema`. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { "application/json": { schema } },
  description,
});

export const errorResponses = (...statuses: (400 | 404 | 409 | 413 | 415 | 503)[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      status,
      { content: { "application/json": { schema: ErrorSchema } }, description: describeStatus[status] },
    ]),
  ) as Record<
    number,
    { content: { "application/json": { schema: typeof ErrorSchema } }; description: string }
  >;

const describeStatus = {
  400: "Bad input (validation, malformed JSON, finished execution)",
  404: "Unknown workflow, version or execution",
  409: "Execution is in the wrong state",
  413: "Body too large",
  415: "Body is not application/json",
  503: "The workflow's code is not available",
} as const;

export const SSE_CONTENT = {
  "text/event-stream": {
    schema: { type: "string" as const, description: "SSE frames: workflow.execution.{state}, task.progress" },
  },
};

/** Query and responses of both cancel routes (GET /workflows/{name}/cancel/{id}, POST /executions/{id}/cancel). */
export const CancelQuery = z.object({ mode: CancelModeSchema.default("async"), detailed: BooleanQuery });
export const cancelResponses = {
  200: { content: { "application/json": { schema: ExecutionViewSchema } }, description: "sync: cancelled" },
  202: { content: { "application/json": { schema: ExecutionViewSchema } }, description: "async: cancelling" },
  ...errorResponses(400, 404, 503),
};
