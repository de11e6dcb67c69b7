// Role matrix: every rule of the policy table × every role, plus no token, a bad token, an expired key and a
// revoked key. Routes are enumerated from POLICY itself, so a new rule is covered the moment it is added, and
// routes that do not exist yet must still answer 401/403 before anyone can learn they are 404.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { insertApiKey } from "../../src/db/api-keys-repo";
import { issueApiKey, ROLES, type Role } from "../../src/security/index";
import { allows } from "../../src/worker/middleware/auth";
import { accessFor, POLICY, type PolicyRule } from "../../src/worker/middleware/policy";
import { call, type ErrorJson } from "../workers/helpers";

const tokens = {} as Record<Role | "expired" | "revoked", string>;
let ipCounter = 0;
/** A fresh client address per request, so the failed-auth throttle never interferes with the matrix. */
const freshIp = () => `198.51.${(ipCounter >> 8) & 255}.${ipCounter++ & 255}`;

function samplePath(rule: PolicyRule): string {
  return rule.pattern
    .split("/")
    .map((part) =>
      part.startsWith(":") ? `matrix-${part.slice(1)}` : part === "*" ? "matrix-rest/deeper" : part,
    )
    .join("/");
}

async function request(rule: PolicyRule | { method: string; path: string }, token: string | null) {
  const path = "pattern" in rule ? samplePath(rule) : rule.path;
  // No body: allowed requests must not create anything; they may answer 400/404, never 401/403.
  return call(path, { method: rule.method, token, headers: { "CF-Connecting-IP": freshIp() } });
}

beforeAll(async () => {
  const db = createDb(env.DB);
  const suffix = crypto.randomUUID().slice(0, 8);
  for (const role of ROLES) {
    const res = await call("/admin/keys", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: `matrix-${role}-${suffix}`, role, expires_in_days: 1 }),
    });
    expect(res.status).toBe(201);
    tokens[role] = ((await res.json()) as { key: string }).key;
  }
  // Expired: issued a year ago for one day.
  const expired = await issueApiKey({
    name: `matrix-expired-${suffix}`,
    role: "admin",
    expiresInDays: 1,
    now: new Date(Date.now() - 365 * 86_400_000),
  });
  await insertApiKey(db, {
    name: expired.record.name,
    role: "admin",
    keyHash: expired.record.keyHash,
    keyPrefix: expired.record.keyPrefix,
    createdAt: Date.parse(expired.record.createdAt),
    expiresAt: Date.parse(expired.record.expiresAt as string),
  });
  tokens.expired = expired.key;
  const revoked = await call("/admin/keys", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: `matrix-revoked-${suffix}`, role: "admin" }),
  });
  tokens.revoked = ((await revoked.json()) as { key: string }).key;
  expect((await call(`/admin/keys/matrix-revoked-${suffix}`, { method: "DELETE" })).status).toBe(204);
});

describe("role matrix over the policy table", () => {
  const rules = POLICY.filter((rule) => rule.access !== "public");

  it("covers the routes of SPEC §4 and the admin routes", () => {
    const covered = new Set(rules.map((rule) => `${rule.method} ${rule.pattern}`));
    for (const route of [
      "GET /workflows",
      "POST /workflows",
      "GET /workflows/:name",
      "DELETE /workflows/:name",
      "GET /workflows/:name/versions",
      "POST /workflows/:name/run/:mode",
      "POST /workflows/:name/resume/:id/:mode",
      "GET /workflows/:name/status/:id",
      "GET /workflows/:name/cancel/:id",
      "POST /executions/:id/cancel",
      "GET /executions",
      "GET /executions/:id",
      "GET /admin/secrets",
      "POST /admin/secrets",
      "GET /admin/secrets/:name",
      "DELETE /admin/secrets/:name",
      "POST /admin/secrets/rotate",
      "GET /admin/keys",
      "POST /admin/keys",
      "DELETE /admin/keys/:name",
      "GET /openapi.json",
      "GET /docs",
    ]) {
      expect(covered, route).toContain(route);
    }
  });

  for (const rule of rules) {
    const label = `${rule.method} ${samplePath(rule)} (${rule.access})`;

    it(`${label}: each role is allowed or gets 403`, async () => {
      // The sample path must reach this rule (an earlier rule shadowing it would make it dead policy).
      expect(accessFor(rule.method, samplePath(rule))).toBe(rule.access);
      for (const role of ROLES) {
        const res = await request(rule, tokens[role]);
        if (allows(role, rule.access)) {
          expect([401, 403, 429], `${role} should pass`).not.toContain(res.status);
        } else {
          expect(res.status, `${role} should be forbidden`).toBe(403);
          expect(((await res.json()) as ErrorJson).error.code).toBe("forbidden");
        }
      }
    });

    it(`${label}: no token, bad token, expired key and revoked key get 401`, async () => {
      for (const token of [null, "flux_not-a-real-key", tokens.expired, tokens.revoked]) {
        const res = await request(rule, token);
        expect(res.status, `token ${token === null ? "none" : token.slice(0, 12)}`).toBe(401);
        expect(((await res.json()) as ErrorJson).error.code).toBe("unauthorized");
      }
    });
  }

  it("public routes need no token", async () => {
    expect((await call("/health", { token: null })).status).toBe(200);
    // Webhook deliveries authenticate by signature in their route, not by bearer token.
    expect([401, 403]).not.toContain(
      (await request({ method: "POST", path: "/webhooks/matrix-hook" }, null)).status,
    );
  });

  it("the bootstrap admin token is admin", async () => {
    expect((await call("/admin/keys")).status).toBe(200);
    expect((await call("/admin/secrets")).status).toBe(200);
  });

  it("unknown routes are admin-only: admin sees 404, every other role 403, no token 401", async () => {
    for (const route of [
      { method: "GET", path: "/nope" },
      { method: "POST", path: "/admin/maintenance" },
      { method: "PUT", path: "/workflows/x" },
      { method: "GET", path: "/workflows/" },
    ]) {
      expect((await request(route, tokens.admin)).status, `${route.method} ${route.path}`).toBe(404);
      for (const role of ["operator", "viewer", "worker"] as const) {
        expect((await request(route, tokens[role])).status, `${role} ${route.path}`).toBe(403);
      }
      expect((await request(route, null)).status).toBe(401);
    }
  });
});
