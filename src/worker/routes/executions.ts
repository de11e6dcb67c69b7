// /executions: the D1 index (list, filters, cursor pagination) and single executions by id, read from their
// Durable Object (summary, detailed, or SSE). The Durable Object wins over a lagging index row.
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { MAX_PAGE_SIZE } from "../../db/index";
import type { AppEnv } from "../env";
import { executions } from "../services/index";
import { sseResponse, statusFor } from "./http-io";
import {
  BooleanQuery,
  errorResponses,
  ExecutionIdParam,
  ExecutionStateSchema,
  ExecutionViewSchema,
  SSE_CONTENT,
  WorkflowNameParam,
  CancelQuery,
  cancelResponses,
} from "./schemas";

const IndexItem = z
  .object({
    execution_id: z.string(),
    workflow_name: z.string(),
    workflow_version: z.number().int(),
    state: z.string(),
    parent_execution_id: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("ExecutionIndexItem");

const Page = z
  .object({ items: z.array(IndexItem), next_cursor: z.string().nullable() })
  .openapi("ExecutionPage");

const idParams = z.object({ id: ExecutionIdParam.openapi({ param: { name: "id", in: "path" } }) });

const listRoute = createRoute({
  method: "get",
  path: "/executions",
  tags: ["executions"],
  summary: "The execution index, newest first (may lag the executions by a moment)",
  request: {
    query: z.object({
      workflow: WorkflowNameParam.optional().openapi({ param: { name: "workflow", in: "query" } }),
      state: ExecutionStateSchema.optional(),
      limit: z
        .string()
        .regex(/^[0-9]{1,4}$/, "limit must be an integer")
        .transform(Number)
        .pipe(z.number().int().min(1).max(MAX_PAGE_SIZE))
        .optional()
        .openapi({ type: "integer", minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 }),
      cursor: z.string().max(512).optional().openapi({ description: "next_cursor of the previous page" }),
    }),
  },
  responses: {
    200: { content: { "application/json": { schema: Page } }, description: "One page" },
    ...errorResponses(400),
  },
});

const showRoute = createRoute({
  method: "get",
  path: "/executions/{id}",
  tags: ["executions"],
  summary: "One execution: summary, detailed (events) or an SSE stream",
  request: {
    params: idParams,
    query: z.object({ detailed: BooleanQuery, mode: z.enum(["sync", "stream"]).default("sync") }),
  },
  responses: {
    200: {
      content: { "application/json": { schema: ExecutionViewSchema }, ...SSE_CONTENT },
      description: "The execution",
    },
    ...errorResponses(400, 404, 503),
  },
});

const cancelRoute = createRoute({
  method: "post",
  path: "/executions/{id}/cancel",
  tags: ["executions"],
  summary: "Cancel an execution",
  request: {
    params: idParams,
    query: CancelQuery,
  },
  responses: cancelResponses,
});

export function registerExecutionRoutes(app: OpenAPIHono<AppEnv>): void {
  app
    .openapi(listRoute, async (c) => c.json(await executions.list(c.env, c.req.valid("query")), 200))
    .openapi(showRoute, async (c) => {
      const { id } = c.req.valid("param");
      const { detailed, mode } = c.req.valid("query");
      if (mode === "stream")
        return sseResponse(await executions.stream(c.env, { executionId: id, detailed }), id);
      return c.json(await executions.status(c.env, { executionId: id, detailed }), 200);
    })
    .openapi(cancelRoute, async (c) => {
      const { id } = c.req.valid("param");
      const { mode, detailed } = c.req.valid("query");
      return c.json(await executions.cancel(c.env, { executionId: id, mode, detailed }), statusFor(mode));
    });
}
