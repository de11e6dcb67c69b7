// Inbound webhooks (SPEC §5): configuration (admin) and deliveries (public, authenticated by HMAC signature).
//
// A delivery is checked in this order, and nothing starts unless every check passes:
//   unknown webhook → 404; (body over the limit → 413, by the body-limit middleware); secret set and signature
//   missing/malformed/wrong → 401, timestamp outside tolerance → 401; body not JSON → 400; input rejected by the
//   workflow's schema → 400.
// Dedupe: with `delivery_id_header` set, the execution id is derived from (webhook, delivery id), so a repeated
// delivery reaches the same ExecutionDO, whose start is idempotent, and gets the same execution back — for as
// long as the execution exists, i.e. well beyond the 24 h the contract asks for. D1 keeps a record of deliveries
// (RETAIN_DELIVERIES_MS) for auditing.
import type { Json } from "../engine/index";
import { SecretDecryptError } from "../security/index";
import { createDb } from "../db/index";
import type { WebhookRow } from "../db/schema";
import type { Env } from "../worker/env";
import { ApiError, BadRequestError, NotFoundError } from "../worker/errors";
import { workflows } from "../worker/services/index";
import { triggerCipher, webhookSecretAad } from "./cipher";
import { startTriggeredRun } from "./start-run";
import { verifyWebhookSignature, type SignatureFailure } from "./webhook-signature";
import { deleteWebhook, getWebhook, listWebhooks, putWebhook, recordDelivery } from "./webhook-store";

export const DEFAULT_SIGNATURE_HEADER = "x-flux-signature";
export const DEFAULT_TOLERANCE_S = 300;
export const RETAIN_DELIVERIES_MS = 7 * 24 * 3600 * 1000;
export const MAX_DELIVERY_ID_LENGTH = 128;
/** Headers never copied into an envelope input (credentials a proxy may have added). */
const HIDDEN_HEADERS = new Set(["authorization", "cookie", "proxy-authorization"]);

export interface WebhookConfig {
  name: string;
  workflow: string;
  /** undefined on a re-save keeps the existing key; null removes it. */
  secret?: string | null | undefined;
  signature: "hmac-sha256";
  header: string;
  tolerance_s: number;
  delivery_id_header?: string | undefined;
  input: "body" | "envelope";
}

/** What the API shows: never the secret, only whether there is one. */
export interface WebhookView {
  name: string;
  workflow: string;
  signature: "hmac-sha256";
  header: string;
  tolerance_s: number;
  delivery_id_header: string | null;
  input: "body" | "envelope";
  has_secret: boolean;
  url_path: string;
  created_at: string;
  updated_at: string;
}

export class WebhookSignatureError extends ApiError {
  constructor(reason: SignatureFailure) {
    const messages: Record<SignatureFailure, string> = {
      signature_missing: "Missing webhook signature header",
      signature_malformed: "Malformed webhook signature header (expected t=<unix>,v1=<hex>)",
      signature_expired: "Webhook signature timestamp is outside the tolerance",
      signature_invalid: "Invalid webhook signature",
    };
    super(401, reason, messages[reason]);
  }
}

function view(row: WebhookRow): WebhookView {
  return {
    name: row.name,
    workflow: row.workflowName,
    signature: row.signature,
    header: row.header,
    tolerance_s: row.toleranceS,
    delivery_id_header: row.deliveryIdHeader,
    input: row.inputMode,
    has_secret: row.secretCiphertext !== null,
    url_path: `/webhooks/${row.name}`,
    created_at: new Date(row.createdAt).toISOString(),
    updated_at: new Date(row.updatedAt).toISOString(),
  };
}

const webhookNotFound = (name: string) => new NotFoundError(`Webhook ${name} not found`, "webhook_not_found");

/** Create or replace. 404 for an unknown workflow. */
export async function saveWebhook(
  env: Env,
  config: WebhookConfig,
): Promise<{ created: boolean; webhook: WebhookView }> {
  await workflows.describe(env, config.workflow);
  const db = createDb(env.DB);
  // Re-saving a webhook to change its settings must not silently drop its signature check.
  const kept = config.secret === undefined ? await getWebhook(db, config.name) : undefined;
  const secret =
    typeof config.secret === "string"
      ? await (await triggerCipher(env)).encrypt(webhookSecretAad(config.name), config.secret)
      : kept && kept.secretCiphertext !== null && kept.secretIv !== null && kept.secretKeyVersion !== null
        ? { ciphertext: kept.secretCiphertext, iv: kept.secretIv, keyVersion: kept.secretKeyVersion }
        : undefined;
  const { created, row } = await putWebhook(db, {
    name: config.name,
    workflowName: config.workflow,
    secretCiphertext: secret?.ciphertext ?? null,
    secretIv: secret?.iv ?? null,
    secretKeyVersion: secret?.keyVersion ?? null,
    signature: config.signature,
    header: config.header.toLowerCase(),
    toleranceS: config.tolerance_s,
    deliveryIdHeader: config.delivery_id_header?.toLowerCase() ?? null,
    inputMode: config.input,
  });
  return { created, webhook: view(row) };
}

export async function listAll(env: Env): Promise<WebhookView[]> {
  return (await listWebhooks(createDb(env.DB))).map(view);
}

export async function describe(env: Env, name: string): Promise<WebhookView> {
  const row = await getWebhook(createDb(env.DB), name);
  if (!row) throw webhookNotFound(name);
  return view(row);
}

export async function remove(env: Env, name: string): Promise<void> {
  if (!(await deleteWebhook(createDb(env.DB), name))) throw webhookNotFound(name);
}

export interface InboundDelivery {
  headers: Headers;
  body: string;
  now: number;
}

export async function deliver(
  env: Env,
  name: string,
  request: InboundDelivery,
): Promise<{ execution_id: string; duplicate: boolean }> {
  const db = createDb(env.DB);
  const row = await getWebhook(db, name);
  if (!row) throw webhookNotFound(name);
  if (row.secretCiphertext !== null && row.secretIv !== null && row.secretKeyVersion !== null) {
    const cipher = await triggerCipher(env);
    const record = { ciphertext: row.secretCiphertext, iv: row.secretIv, keyVersion: row.secretKeyVersion };
    const secret = await cipher.decrypt(webhookSecretAad(name), record).catch((error: unknown) => {
      // Server-side problem (key rotated away, tampered row): say which, never the secret.
      if (error instanceof SecretDecryptError) throw new ApiError(500, error.code, error.message);
      throw error;
    });
    const verdict = await verifyWebhookSignature(
      secret,
      request.headers.get(row.header) ?? undefined,
      request.body,
      row.toleranceS,
      request.now,
    );
    if (!verdict.ok) throw new WebhookSignatureError(verdict.reason);
  }
  const body = parseJsonBody(request.body);
  const deliveryId = deliveryIdOf(row, request.headers);
  const input: Json =
    row.inputMode === "body"
      ? body
      : { webhook: name, delivery_id: deliveryId ?? null, headers: envelopeHeaders(request.headers), body };
  const started = await startTriggeredRun(env, {
    workflow: row.workflowName,
    input,
    idempotencyKey: deliveryId === undefined ? undefined : `webhook:${name}:${deliveryId}`,
  });
  if (deliveryId !== undefined) {
    await recordDelivery(
      db,
      { webhookName: name, deliveryId, executionId: started.executionId },
      RETAIN_DELIVERIES_MS,
      request.now,
    );
  }
  return { execution_id: started.executionId, duplicate: !started.created };
}

function parseJsonBody(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new BadRequestError("Webhook body must be JSON", undefined, "invalid_json");
  }
}

function deliveryIdOf(row: WebhookRow, headers: Headers): string | undefined {
  if (row.deliveryIdHeader === null) return undefined;
  const id = headers.get(row.deliveryIdHeader)?.trim();
  if (!id) return undefined;
  if (id.length > MAX_DELIVERY_ID_LENGTH) {
    throw new BadRequestError(
      `Delivery id is longer than ${MAX_DELIVERY_ID_LENGTH} characters`,
      undefined,
      "invalid_delivery_id",
    );
  }
  return id;
}

function envelopeHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    if (!HIDDEN_HEADERS.has(key.toLowerCase())) out[key.toLowerCase()] = value;
  });
  return out;
}
