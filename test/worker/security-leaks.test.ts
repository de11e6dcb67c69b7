// A workflow that requests the secret "example" and returns it, logs it, reports it as progress or throws it in an
// error must never expose the value: not in any API response (sync, async, stream, status, /executions, detailed
// events), not in an SSE frame, not in the log output. Assertions are on raw response bodies.
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { call, json, parseSse, post, type View } from "./helpers";

const SECRET = "s3cr3t-VALUE-7f2a9c-must-not-leak";
const ESCAPED_VARIANTS = [SECRET, JSON.stringify(SECRET).slice(1, -1), btoa(SECRET)];

function expectNoSecret(text: string, where: string): void {
  for (const variant of ESCAPED_VARIANTS) expect(text, where).not.toContain(variant);
}

/** Every read path for one execution, as raw text. */
async function allViews(executionId: string): Promise<string[]> {
  const paths = [
    `/workflows/using_secrets/status/${executionId}`,
    `/workflows/using_secrets/status/${executionId}?detailed=true`,
    `/executions/${executionId}`,
    `/executions/${executionId}?detailed=true`,
    `/executions?workflow=using_secrets`,
  ];
  return Promise.all(paths.map(async (path) => `${path}: ${await (await call(path)).text()}`));
}

let logSpies: { mock: { calls: unknown[][] }; mockRestore(): void }[] = [];
beforeAll(async () => {
  const res = await post("/admin/secrets", { name: "example", value: SECRET });
  expect([200, 201]).toContain(res.status);
});
afterEach(() => {
  for (const spy of logSpies) spy.mockRestore();
  logSpies = [];
});

function spyOnLogs(): () => string {
  logSpies = (["log", "info", "warn", "error", "debug"] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation(() => undefined),
  );
  return () =>
    logSpies
      .flatMap((spy) =>
        spy.mock.calls
          .flat()
          .map((arg: unknown) => (typeof arg === "string" ? arg : (JSON.stringify(arg) ?? String(arg)))),
      )
      .join("\n");
}

describe("a workflow that leaks its secret", () => {
  it("returns it: the output and every event show *** instead (sync, detailed)", async () => {
    const logs = spyOnLogs();
    const res = await post("/workflows/using_secrets/run/sync?detailed=true", { mode: "return" });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expectNoSecret(text, "sync response");
    const view = JSON.parse(text) as View;
    expect(view.state).toBe("COMPLETED");
    expect(view.output).toEqual({
      echoed: "***",
      json: JSON.stringify({ key: "***" }),
      sentence: "the key is ***!",
    });
    expect(view.events?.some((e) => JSON.stringify(e.value).includes("***"))).toBe(true);
    for (const body of await allViews(view.execution_id)) expectNoSecret(body, body.slice(0, 80));
    // The task console.log()ged the value: what reached the log is redacted.
    const logged = logs();
    expect(logged).toContain("use_secret got ***");
    expectNoSecret(logged, "logs");
  });

  it("throws it in an error: FAILED, the error says *** (sync, status, detailed)", async () => {
    const res = await post("/workflows/using_secrets/run/sync?detailed=true", { mode: "throw" });
    const text = await res.text();
    expectNoSecret(text, "sync failure");
    const view = JSON.parse(text) as View;
    expect(view.state).toBe("FAILED");
    expect(JSON.stringify(view.output)).toContain("upstream rejected key ***");
    for (const body of await allViews(view.execution_id)) expectNoSecret(body, body.slice(0, 80));
  });

  it("streams it: no SSE frame (state or task.progress) carries the value", async () => {
    const logs = spyOnLogs();
    const res = await post("/workflows/using_secrets/run/stream?detailed=true", { mode: "progress" });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const text = await res.text();
    expectNoSecret(text, "SSE stream");
    const all = parseSse(text);
    const progress = all.filter((frame) => frame.event === "task.progress");
    expect(progress).toHaveLength(1);
    expect(progress[0]?.data).toMatchObject({
      task_name: "use_secret",
      value: { secret: "***", note: "progress with ***" },
    });
    expect(all.at(-1)?.event).toBe("workflow.execution.completed");
    expectNoSecret(logs(), "logs");
  });

  it("async run then status and a stream attached later never show it either", async () => {
    const started = await json(await post("/workflows/using_secrets/run/async", { mode: "return" }));
    const stream = await call(`/executions/${started.execution_id}?mode=stream&detailed=true`);
    expectNoSecret(await stream.text(), "late stream");
    for (const body of await allViews(started.execution_id)) expectNoSecret(body, body.slice(0, 80));
  });

  it("stored events in the Durable Object's SQLite hold no plaintext", async () => {
    const view = await json(await post("/workflows/using_secrets/run/sync", { mode: "throw" }));
    const stub = env.EXECUTIONS.get(env.EXECUTIONS.idFromName(view.execution_id));
    const { runInDurableObject } = await import("cloudflare:test");
    const rows = await runInDurableObject(stub, (_instance, state) => {
      const tables = state.storage.sql
        .exec<{ name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\'",
        )
        .toArray();
      return tables.map(({ name }) =>
        JSON.stringify(state.storage.sql.exec(`SELECT * FROM "${name}"`).toArray()),
      );
    });
    expect(rows.join("").length).toBeGreaterThan(0);
    expectNoSecret(rows.join("\n"), "DO SQLite");
  });
});

describe("a missing secret", () => {
  it("fails the task with an ExecutionError naming the missing secrets", async () => {
    const view = await json(
      await post("/workflows/using_secrets/run/sync?detailed=true", { mode: "missing" }),
      200,
    );
    expect(view.state).toBe("FAILED");
    const failed = view.events?.find((e) => e.type === "TASK_FAILED" && e.name === "use_missing_secret");
    const text = JSON.stringify(failed?.value);
    expect(text).toContain("ExecutionError");
    expect(text).toContain("flux_missing_a");
    expect(text).toContain("flux_missing_b");
    expect(text).not.toMatch(/\bexample\b.*not found/);
  });
});
