// POST /workflows/{name}/run/{mode}: modes, bodies, query/header validation, idempotency and input schemas.
// Every rejected request is checked to have written nothing (no execution row, no Durable Object).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, errorOf, frames, json, post, statusOf, until, type View } from "./helpers";

const countExecutions = async (workflow: string): Promise<number> =>
  (
    await env.DB.prepare("SELECT COUNT(*) AS n FROM executions WHERE workflow_name = ?")
      .bind(workflow)
      .first<{ n: number }>()
  )?.n ?? 0;

describe("run: modes", () => {
  it("sync waits for COMPLETED and answers 200 with the snake_case summary", async () => {
    const res = await post("/workflows/hello_world/run/sync", "Joe");
    const view = await json(res, 200);
    expect(view).toMatchObject({
      workflow_id: "default/hello_world",
      workflow_name: "hello_world",
      workflow_version: 1,
      input: "Joe",
      output: "Hello, Joe",
      state: "COMPLETED",
      parent_execution_id: null,
    });
    expect(view.execution_id).toMatch(/^[0-9a-f]{32}$/);
    expect(Date.parse(view.created_at ?? "")).not.toBeNaN();
    expect(view).not.toHaveProperty("events");
  });

  it("sync + detailed includes the events", async () => {
    const view = await json(await post("/workflows/simple_pipeline/run/sync?detailed=true", 5), 200);
    expect(view.output).toBe(169);
    expect(view.events?.map((e) => e.type)).toContain("WORKFLOW_COMPLETED");
    expect(view.events?.[0]).toMatchObject({ type: "WORKFLOW_STARTED", value: 5 });
  });

  it("sync returns at PAUSED with the pause's output", async () => {
    const view = await json(await post("/workflows/pause_with_input_workflow/run/sync"), 200);
    expect(view.state).toBe("PAUSED");
    expect(view.output).toEqual({ stage: "initial", data: [1, 2, 3] });
  });

  it("a failing body is FAILED (still 200: the request was fine)", async () => {
    const view = await json(await post("/workflows/hello_world/run/sync"), 200);
    expect(view.state).toBe("FAILED");
    expect(view.input).toBeNull();
    expect(view.output).toMatchObject({ type: "TypeError", message: "Input not provided" });
  });

  it("async answers 202 at once; status polling reaches COMPLETED", async () => {
    const res = await post("/workflows/sleep_workflow/run/async", { seconds: 0.2 });
    const view = await json(res, 202);
    expect(["CREATED", "RUNNING"]).toContain(view.state);
    const done = await until(
      () => statusOf("sleep_workflow", view.execution_id),
      (v) => v.state === "COMPLETED",
    );
    expect(done.output).toBe("woke");
  });

  it("stream is SSE: one frame per state change, ends at the terminal state", async () => {
    const res = await post("/workflows/sleep_workflow/run/stream", { seconds: 0.2 });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const id = res.headers.get("Flux-Execution-Id");
    const all = await frames(res);
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const frame of all)
      expect(frame.event).toMatch(/^workflow\.execution\.(running|paused|completed|failed|cancelled)$/);
    expect(all[0]?.event).toBe("workflow.execution.running");
    const last = all[all.length - 1];
    expect(last?.event).toBe("workflow.execution.completed");
    expect(last?.data).toMatchObject({ execution_id: id, state: "COMPLETED", output: "woke" });
  });

  it("stream carries task.progress frames", async () => {
    const all = await frames(await post("/workflows/progress_workflow/run/stream", { steps: 3 }));
    const progress = all.filter((f) => f.event === "task.progress");
    expect(progress.map((f) => (f.data as { value: unknown }).value)).toEqual([
      { step: 1, of: 3 },
      { step: 2, of: 3 },
      { step: 3, of: 3 },
    ]);
    expect(progress[0]?.data).toMatchObject({ task_name: "count_up" });
    expect(all[all.length - 1]?.data).toMatchObject({ state: "COMPLETED", output: { steps: 3 } });
  });

  it("stream + detailed frames carry events", async () => {
    const all = await frames(await post("/workflows/hello_world/run/stream?detailed=true", "Ann"));
    expect((all[all.length - 1]?.data as View).events?.length).toBeGreaterThan(0);
  });

  it("pins the requested version", async () => {
    const view = await json(await post("/workflows/hello_world/run/sync?version=1", "V"), 200);
    expect(view.workflow_version).toBe(1);
  });
});

describe("run: bad requests (400/404/413/415) write nothing", () => {
  const cases: [string, () => Promise<Response>, number, string][] = [
    ["invalid mode", () => post("/workflows/hello_world/run/later", "x"), 400, "validation_failed"],
    ["unknown workflow", () => post("/workflows/no_such_wf/run/sync", "x"), 404, "workflow_not_found"],
    [
      "unknown version",
      () => post("/workflows/hello_world/run/sync?version=99", "x"),
      404,
      "workflow_version_not_found",
    ],
    [
      "version not a number",
      () => post("/workflows/hello_world/run/sync?version=abc", "x"),
      400,
      "validation_failed",
    ],
    ["version zero", () => post("/workflows/hello_world/run/sync?version=0", "x"), 400, "validation_failed"],
    [
      "detailed not a boolean",
      () => post("/workflows/hello_world/run/sync?detailed=maybe", "x"),
      400,
      "validation_failed",
    ],
    [
      "malformed JSON",
      () =>
        call("/workflows/hello_world/run/sync", {
          method: "POST",
          body: "{oops",
          headers: { "Content-Type": "application/json" },
        }),
      400,
      "bad_request",
    ],
    [
      "wrong content type",
      () =>
        call("/workflows/hello_world/run/sync", {
          method: "POST",
          body: "Joe",
          headers: { "Content-Type": "text/plain" },
        }),
      415,
      "unsupported_media_type",
    ],
    [
      "no content type with a body",
      () =>
        call("/workflows/hello_world/run/sync", { method: "POST", body: new TextEncoder().encode('"Joe"') }),
      415,
      "unsupported_media_type",
    ],
    [
      "oversized body",
      () =>
        call("/workflows/hello_world/run/sync", {
          method: "POST",
          body: JSON.stringify("x".repeat(1024 * 1024)),
          headers: { "Content-Type": "application/json" },
        }),
      413,
      "payload_too_large",
    ],
    [
      "idempotency key too long",
      () => post("/workflows/hello_world/run/sync", "x", { "Idempotency-Key": "k".repeat(201) }),
      400,
      "validation_failed",
    ],
  ];

  for (const [name, send, status, code] of cases) {
    it(`${name} → ${status}`, async () => {
      const before = await countExecutions("hello_world");
      const error = await errorOf(await send(), status);
      expect(error.code).toBe(code);
      expect(await countExecutions("hello_world")).toBe(before);
    });
  }

  it("an empty body with Content-Type: application/json is input null, not malformed", async () => {
    const res = await call("/workflows/hello_world/run/sync", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
    });
    expect((await json(res, 200)).input).toBeNull();
  });

  it("+json content types are JSON", async () => {
    const res = await call("/workflows/hello_world/run/sync", {
      method: "POST",
      body: '"Vnd"',
      headers: { "Content-Type": "application/vnd.api+json; charset=utf-8" },
    });
    expect((await json(res, 200)).output).toBe("Hello, Vnd");
  });
});

describe("run: input schema", () => {
  it("valid input runs (parsed by the schema)", async () => {
    const view = await json(await post("/workflows/greet_typed/run/sync", { name: "Ann", times: 2 }), 200);
    expect(view).toMatchObject({ state: "COMPLETED", output: "Hello, Ann Hello, Ann" });
  });

  for (const [label, input] of [
    ["empty name", { name: "" }],
    ["missing name", { times: 1 }],
    ["times out of range", { name: "A", times: 9 }],
    ["null input", undefined],
  ] as const) {
    it(`${label} → 400 invalid_input with details, nothing created`, async () => {
      const before = await countExecutions("greet_typed");
      const error = await errorOf(await post("/workflows/greet_typed/run/async", input), 400);
      expect(error.code).toBe("invalid_input");
      expect(Array.isArray(error.details)).toBe(true);
      expect((error.details as { path: string; message: string }[])[0]).toHaveProperty("message");
      expect(await countExecutions("greet_typed")).toBe(before);
    });
  }

  it("details name the failing field", async () => {
    const error = await errorOf(await post("/workflows/greet_typed/run/sync", { name: "" }), 400);
    expect(error.details).toEqual([expect.objectContaining({ path: "name" })]);
  });
});

describe("run: Idempotency-Key", () => {
  it("a retry with the same key returns the same execution and starts nothing new", async () => {
    const key = `order-${crypto.randomUUID()}`;
    const first = await post("/workflows/simple_pipeline/run/sync", 5, { "Idempotency-Key": key });
    const a = await json(first, 200);
    expect(first.headers.get("Idempotent-Replayed")).toBeNull();
    const second = await post("/workflows/simple_pipeline/run/sync", 7, { "Idempotency-Key": key });
    const b = await json(second, 200);
    expect(second.headers.get("Idempotent-Replayed")).toBe("true");
    expect(b.execution_id).toBe(a.execution_id);
    expect(b.input).toBe(5);
    expect(b.output).toBe(169);
    const detailed = await statusOf("simple_pipeline", a.execution_id, true);
    expect(detailed.events?.filter((e) => e.type === "WORKFLOW_STARTED")).toHaveLength(1);
    const rows = await until(
      () =>
        env.DB.prepare("SELECT id FROM executions WHERE idempotency_key = ?")
          .bind(`simple_pipeline:${key}`)
          .all(),
      (r) => r.results.length > 0,
    );
    expect(rows.results).toEqual([{ id: a.execution_id }]);
  });

  it("async retries map to the same execution while it runs", async () => {
    const key = crypto.randomUUID();
    const [a, b] = await Promise.all([
      post("/workflows/sleep_workflow/run/async", { seconds: 0.2 }, { "Idempotency-Key": key }).then((r) =>
        json(r, 202),
      ),
      post("/workflows/sleep_workflow/run/async", { seconds: 0.2 }, { "Idempotency-Key": key }).then((r) =>
        json(r, 202),
      ),
    ]);
    expect(a.execution_id).toBe(b.execution_id);
  });

  it("the same key on two workflows gives two executions", async () => {
    const key = crypto.randomUUID();
    const a = await json(await post("/workflows/hello_world/run/sync", "A", { "Idempotency-Key": key }), 200);
    const b = await json(
      await post("/workflows/simple_pipeline/run/sync", 1, { "Idempotency-Key": key }),
      200,
    );
    expect(a.execution_id).not.toBe(b.execution_id);
    expect(b.output).toBe(25);
  });
});
