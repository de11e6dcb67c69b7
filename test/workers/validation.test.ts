// Validation and malformed bodies through a zod-openapi route mounted on the real app (no product route needed).
import { createRoute, z } from "@hono/zod-openapi";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp, createRouter } from "../../src/worker/app";
import { ConflictError } from "../../src/worker/errors";
import { BASE, TEST_TOKEN, type ErrorJson } from "./helpers";

const echo = createRoute({
  method: "post",
  path: "/echo",
  request: { body: { content: { "application/json": { schema: z.object({ name: z.string().min(1) }) } } } },
  responses: {
    200: { content: { "application/json": { schema: z.object({ name: z.string() }) } }, description: "ok" },
  },
});

const app = createApp();
const routes = createRouter()
  .openapi(echo, (c) => c.json({ name: c.req.valid("json").name }, 200))
  .post("/raw", async (c) => c.json(await c.req.json()))
  .get("/conflict", () => {
    throw new ConflictError("Execution is COMPLETED", { state: "COMPLETED" }, "wrong_state");
  })
  .get("/boom", () => {
    throw new Error("secret internals");
  });
app.route("/", routes);

async function post(path: string, body: string): Promise<Response> {
  return app.request(
    `${BASE}${path}`,
    {
      method: "POST",
      body,
      headers: { Authorization: `Bearer ${TEST_TOKEN}`, "Content-Type": "application/json" },
    },
    env,
  );
}

describe("request validation", () => {
  it("accepts a valid body", async () => {
    const res = await post("/echo", JSON.stringify({ name: "a" }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ name: "a" });
  });

  it("malformed JSON is 400 JSON (validator)", async () => {
    const res = await post("/echo", "{not json");
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorJson).error.code).toBe("bad_request");
  });

  it("malformed JSON is 400 JSON (c.req.json())", async () => {
    const res = await post("/raw", "{not json");
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorJson).error.code).toBe("bad_request");
  });

  it("schema failures are 400 with details", async () => {
    const res = await post("/echo", JSON.stringify({ name: "" }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorJson;
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details).toEqual([expect.objectContaining({ path: "name" })]);
  });

  it("domain errors keep their status, code and details", async () => {
    const res = await app.request(
      `${BASE}/conflict`,
      { headers: { Authorization: `Bearer ${TEST_TOKEN}` } },
      env,
    );
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      error: { code: "wrong_state", message: "Execution is COMPLETED", details: { state: "COMPLETED" } },
    });
  });

  it("unknown errors are a generic 500 without internals", async () => {
    const res = await app.request(
      `${BASE}/boom`,
      { headers: { Authorization: `Bearer ${TEST_TOKEN}` } },
      env,
    );
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("secret internals");
    expect(JSON.parse(text)).toEqual({ error: { code: "internal_error", message: "Internal server error" } });
  });
});
