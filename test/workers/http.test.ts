// The Worker's HTTP plumbing inside workerd: auth, error bodies, body limit, health and OpenAPI.
import { describe, expect, it } from "vitest";
import { call, type ErrorJson } from "./helpers";

describe("GET /health", () => {
  it("answers without a token and reports the database", async () => {
    const res = await call("/health", { token: null });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", version: "0.1.0", database: "ok" });
  });
});

describe("authentication", () => {
  for (const path of ["/openapi.json", "/docs", "/workflows", "/executions", "/nope"]) {
    it(`${path} needs a token`, async () => {
      const res = await call(path, { token: null });
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toContain("application/json");
      const body = (await res.json()) as ErrorJson;
      expect(body.error.code).toBe("unauthorized");
    });

    it(`${path} rejects a bad token`, async () => {
      const res = await call(path, { token: "wrong-token" });
      expect(res.status).toBe(401);
      expect(((await res.json()) as ErrorJson).error.code).toBe("unauthorized");
    });
  }

  it("rejects a non-bearer scheme", async () => {
    const res = await call("/openapi.json", { token: null, headers: { Authorization: "Basic dGVzdA==" } });
    expect(res.status).toBe(401);
  });
});

describe("errors", () => {
  it("unknown routes are 404 JSON", async () => {
    const res = await call("/no/such/route");
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorJson).error.code).toBe("not_found");
  });

  it("oversized bodies are 413 JSON", async () => {
    const res = await call("/no/such/route", { method: "POST", body: "x".repeat(1024 * 1024 + 1) });
    expect(res.status).toBe(413);
    const body = (await res.json()) as ErrorJson;
    expect(body.error.code).toBe("payload_too_large");
  });
});

describe("OpenAPI", () => {
  it("serves a JSON document listing /health", async () => {
    const res = await call("/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.paths).toHaveProperty("/health");
  });

  it("serves Swagger UI", async () => {
    const res = await call("/docs");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("/openapi.json");
  });
});
