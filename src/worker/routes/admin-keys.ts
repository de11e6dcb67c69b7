// /admin/keys: API keys with a role (SPEC §5). The key is returned once by POST and only its SHA-256 is stored;
// DELETE revokes (the row stays, so the name remains reserved and audits can see it). Access: policy table.
import { json } from "./schemas";
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { createDb, insertApiKey, listApiKeys, revokeApiKey } from "../../db/index";
import { ApiKeyRequestError, issueApiKey, MAX_EXPIRES_IN_DAYS, ROLES } from "../../security/index";
import type { AppEnv } from "../env";
import { BadRequestError, ConflictError, NotFoundError } from "../errors";
import { bodyLimitMiddleware } from "../middleware/body-limit";

const ErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown() }),
});
const KeyInfo = z
  .object({
    name: z.string(),
    role: z.enum(ROLES),
    key_prefix: z.string().nullable(),
    created_at: z.string(),
    expires_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
  })
  .openapi("ApiKeyInfo");
const IssuedKey = KeyInfo.extend({
  key: z.string().openapi({ description: "Shown once; store it now" }),
}).openapi("IssuedApiKey");
// Loose on purpose: issueApiKey validates and words the errors; the schema documents the shape.
const CreateKeyBody = z
  .object({
    name: z.unknown().openapi({ type: "string" }),
    role: z.unknown().openapi({ type: "string", enum: [...ROLES] }),
    expires_in_days: z
      .unknown()
      .optional()
      .openapi({ type: "integer", minimum: 1, maximum: MAX_EXPIRES_IN_DAYS }),
  })
  .openapi("CreateApiKey");

const errors = {
  401: json(ErrorSchema, "Missing or invalid token"),
  403: json(ErrorSchema, "Role not allowed"),
};
const tags = ["api keys"];

const listRoute = createRoute({
  method: "get",
  path: "/admin/keys",
  tags,
  summary: "List API keys (never the keys themselves), revoked ones included",
  responses: { 200: json(z.array(KeyInfo), "Keys"), ...errors },
});
const createKeyRoute = createRoute({
  method: "post",
  path: "/admin/keys",
  tags,
  summary: "Issue an API key; the response is the only time the key is shown",
  request: { body: { content: { "application/json": { schema: CreateKeyBody } }, required: true } },
  responses: {
    201: json(IssuedKey, "Issued"),
    400: json(ErrorSchema, "Invalid name, role or expires_in_days"),
    409: json(ErrorSchema, "Name already used (revoked names stay reserved)"),
    ...errors,
  },
});
const revokeRoute = createRoute({
  method: "delete",
  path: "/admin/keys/{name}",
  tags,
  summary: "Revoke an API key",
  request: { params: z.object({ name: z.string() }) },
  responses: { 204: { description: "Revoked" }, 404: json(ErrorSchema, "No such live key"), ...errors },
});

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function registerAdminKeysRoutes(app: OpenAPIHono<AppEnv>): void {
  app.use("/admin/keys", bodyLimitMiddleware(4096));
  app.use("/admin/keys/*", bodyLimitMiddleware(1024));
  app
    .openapi(listRoute, async (c) => {
      const rows = await listApiKeys(createDb(c.env.DB));
      return c.json(
        rows.map((row) => ({
          name: row.name,
          role: row.role,
          key_prefix: row.keyPrefix,
          created_at: iso(row.createdAt) as string,
          expires_at: iso(row.expiresAt),
          revoked_at: iso(row.revokedAt),
        })),
        200,
      );
    })
    .openapi(createKeyRoute, async (c) => {
      const body = c.req.valid("json");
      let issued;
      try {
        issued = await issueApiKey({
          name: body.name,
          role: body.role,
          expiresInDays: body.expires_in_days,
          now: new Date(),
        });
      } catch (error) {
        if (error instanceof ApiKeyRequestError) {
          throw new BadRequestError(
            error.message,
            [{ path: error.field, message: error.message }],
            "validation_failed",
          );
        }
        throw error;
      }
      const { key, record } = issued;
      const inserted = await insertApiKey(createDb(c.env.DB), {
        name: record.name,
        role: record.role,
        keyHash: record.keyHash,
        keyPrefix: record.keyPrefix,
        createdAt: Date.parse(record.createdAt),
        expiresAt: record.expiresAt === null ? null : Date.parse(record.expiresAt),
      });
      if (!inserted)
        throw new ConflictError(`An API key named ${record.name} already exists`, undefined, "key_exists");
      return c.json(
        {
          name: record.name,
          role: record.role,
          key_prefix: record.keyPrefix,
          created_at: record.createdAt,
          expires_at: record.expiresAt,
          revoked_at: null,
          key,
        },
        201,
      );
    })
    .openapi(revokeRoute, async (c) => {
      const { name } = c.req.valid("param");
      if (!(await revokeApiKey(createDb(c.env.DB), name))) {
        throw new NotFoundError(`No live API key named ${name}`, "key_not_found");
      }
      return c.body(null, 204);
    });
}
