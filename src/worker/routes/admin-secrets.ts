// /admin/secrets: encrypted secrets in D1 (SPEC §5). Values are encrypted here with AES-256-GCM (the secret's
// name bound as AAD) before they reach the repository, and decrypted only for GET /admin/secrets/{name}.
// Who may call what is decided by the policy table (middleware/policy.ts), not here.
// Without FLUX_ENCRYPTION_KEY every route that touches a value answers 503 `encryption_key_missing`.
import { json } from "./schemas";
import { rotateWebhookSecrets } from "../../triggers/webhook-rotation";
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import {
  allSecretRows,
  createDb,
  deleteSecret,
  getSecretRow,
  listSecrets,
  putSecret,
  replaceSecretCiphertext,
} from "../../db/index";
import {
  MIN_REDACTED_LENGTH,
  SecretDecryptError,
  SecretKeyError,
  secretCipherFromEnv,
  type SecretCipher,
} from "../../security/index";
import type { AppEnv, Env } from "../env";
import { ApiError, NotConfiguredError, NotFoundError } from "../errors";
import { bodyLimitMiddleware } from "../middleware/body-limit";

export const MAX_SECRET_VALUE_BYTES = 64 * 1024;
const SECRET_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

const ErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown() }),
});
const NameParam = z.object({ name: z.string().regex(SECRET_NAME) });
const SecretInfo = z
  .object({ name: z.string(), created_at: z.string(), updated_at: z.string() })
  .openapi("SecretInfo");
const SecretValue = SecretInfo.extend({ value: z.string() }).openapi("SecretValue");
const SetSecretBody = z
  .object({
    name: z.string().regex(SECRET_NAME, "name: 1-128 characters from A-Z a-z 0-9 _ . -"),
    value: z
      .string()
      .min(
        MIN_REDACTED_LENGTH,
        `value must be at least ${MIN_REDACTED_LENGTH} characters (shorter ones cannot be redacted)`,
      )
      .refine((v) => new TextEncoder().encode(v).length <= MAX_SECRET_VALUE_BYTES, {
        message: `value must be at most ${MAX_SECRET_VALUE_BYTES} bytes`,
      }),
  })
  .openapi("SetSecret");
const RotateResult = z
  .object({
    rotated: z.array(z.string()),
    unchanged: z.number().int(),
    failed: z.array(z.object({ name: z.string(), code: z.string(), message: z.string() })),
  })
  .openapi("RotateSecretsResult");

const errors = {
  401: json(ErrorSchema, "Missing or invalid token"),
  403: json(ErrorSchema, "Role not allowed"),
};
const tags = ["secrets"];

const listRoute = createRoute({
  method: "get",
  path: "/admin/secrets",
  tags,
  summary: "List secret names and timestamps (never values)",
  responses: { 200: json(z.array(SecretInfo), "Secrets"), ...errors },
});
const setRoute = createRoute({
  method: "post",
  path: "/admin/secrets",
  tags,
  summary: "Create or update a secret",
  request: { body: { content: { "application/json": { schema: SetSecretBody } }, required: true } },
  responses: {
    200: json(SecretInfo, "Updated"),
    201: json(SecretInfo, "Created"),
    400: json(ErrorSchema, "Invalid name or value"),
    503: json(ErrorSchema, "FLUX_ENCRYPTION_KEY is not configured"),
    ...errors,
  },
});
const rotateRoute = createRoute({
  method: "post",
  path: "/admin/secrets/rotate",
  tags,
  summary:
    "Re-encrypt every secret (and webhook signing secret) still under FLUX_ENCRYPTION_KEY_PREVIOUS with FLUX_ENCRYPTION_KEY",
  responses: {
    200: json(RotateResult, "Rotation report"),
    503: json(ErrorSchema, "No encryption key"),
    ...errors,
  },
});
const getRoute = createRoute({
  method: "get",
  path: "/admin/secrets/{name}",
  tags,
  summary: "Read a secret's value (admin only)",
  request: { params: NameParam },
  responses: { 200: json(SecretValue, "The secret"), 404: json(ErrorSchema, "Unknown secret"), ...errors },
});
const deleteRoute = createRoute({
  method: "delete",
  path: "/admin/secrets/{name}",
  tags,
  summary: "Delete a secret",
  request: { params: NameParam },
  responses: { 204: { description: "Deleted" }, 404: json(ErrorSchema, "Unknown secret"), ...errors },
});

const ciphers = new Map<string, Promise<SecretCipher>>();

/** The cipher for this env (HKDF runs once per key pair per isolate); key problems become 503. */
async function cipherFor(env: Env): Promise<SecretCipher> {
  const cacheKey = `${env.FLUX_ENCRYPTION_KEY ?? ""}\u0000${env.FLUX_ENCRYPTION_KEY_PREVIOUS ?? ""}`;
  let cipher = ciphers.get(cacheKey);
  if (!cipher) {
    cipher = secretCipherFromEnv(env);
    ciphers.clear();
    ciphers.set(cacheKey, cipher);
  }
  try {
    return await cipher;
  } catch (error) {
    ciphers.delete(cacheKey);
    if (error instanceof SecretKeyError) throw new NotConfiguredError(error.code, error.message);
    throw error;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
const info = (row: { name: string; createdAt: number; updatedAt: number }) => ({
  name: row.name,
  created_at: iso(row.createdAt),
  updated_at: iso(row.updatedAt),
});

/** Registered on the app itself (not a sub-router) so its validation hook and error handler apply. */
export function registerAdminSecretsRoutes(app: OpenAPIHono<AppEnv>): void {
  app.use("/admin/secrets", bodyLimitMiddleware(MAX_SECRET_VALUE_BYTES * 2 + 1024));
  app.use("/admin/secrets/*", bodyLimitMiddleware(1024));
  app
    .openapi(listRoute, async (c) => c.json((await listSecrets(createDb(c.env.DB))).map(info), 200))
    .openapi(setRoute, async (c) => {
      const { name, value } = c.req.valid("json");
      const cipher = await cipherFor(c.env);
      const encrypted = await cipher.encrypt(name, value);
      const { created, row } = await putSecret(createDb(c.env.DB), name, encrypted);
      return c.json(info(row), created ? 201 : 200);
    })
    .openapi(rotateRoute, async (c) => {
      const cipher = await cipherFor(c.env);
      const db = createDb(c.env.DB);
      const rotated: string[] = [];
      const failed: { name: string; code: string; message: string }[] = [];
      let unchanged = 0;
      for (const row of await allSecretRows(db)) {
        const current = { ciphertext: row.ciphertext, iv: row.iv, keyVersion: row.keyVersion };
        if (!cipher.needsRotation(current)) {
          unchanged++;
          continue;
        }
        try {
          const next = await cipher.rotate(row.name, current);
          // A concurrent POST already wrote a fresh value under the current key: nothing left to rotate.
          if (await replaceSecretCiphertext(db, row.name, current, next)) rotated.push(row.name);
          else unchanged++;
        } catch (error) {
          if (!(error instanceof SecretDecryptError)) throw error;
          failed.push({ name: row.name, code: error.code, message: error.message });
        }
      }
      // Webhook signing secrets are under the same keys: rotate them in the same call.
      const webhooks = await rotateWebhookSecrets(c.env, cipher);
      return c.json(
        {
          rotated: [...rotated, ...webhooks.rotated],
          unchanged: unchanged + webhooks.unchanged,
          failed: [...failed, ...webhooks.failed],
        },
        200,
      );
    })
    .openapi(getRoute, async (c) => {
      const { name } = c.req.valid("param");
      const row = await getSecretRow(createDb(c.env.DB), name);
      if (!row) throw new NotFoundError(`Secret ${name} not found`, "secret_not_found");
      const cipher = await cipherFor(c.env);
      try {
        const value = await cipher.decrypt(name, {
          ciphertext: row.ciphertext,
          iv: row.iv,
          keyVersion: row.keyVersion,
        });
        return c.json({ ...info(row), value }, 200);
      } catch (error) {
        // The message names the secret and the reason (wrong key, tampering), never a value.
        if (error instanceof SecretDecryptError) throw new ApiError(500, error.code, error.message);
        throw error;
      }
    })
    .openapi(deleteRoute, async (c) => {
      const { name } = c.req.valid("param");
      if (!(await deleteSecret(createDb(c.env.DB), name))) {
        throw new NotFoundError(`Secret ${name} not found`, "secret_not_found");
      }
      return c.body(null, 204);
    });
}
