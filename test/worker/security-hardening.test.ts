// Hardening: API keys (issued once, hashed at rest, revocable), failed-auth rate limiting per client, CORS off
// unless configured, security headers on HTML, body limits on admin routes.
import { env } from "cloudflare:workers";
import { createExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { hashApiKey } from "../../src/security/index";
import { createApp } from "../../src/worker/app";
import { call, TEST_TOKEN, type ErrorJson } from "../workers/helpers";

const unique = (label: string) => `${label}-${crypto.randomUUID().slice(0, 8)}`;
const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  call(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

interface IssuedKey {
  name: string;
  role: string;
  key: string;
  key_prefix: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

describe("API keys", () => {
  it("returns the key once; D1 and the listing hold only its hash and prefix", async () => {
    const name = unique("ci");
    const res = await postJson("/admin/keys", { name, role: "operator", expires_in_days: 30 });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const issued = (await res.json()) as IssuedKey;
    expect(issued.key).toMatch(/^flux_[A-Za-z0-9_-]{43}$/);
    expect(issued.key.startsWith(issued.key_prefix)).toBe(true);
    expect(Date.parse(issued.expires_at as string) - Date.parse(issued.created_at)).toBe(30 * 86_400_000);

    const row = await env.DB.prepare("SELECT * FROM api_keys WHERE name = ?").bind(name).first();
    expect(JSON.stringify(row)).not.toContain(issued.key);
    expect(row?.key_hash).toBe(await hashApiKey(issued.key));

    const list = await (await call("/admin/keys")).text();
    expect(list).not.toContain(issued.key);
    expect(list).not.toContain(row?.key_hash as string);
    const entry = (JSON.parse(list) as IssuedKey[]).find((k) => k.name === name);
    expect(entry).toMatchObject({ name, role: "operator", key_prefix: issued.key_prefix, revoked_at: null });

    // The key works with its role.
    expect((await call("/executions", { token: issued.key })).status).toBe(200);
    expect((await call("/admin/keys", { token: issued.key })).status).toBe(403);
  });

  it("rejects duplicate names (409), bad roles and bad expiry (400)", async () => {
    const name = unique("dup");
    expect((await postJson("/admin/keys", { name, role: "viewer" })).status).toBe(201);
    const dup = await postJson("/admin/keys", { name, role: "viewer" });
    expect(dup.status).toBe(409);
    expect(((await dup.json()) as ErrorJson).error.code).toBe("key_exists");
    for (const body of [
      { name: unique("x"), role: "root" },
      { name: "", role: "viewer" },
      { name: unique("x"), role: "viewer", expires_in_days: 0 },
      { name: unique("x"), role: "viewer", expires_in_days: 1.5 },
      { role: "viewer" },
    ]) {
      expect((await postJson("/admin/keys", body)).status, JSON.stringify(body)).toBe(400);
    }
  });

  it("revocation: the key stops working at once, its name stays reserved", async () => {
    const name = unique("revoke");
    const issued = (await (await postJson("/admin/keys", { name, role: "admin" })).json()) as IssuedKey;
    expect((await call("/admin/keys", { token: issued.key })).status).toBe(200);
    expect((await call(`/admin/keys/${name}`, { method: "DELETE" })).status).toBe(204);
    expect(
      (await call("/admin/keys", { token: issued.key, headers: { "CF-Connecting-IP": "192.0.2.77" } }))
        .status,
    ).toBe(401);
    expect((await call(`/admin/keys/${name}`, { method: "DELETE" })).status).toBe(404);
    expect((await postJson("/admin/keys", { name, role: "admin" })).status).toBe(409);
    const listed = ((await (await call("/admin/keys")).json()) as IssuedKey[]).find((k) => k.name === name);
    expect(listed?.revoked_at).not.toBeNull();
  });
});

describe("failed-authentication throttle", () => {
  it("after 20 failures a minute the client gets 429 rate_limited with Retry-After, even with a valid token", async () => {
    const ip = "203.0.113.9";
    for (let i = 0; i < 20; i++) {
      const res = await call("/executions", { token: `bad-${i}`, headers: { "CF-Connecting-IP": ip } });
      expect(res.status, `failure ${i + 1}`).toBe(401);
    }
    const limited = await call("/executions", { token: "bad-21", headers: { "CF-Connecting-IP": ip } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("content-type")).toContain("application/json");
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(((await limited.json()) as ErrorJson).error.code).toBe("rate_limited");

    // Blocked clients are not even checked: a correct guess does not get in.
    expect(
      (await call("/executions", { token: TEST_TOKEN, headers: { "CF-Connecting-IP": ip } })).status,
    ).toBe(429);
    // Other clients are unaffected.
    expect((await call("/executions", { headers: { "CF-Connecting-IP": "203.0.113.10" } })).status).toBe(200);
  });

  it("a missing token is not counted as a guess", async () => {
    const ip = "203.0.113.20";
    for (let i = 0; i < 25; i++) {
      expect((await call("/executions", { token: null, headers: { "CF-Connecting-IP": ip } })).status).toBe(
        401,
      );
    }
    expect((await call("/executions", { headers: { "CF-Connecting-IP": ip } })).status).toBe(200);
  });

  it("the window slides: failures older than a minute no longer count", async () => {
    const stub = env.AUTH_THROTTLE!.get(env.AUTH_THROTTLE!.idFromName(unique("window")));
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) expect((await stub.recordFailure(3, 60_000, t0 + i)).limited).toBe(false);
    const fourth = await stub.recordFailure(3, 60_000, t0 + 10);
    expect(fourth).toEqual({ limited: true, failures: 4, retryAfterMs: 60_000 - 10 });
    expect((await stub.recordFailure(3, 60_000, t0 + 60_005)).limited).toBe(false);
  });
});

describe("CORS", () => {
  it("is off by default: no CORS headers, preflights are not answered", async () => {
    const res = await call("/executions", { headers: { Origin: "https://evil.example" } });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await call("/executions", {
      method: "OPTIONS",
      token: null,
      headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "GET" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("allows exactly the configured origins (FLUX_CORS_ORIGINS)", async () => {
    const app = createApp();
    const configured = { ...env, FLUX_CORS_ORIGINS: "https://dash.example, https://ops.example" };
    const fetchWith = (init: RequestInit, origin: string) =>
      app.fetch(
        new Request("http://flux.test/executions", { ...init, headers: { Origin: origin, ...init.headers } }),
        configured,
        createExecutionContext(),
      );
    const preflight = await fetchWith(
      {
        method: "OPTIONS",
        headers: {
          "Access-Control-Request-Method": "GET",
          "Access-Control-Request-Headers": "authorization",
        },
      },
      "https://dash.example",
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://dash.example");
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");

    const actual = await fetchWith(
      { headers: { Authorization: `Bearer ${TEST_TOKEN}` } },
      "https://ops.example",
    );
    expect(actual.status).toBe(200);
    expect(actual.headers.get("access-control-allow-origin")).toBe("https://ops.example");
    expect(actual.headers.get("access-control-allow-credentials")).toBeNull();

    const other = await fetchWith(
      { headers: { Authorization: `Bearer ${TEST_TOKEN}` } },
      "https://evil.example",
    );
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("security headers", () => {
  it("HTML (Swagger UI at /docs) gets CSP, no framing, no sniffing, no caching", async () => {
    const res = await call("/docs");
    expect(res.headers.get("content-type")).toContain("text/html");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("JSON and error responses are nosniff too", async () => {
    for (const res of [await call("/health", { token: null }), await call("/executions", { token: null })]) {
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });
});

describe("body limits", () => {
  it("admin routes have tight caps (413 JSON)", async () => {
    const keys = await postJson("/admin/keys", { name: "x".repeat(10_000), role: "viewer" });
    expect(keys.status).toBe(413);
    const secrets = await postJson("/admin/secrets", { name: "BIG", value: "v".repeat(200_000) });
    expect(secrets.status).toBe(413);
    expect(((await secrets.json()) as ErrorJson).error.code).toBe("payload_too_large");
  });

  it("every other route keeps the global cap", async () => {
    const res = await call("/workflows/hello_world/run/sync", {
      method: "POST",
      body: "x".repeat(1024 * 1024 + 1),
    });
    expect(res.status).toBe(413);
  });
});
