// Webhooks in workerd through the real Worker entry: admin CRUD (secret stored encrypted, never shown), the
// signature matrix on POST /webhooks/{name} (no bearer token), and delivery-id dedupe. Every rejected delivery is
// checked to have started nothing.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { signWebhook } from "../../src/triggers/webhook-signature";
import { call, errorOf, json, post, statusOf, until } from "./helpers";

const SECRET = "whsec_0123456789abcdef0123";
const HOOK = "greeter";

const countExecutions = async (workflow: string): Promise<number> =>
  (
    await env.DB.prepare("SELECT COUNT(*) AS n FROM executions WHERE workflow_name = ?")
      .bind(workflow)
      .first<{ n: number }>()
  )?.n ?? 0;

/** A delivery as a third party sends it: no Authorization header. */
function deliver(name: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return call(`/webhooks/${name}`, {
    method: "POST",
    body,
    headers: { "Content-Type": "application/json", ...headers },
    token: null,
  });
}

async function signed(
  body: string,
  at = Math.floor(Date.now() / 1000),
  secret = SECRET,
): Promise<Record<string, string>> {
  return { "X-Flux-Signature": await signWebhook(secret, body, at) };
}

beforeAll(async () => {
  const res = await post("/admin/webhooks", {
    name: HOOK,
    workflow: "hello_world",
    secret: SECRET,
    delivery_id_header: "X-Delivery-Id",
  });
  expect(res.status).toBe(201);
});

describe("admin: /admin/webhooks", () => {
  it("create shows the configuration and has_secret, never the secret", async () => {
    const hook = await json<Record<string, unknown>>(await call(`/admin/webhooks/${HOOK}`), 200);
    expect(hook).toMatchObject({
      name: HOOK,
      workflow: "hello_world",
      signature: "hmac-sha256",
      header: "x-flux-signature",
      tolerance_s: 300,
      delivery_id_header: "x-delivery-id",
      input: "body",
      has_secret: true,
      url_path: `/webhooks/${HOOK}`,
    });
    const listed = await (await call("/admin/webhooks")).text();
    expect(listed).toContain(HOOK);
    expect(listed).not.toContain(SECRET);
    expect(JSON.stringify(hook)).not.toContain(SECRET);
  });

  it("the secret is stored encrypted (AES-GCM bound to webhook:<name>)", async () => {
    const row = await env.DB.prepare("SELECT * FROM webhooks WHERE name = ?")
      .bind(HOOK)
      .first<Record<string, unknown>>();
    expect(row?.secret_ciphertext).toEqual(expect.any(String));
    expect(JSON.stringify(row)).not.toContain(SECRET);
    expect(row?.secret_key_version).toMatch(/^[0-9a-f]{16}$/);
  });

  it("needs a token with webhook:manage; an unknown workflow is 404; bad definitions are 400", async () => {
    expect((await call("/admin/webhooks", { token: null })).status).toBe(401);
    expect(await errorOf(await post("/admin/webhooks", { name: "x", workflow: "nope" }), 404)).toMatchObject({
      code: "workflow_not_found",
    });
    expect(
      (await post("/admin/webhooks", { name: "x", workflow: "hello_world", secret: "short" })).status,
    ).toBe(400);
    expect(
      (await post("/admin/webhooks", { name: "x", workflow: "hello_world", signature: "md5" })).status,
    ).toBe(400);
  });

  it("create again replaces (200); delete then 404", async () => {
    expect((await post("/admin/webhooks", { name: "temp", workflow: "hello_world" })).status).toBe(201);
    expect((await post("/admin/webhooks", { name: "temp", workflow: "simple_pipeline" })).status).toBe(200);
    expect((await json<{ workflow: string }>(await call("/admin/webhooks/temp"), 200)).workflow).toBe(
      "simple_pipeline",
    );
    expect((await call("/admin/webhooks/temp", { method: "DELETE" })).status).toBe(204);
    expect((await call("/admin/webhooks/temp", { method: "DELETE" })).status).toBe(404);
    expect((await call("/admin/webhooks/temp")).status).toBe(404);
  });
});

describe("delivery: signature matrix", () => {
  it("a valid signature starts the workflow with the JSON body: 202 {execution_id}", async () => {
    const body = JSON.stringify("Webhook");
    const res = await deliver(HOOK, body, await signed(body));
    const accepted = await json<{ execution_id: string; duplicate: boolean }>(res, 202);
    expect(accepted.execution_id).toMatch(/^[0-9a-f]{32}$/);
    expect(accepted.duplicate).toBe(false);
    const done = await until(
      () => statusOf("hello_world", accepted.execution_id),
      (v) => v.state === "COMPLETED",
    );
    expect(done.output).toBe("Hello, Webhook");
  });

  it("rejects bad deliveries with 401/400/404/413 and starts nothing", async () => {
    const before = await countExecutions("hello_world");
    const body = JSON.stringify("Mallory");
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, Promise<Response>, number, string][] = [
      ["missing signature", deliver(HOOK, body), 401, "signature_missing"],
      [
        "malformed header",
        deliver(HOOK, body, { "X-Flux-Signature": "sha256=abc" }),
        401,
        "signature_malformed",
      ],
      [
        "wrong secret",
        deliver(HOOK, body, await signed(body, now, "another-secret-0123456789")),
        401,
        "signature_invalid",
      ],
      ["tampered body", deliver(HOOK, JSON.stringify("Eve"), await signed(body)), 401, "signature_invalid"],
      [
        "signature moved to another timestamp",
        deliver(HOOK, body, {
          "X-Flux-Signature": (await signWebhook(SECRET, body, now)).replace(`t=${now}`, `t=${now + 1}`),
        }),
        401,
        "signature_invalid",
      ],
      ["stale timestamp", deliver(HOOK, body, await signed(body, now - 301)), 401, "signature_expired"],
      [
        "timestamp from the future",
        deliver(HOOK, body, await signed(body, now + 301)),
        401,
        "signature_expired",
      ],
      ["non-JSON body", deliver(HOOK, "not json", await signed("not json")), 400, "invalid_json"],
      ["unknown webhook", deliver("nope", body, await signed(body)), 404, "webhook_not_found"],
    ];
    for (const [label, res, status, code] of cases) {
      const error = await errorOf(await res, status).catch((e: unknown) => {
        throw new Error(`${label}: ${String(e)}`);
      });
      expect(error.code, label).toBe(code);
    }
    const big = JSON.stringify("x".repeat(1024 * 1024 + 10));
    expect((await deliver(HOOK, big, await signed(big))).status).toBe(413);
    expect(await countExecutions("hello_world")).toBe(before);
  });

  it("a bearer token does not replace the signature", async () => {
    const res = await call(`/webhooks/${HOOK}`, {
      method: "POST",
      body: '"x"',
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(401);
  });

  it("accepts any matching v1 among several (secret rotation on the sender's side)", async () => {
    const body = JSON.stringify("Rotation");
    const now = Math.floor(Date.now() / 1000);
    const good = await signWebhook(SECRET, body, now);
    const header = `t=${now},v1=${"0".repeat(64)},${good.split(",")[1]}`;
    expect((await deliver(HOOK, body, { "X-Flux-Signature": header })).status).toBe(202);
  });

  it("input the workflow's schema rejects is 400 and starts nothing", async () => {
    await post("/admin/webhooks", { name: "typed", workflow: "greet_typed" });
    const before = await countExecutions("greet_typed");
    expect(await errorOf(await deliver("typed", JSON.stringify({ name: "" })), 400)).toMatchObject({
      code: "invalid_input",
    });
    expect(await countExecutions("greet_typed")).toBe(before);
    expect((await deliver("typed", JSON.stringify({ name: "Ada" }))).status).toBe(202);
  });
});

describe("delivery: dedupe and envelope", () => {
  it("a repeated delivery id returns the same execution; another id starts another", async () => {
    const body = JSON.stringify("Dup");
    const headers = { ...(await signed(body)), "X-Delivery-Id": "evt_1" };
    const first = await json<{ execution_id: string; duplicate: boolean }>(
      await deliver(HOOK, body, headers),
      202,
    );
    const again = await json<{ execution_id: string; duplicate: boolean }>(
      await deliver(HOOK, body, { ...(await signed(body)), "X-Delivery-Id": "evt_1" }),
      202,
    );
    expect(again).toEqual({ execution_id: first.execution_id, duplicate: true });
    const other = await json<{ execution_id: string }>(
      await deliver(HOOK, body, { ...(await signed(body)), "X-Delivery-Id": "evt_2" }),
      202,
    );
    expect(other.execution_id).not.toBe(first.execution_id);
    const rows = await env.DB.prepare(
      "SELECT * FROM webhook_deliveries WHERE webhook_name = ? ORDER BY delivery_id",
    )
      .bind(HOOK)
      .all<{ delivery_id: string; execution_id: string }>();
    expect(rows.results.map((r) => [r.delivery_id, r.execution_id])).toEqual([
      ["evt_1", first.execution_id],
      ["evt_2", other.execution_id],
    ]);
  });

  it("without a delivery id every delivery starts a new execution", async () => {
    const body = JSON.stringify("Fresh");
    const a = await json<{ execution_id: string }>(await deliver(HOOK, body, await signed(body)), 202);
    const b = await json<{ execution_id: string }>(await deliver(HOOK, body, await signed(body)), 202);
    expect(a.execution_id).not.toBe(b.execution_id);
  });

  it("envelope input carries headers (no credentials) and the body; no secret means no signature check", async () => {
    await post("/admin/webhooks", {
      name: "env",
      workflow: "pause_with_input_workflow",
      input: "envelope",
      delivery_id_header: "X-Id",
    });
    const res = await call("/webhooks/env", {
      method: "POST",
      body: JSON.stringify({ order: 7 }),
      headers: { "Content-Type": "application/json", "X-Id": "d-1", "X-Custom": "yes", Cookie: "session=1" },
      token: null,
    });
    const { execution_id } = await json<{ execution_id: string }>(res, 202);
    const view = await statusOf("pause_with_input_workflow", execution_id);
    expect(view.input).toMatchObject({
      webhook: "env",
      delivery_id: "d-1",
      body: { order: 7 },
      headers: { "x-custom": "yes", "content-type": "application/json" },
    });
    const headers = (view.input as { headers: Record<string, string> }).headers;
    expect(headers).not.toHaveProperty("cookie");
    expect(headers).not.toHaveProperty("authorization");
  });
});
