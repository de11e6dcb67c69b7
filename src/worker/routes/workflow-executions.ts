// Executions addressed through their workflow (SPEC §4): run, resume, status and cancel under /workflows/{name}.
// Handlers only parse and answer; src/worker/services/executions.ts does the work.
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { executions } from "../services/index";
import { deliveryResponse, readJsonInput, statusFor } from "./http-io";
import {
  BooleanQuery,
  errorResponses,
  ExecutionIdParam,
  ExecutionViewSchema,
  IdempotencyHeaders,
  JsonInputBody,
  ModeSchema,
  SSE_CONTENT,
  VersionQuery,
  WorkflowNameParam,
  CancelQuery,
  cancelResponses,
} from "./schemas";

const executionResponses = {
  200: {
    content: { "application/json": { schema: ExecutionViewSchema }, ...SSE_CONTENT },
    description: "sync: the execution once COMPLETED, FAILED, CANCELLED or PAUSED; stream: SSE",
  },
  202: {
    content: { "application/json": { schema: ExecutionViewSchema } },
    description: "async: accepted, still running",
  },
};

const runRoute = createRoute({
  method: "post",
  path: "/workflows/{name}/run/{mode}",
  tags: ["executions"],
  summary: "Start an execution",
  request: {
    params: z.object({ name: WorkflowNameParam, mode: ModeSchema }),
    query: z.object({ detailed: BooleanQuery, version: VersionQuery }),
    headers: IdempotencyHeaders,
    body: JsonInputBody,
  },
  responses: { ...executionResponses, ...errorResponses(400, 404, 413, 415, 503) },
});

const resumeRoute = createRoute({
  method: "post",
  path: "/workflows/{name}/resume/{execution_id}/{mode}",
  tags: ["executions"],
  summary: "Resume a paused execution with input",
  request: {
    params: z.object({ name: WorkflowNameParam, execution_id: ExecutionIdParam, mode: ModeSchema }),
    query: z.object({ detailed: BooleanQuery }),
    body: JsonInputBody,
  },
  responses: { ...executionResponses, ...errorResponses(400, 404, 409, 413, 415, 503) },
});

const statusRoute = createRoute({
  method: "get",
  path: "/workflows/{name}/status/{execution_id}",
  tags: ["executions"],
  summary: "An execution's summary (or detailed, with events)",
  request: {
    params: z.object({ name: WorkflowNameParam, execution_id: ExecutionIdParam }),
    query: z.object({ detailed: BooleanQuery }),
  },
  responses: {
    200: { content: { "application/json": { schema: ExecutionViewSchema } }, description: "The execution" },
    ...errorResponses(400, 404, 503),
  },
});

const cancelRoute = createRoute({
  method: "get",
  path: "/workflows/{name}/cancel/{execution_id}",
  tags: ["executions"],
  summary: "Cancel an execution (sync waits until CANCELLED)",
  request: {
    params: z.object({ name: WorkflowNameParam, execution_id: ExecutionIdParam }),
    query: CancelQuery,
  },
  responses: cancelResponses,
});

export function registerWorkflowExecutionRoutes(app: OpenAPIHono<AppEnv>): void {
  app
    .openapi(runRoute, async (c) => {
      const { name, mode } = c.req.valid("param");
      const { detailed, version } = c.req.valid("query");
      const idempotencyKey = c.req.valid("header")["idempotency-key"];
      const input = await readJsonInput(c);
      const delivery = await executions.run(c.env, {
        workflow: name,
        mode,
        input,
        version,
        detailed,
        idempotencyKey,
      });
      const response = deliveryResponse(c, delivery, mode);
      // A retry with a known Idempotency-Key gets the original execution back, never a second run.
      if (!delivery.created) response.headers.set("Idempotent-Replayed", "true");
      return response;
    })
    .openapi(resumeRoute, async (c) => {
      const { name, execution_id: executionId, mode } = c.req.valid("param");
      const { detailed } = c.req.valid("query");
      const input = await readJsonInput(c);
      const delivery = await executions.resume(c.env, { workflow: name, executionId, mode, input, detailed });
      return deliveryResponse(c, delivery, mode);
    })
    .openapi(statusRoute, async (c) => {
      const { name, execution_id: executionId } = c.req.valid("param");
      const { detailed } = c.req.valid("query");
      return c.json(await executions.status(c.env, { workflow: name, executionId, detailed }), 200);
    })
    .openapi(cancelRoute, async (c) => {
      const { name, execution_id: executionId } = c.req.valid("param");
      const { mode, detailed } = c.req.valid("query");
      const view = await executions.cancel(c.env, { workflow: name, executionId, mode, detailed });
      return c.json(view, statusFor(mode));
    });
}
