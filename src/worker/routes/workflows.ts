// Workflow registry reads: GET /workflows, GET /workflows/{name}, GET /workflows/{name}/versions.
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { workflows } from "../services/index";
import { errorResponses, WorkflowNameParam, json } from "./schemas";

const SourceKind = z.enum(["bundled", "uploaded"]);

const WorkflowListItem = z
  .object({
    name: z.string(),
    namespace: z.string(),
    version: z.number().int(),
    description: z.string().nullable(),
  })
  .openapi("WorkflowListItem");

const WorkflowDetail = z
  .object({
    name: z.string(),
    namespace: z.string(),
    version: z.number().int(),
    versions: z.array(z.number().int()),
    source_kind: SourceKind,
    hash: z.string(),
    created_at: z.string(),
    metadata: z.object({
      task_names: z.array(z.string()),
      secret_requests: z.array(z.string()),
      description: z.string().nullable(),
      input_schema: z.unknown().openapi({ description: "JSON Schema of the input, or null" }),
    }),
  })
  .openapi("Workflow");

const WorkflowVersion = z
  .object({
    name: z.string(),
    version: z.number().int(),
    hash: z.string(),
    source_kind: SourceKind,
    created_at: z.string(),
  })
  .openapi("WorkflowVersion");

const params = z.object({ name: WorkflowNameParam });

const listRoute = createRoute({
  method: "get",
  path: "/workflows",
  tags: ["workflows"],
  summary: "Latest version of every workflow",
  responses: { 200: json(z.array(WorkflowListItem), "Workflows by name") },
});

const showRoute = createRoute({
  method: "get",
  path: "/workflows/{name}",
  tags: ["workflows"],
  summary: "A workflow's latest version (or ?version=N) and metadata",
  request: { params, query: z.object({ version: z.coerce.number().int().positive().optional() }) },
  responses: { 200: json(WorkflowDetail, "The workflow"), ...errorResponses(400, 404) },
});

const versionsRoute = createRoute({
  method: "get",
  path: "/workflows/{name}/versions",
  tags: ["workflows"],
  summary: "Every version of a workflow, newest first",
  request: { params },
  responses: { 200: json(z.array(WorkflowVersion), "Versions"), ...errorResponses(400, 404) },
});

export function registerWorkflowRoutes(app: OpenAPIHono<AppEnv>): void {
  app
    .openapi(listRoute, async (c) => c.json(await workflows.listAll(c.env), 200))
    .openapi(showRoute, async (c) =>
      c.json(await workflows.describe(c.env, c.req.valid("param").name, c.req.valid("query").version), 200),
    )
    .openapi(versionsRoute, async (c) =>
      c.json(await workflows.versions(c.env, c.req.valid("param").name), 200),
    );
}
