// Webhooks (SPEC §5): /admin/webhooks manages them (policy: webhook:manage); POST /webhooks/{name} is a
// delivery from a third party — public in the policy table, authenticated here by its HMAC-SHA256 signature
// (header `t=<unix>,v1=<hex HMAC(secret, "<t>.<raw body>")>`). The body cap (413) is the global body limit.
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { DEFAULT_SIGNATURE_HEADER, DEFAULT_TOLERANCE_S, webhooks } from "../../triggers/index";
import type { AppEnv } from "../env";
import { ErrorSchema, WorkflowNameParam, json } from "./schemas";

const WEBHOOK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/;

const NameParam = z.object({
  name: z
    .string()
    .regex(WEBHOOK_NAME, "Not a webhook name")
    .openapi({ param: { name: "name", in: "path" } }),
});

const WebhookSchema = z
  .object({
    name: z.string(),
    workflow: z.string(),
    signature: z.literal("hmac-sha256"),
    header: z.string(),
    tolerance_s: z.number().int(),
    delivery_id_header: z.string().nullable(),
    input: z.enum(["body", "envelope"]),
    has_secret: z.boolean(),
    url_path: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Webhook");

const CreateWebhook = z
  .object({
    name: z.string().regex(WEBHOOK_NAME, "name: 1-64 characters from A-Z a-z 0-9 _ . - (not first)"),
    workflow: WorkflowNameParam,
    secret: z
      .string()
      .min(16, "secret must be at least 16 characters")
      .max(512)
      .nullable()
      .optional()
      .openapi({
        description:
          "HMAC key. Stored encrypted, never returned. Omitted on a re-save: the existing key is kept; null: " +
          "removed (deliveries are then not signature-checked).",
      }),
    signature: z.literal("hmac-sha256").default("hmac-sha256"),
    header: z.string().regex(HEADER_NAME).default(DEFAULT_SIGNATURE_HEADER).openapi({
      description: 'Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`',
    }),
    tolerance_s: z.number().int().min(1).max(86_400).default(DEFAULT_TOLERANCE_S),
    delivery_id_header: z.string().regex(HEADER_NAME).optional().openapi({
      description: "Header with the sender's delivery id: a repeated id returns the same execution",
    }),
    input: z.enum(["body", "envelope"]).default("body").openapi({
      description: "body: the JSON body is the input; envelope: {webhook, delivery_id, headers, body}",
    }),
  })
  .openapi("CreateWebhook");

const Accepted = z.object({ execution_id: z.string(), duplicate: z.boolean() }).openapi("WebhookAccepted");

const authErrors = {
  401: json(ErrorSchema, "Missing or invalid token"),
  403: json(ErrorSchema, "Role not allowed"),
};
const tags = ["webhooks"];

const createWebhookRoute = createRoute({
  method: "post",
  path: "/admin/webhooks",
  tags,
  summary: "Create or replace a webhook",
  request: { body: { content: { "application/json": { schema: CreateWebhook } }, required: true } },
  responses: {
    200: json(WebhookSchema, "Replaced"),
    201: json(WebhookSchema, "Created"),
    400: json(ErrorSchema, "Invalid definition"),
    404: json(ErrorSchema, "Unknown workflow"),
    ...authErrors,
  },
});
const listRoute = createRoute({
  method: "get",
  path: "/admin/webhooks",
  tags,
  summary: "List webhooks (never their secrets)",
  responses: { 200: json(z.array(WebhookSchema), "Webhooks"), ...authErrors },
});
const getRoute = createRoute({
  method: "get",
  path: "/admin/webhooks/{name}",
  tags,
  summary: "Show a webhook",
  request: { params: NameParam },
  responses: {
    200: json(WebhookSchema, "The webhook"),
    404: json(ErrorSchema, "Unknown webhook"),
    ...authErrors,
  },
});
const deleteRoute = createRoute({
  method: "delete",
  path: "/admin/webhooks/{name}",
  tags,
  summary: "Delete a webhook",
  request: { params: NameParam },
  responses: { 204: { description: "Deleted" }, 404: json(ErrorSchema, "Unknown webhook"), ...authErrors },
});
const deliverRoute = createRoute({
  method: "post",
  path: "/webhooks/{name}",
  tags,
  summary:
    "Deliver a webhook: starts its workflow (no bearer token; HMAC-signed when the webhook has a secret)",
  security: [],
  request: { params: NameParam },
  responses: {
    202: json(Accepted, "Started (or, for a repeated delivery id, the execution it started before)"),
    400: json(ErrorSchema, "Body is not JSON, or the workflow rejects it"),
    401: json(ErrorSchema, "Missing, malformed, wrong or expired signature"),
    404: json(ErrorSchema, "Unknown webhook"),
    413: json(ErrorSchema, "Body too large"),
  },
});

export function registerWebhookRoutes(app: OpenAPIHono<AppEnv>): void {
  app
    .openapi(createWebhookRoute, async (c) => {
      const { created, webhook } = await webhooks.saveWebhook(c.env, c.req.valid("json"));
      return c.json(webhook, created ? 201 : 200);
    })
    .openapi(listRoute, async (c) => c.json(await webhooks.listAll(c.env), 200))
    .openapi(getRoute, async (c) => c.json(await webhooks.describe(c.env, c.req.valid("param").name), 200))
    .openapi(deleteRoute, async (c) => {
      await webhooks.remove(c.env, c.req.valid("param").name);
      return c.body(null, 204);
    })
    .openapi(deliverRoute, async (c) => {
      const accepted = await webhooks.deliver(c.env, c.req.valid("param").name, {
        headers: c.req.raw.headers,
        body: await c.req.text(),
        now: Date.now(),
      });
      return c.json(accepted, 202);
    });
}
