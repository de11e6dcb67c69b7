// POST /workflows (register uploaded code) and DELETE /workflows/{name} (remove versions).
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { and, eq, inArray, ne, notInArray } from "drizzle-orm";
import { createDb, deleteWorkflowVersion, getWorkflow } from "../../db/index.ts";
import { executions, schedules, webhooks } from "../../db/schema.ts";
import { bundledWorkflow } from "../../durable-objects/workflow-resolver.ts";
import type { AppEnv } from "../env.ts";
import { BadRequestError, ConflictError, NotFoundError, PayloadTooLargeError } from "../errors.ts";
import { registerUpload } from "../uploads/register-upload.ts";

const MAX_SOURCE_BYTES = 1024 * 1024;
const TERMINAL = ["COMPLETED", "FAILED", "CANCELLED"];

const registered = z.object({
  name: z.string(),
  namespace: z.string(),
  version: z.number(),
  hash: z.string(),
  created: z.boolean(),
});

const uploadRoute = createRoute({
  method: "post",
  path: "/workflows",
  summary:
    "Register an ES module of workflows (multipart field `file`); each exported workflow becomes a new version",
  // The multipart body is checked by the handler (clear messages for each mistake), not by a schema.
  responses: {
    201: {
      description: "Registered workflows",
      content: { "application/json": { schema: z.array(registered) } },
    },
    422: {
      description: "Invalid workflow source (syntax error with line, load failure, no workflow, bad name)",
    },
  },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/workflows/{name}",
  summary:
    "Delete one version (or all) of an uploaded workflow; refused while a pinned run is in flight unless force=true",
  request: {
    params: z.object({ name: z.string().min(1).max(64) }),
    query: z.object({
      version: z.coerce.number().int().positive().optional(),
      force: z.enum(["true", "false"]).optional(),
    }),
  },
  responses: {
    200: {
      description: "Deleted",
      content: {
        "application/json": { schema: z.object({ name: z.string(), deleted_versions: z.number() }) },
      },
    },
  },
});

export function registerWorkflowUploadRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(uploadRoute, async (c) => {
    const type = c.req.header("content-type") ?? "";
    if (!type.toLowerCase().startsWith("multipart/form-data")) {
      throw new BadRequestError(
        "Send the module as multipart/form-data with a field named 'file'",
        undefined,
        "multipart_required",
      );
    }
    let body: Record<string, unknown>;
    try {
      body = await c.req.parseBody();
    } catch {
      throw new BadRequestError("The multipart body could not be parsed", undefined, "bad_multipart");
    }
    const file = body.file;
    if (!(file instanceof File)) {
      throw new BadRequestError(
        "The multipart field 'file' is required and must be a file",
        undefined,
        "file_required",
      );
    }
    if (file.size === 0) throw new BadRequestError("The uploaded file is empty", undefined, "empty_file");
    if (file.size > MAX_SOURCE_BYTES) throw new PayloadTooLargeError(MAX_SOURCE_BYTES);
    return c.json(await registerUpload(c.env, await file.text()), 201);
  });

  app.openapi(deleteRoute, async (c) => {
    const { name } = c.req.valid("param");
    const { version, force } = c.req.valid("query");
    if (bundledWorkflow(name)) {
      throw new ConflictError(
        `"${name}" is bundled with the server and cannot be deleted`,
        undefined,
        "bundled_workflow",
      );
    }
    const db = createDb(c.env.DB);
    const found = await getWorkflow(db, name);
    if (!found) throw new NotFoundError(`Workflow ${name} not found`, "workflow_not_found");
    if (version !== undefined && !found.versions.includes(version)) {
      throw new NotFoundError(`Workflow ${name} has no version ${version}`, "version_not_found");
    }
    if (force !== "true") {
      const versions = version === undefined ? found.versions : [version];
      const inFlight = await db
        .select({ id: executions.id })
        .from(executions)
        .where(
          and(
            eq(executions.workflowName, name),
            inArray(executions.workflowVersion, versions),
            notInArray(executions.state, TERMINAL),
          ),
        )
        .limit(20)
        .all();
      if (inFlight.length > 0) {
        throw new ConflictError(
          `Runs pinned to ${name}${version ? ` v${version}` : ""} are still in flight; wait, cancel them, or pass force=true`,
          { execution_ids: inFlight.map((row) => row.id) },
          "version_in_use",
        );
      }
    }
    if (force !== "true" && version === undefined) {
      // Without any version, these would fail on every fire — or silently start whatever code next takes the name.
      const [scheduleRows, webhookRows] = await Promise.all([
        db
          .select({ name: schedules.name })
          .from(schedules)
          .where(and(eq(schedules.workflowName, name), ne(schedules.status, "completed")))
          .limit(20)
          .all(),
        db
          .select({ name: webhooks.name })
          .from(webhooks)
          .where(eq(webhooks.workflowName, name))
          .limit(20)
          .all(),
      ]);
      if (scheduleRows.length > 0 || webhookRows.length > 0) {
        throw new ConflictError(
          `Schedules or webhooks still start ${name}; delete them first, or pass force=true`,
          { schedules: scheduleRows.map((row) => row.name), webhooks: webhookRows.map((row) => row.name) },
          "workflow_in_use",
        );
      }
    }
    const deleted = await deleteWorkflowVersion(db, name, version);
    return c.json({ name, deleted_versions: deleted }, 200);
  });
}
