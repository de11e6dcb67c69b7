// End-to-end against a real `wrangler dev`: run in every mode, SSE with progress, pause → resume, cancel, and a
// sleeping execution that survives killing and restarting the server process (same persist dir).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type FluxServer } from "./harness";

interface View {
  execution_id: string;
  workflow_name: string;
  state: string;
  input: unknown;
  output: unknown;
  events?: { type: string; name: string; value: unknown; time: string }[];
}
interface Frame {
  event: string;
  data: Record<string, unknown>;
}

let server: FluxServer;

async function post(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return server.fetch(path, {
    method: "POST",
    signal: AbortSignal.timeout(20_000),
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: body === undefined ? headers : { "Content-Type": "application/json", ...headers },
  });
}

async function json<T = View>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  if (res.status !== status) {
    throw new Error(`expected ${status}, got ${res.status}: ${text}\n${server.logs().slice(-3000)}`);
  }
  return JSON.parse(text) as T;
}

function parseSse(text: string): Frame[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim())
    .map((block) => {
      const lines = block.split("\n");
      return {
        event: lines.find((l) => l.startsWith("event: "))?.slice(7) ?? "message",
        data: JSON.parse(
          lines
            .filter((l) => l.startsWith("data: "))
            .map((l) => l.slice(6))
            .join("\n"),
        ) as Record<string, unknown>,
      };
    });
}

async function poll(
  workflow: string,
  id: string,
  accept: (v: View) => boolean,
  timeoutMs = 20_000,
): Promise<View> {
  const deadline = Date.now() + timeoutMs;
  let last: View | undefined;
  while (Date.now() < deadline) {
    try {
      const res = await server.fetch(`/workflows/${workflow}/status/${id}`);
      if (res.ok) {
        last = (await res.json()) as View;
        if (accept(last)) return last;
      }
    } catch {
      // The server may be coming back up.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out; last: ${JSON.stringify(last)}\n${server.logs().slice(-3000)}`);
}

describe("executions over a real wrangler dev", () => {
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("lists the bundled workflows", async () => {
    const list = await json<{ name: string }[]>(await server.fetch("/workflows"), 200);
    expect(list.map((w) => w.name)).toEqual(
      expect.arrayContaining(["hello_world", "sleep_workflow", "greet_typed"]),
    );
  });

  it("run sync", async () => {
    const view = await json(await post("/workflows/hello_world/run/sync", "E2E"), 200);
    expect(view).toMatchObject({ state: "COMPLETED", output: "Hello, E2E" });
  });

  it("run async, then poll status", async () => {
    const view = await json(await post("/workflows/simple_pipeline/run/async", 5), 202);
    const done = await poll("simple_pipeline", view.execution_id, (v) => v.state === "COMPLETED");
    expect(done.output).toBe(169);
  });

  it("rejects invalid input before creating anything", async () => {
    const res = await post("/workflows/greet_typed/run/sync", { name: "" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "invalid_input" } });
  });

  it("run stream: SSE state frames and task.progress frames", async () => {
    const res = await post("/workflows/progress_workflow/run/stream", { steps: 3 });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const frames = parseSse(await res.text());
    expect(frames[0]?.event).toBe("workflow.execution.running");
    const progress = frames.filter((f) => f.event === "task.progress").map((f) => f.data.value);
    expect(progress).toEqual([
      { step: 1, of: 3 },
      { step: 2, of: 3 },
      { step: 3, of: 3 },
    ]);
    expect(frames[frames.length - 1]).toMatchObject({
      event: "workflow.execution.completed",
      data: { state: "COMPLETED", output: { steps: 3 } },
    });
  });

  it("pause → resume with input", async () => {
    const paused = await json(await post("/workflows/pause_with_input_workflow/run/sync"), 200);
    expect(paused.state).toBe("PAUSED");
    const done = await json(
      await post(`/workflows/pause_with_input_workflow/resume/${paused.execution_id}/sync`, {
        multiplier: 4,
      }),
      200,
    );
    expect(done).toMatchObject({ state: "COMPLETED", output: { result: 10, user_input: { multiplier: 4 } } });
    const again = await post(`/workflows/pause_with_input_workflow/resume/${paused.execution_id}/sync`, {});
    expect(again.status).toBe(400);
  });

  it("cancel a running execution", async () => {
    const view = await json(
      await post("/workflows/cancellable_workflow/run/async", { iterations: 100 }),
      202,
    );
    await poll("cancellable_workflow", view.execution_id, (v) => v.state === "RUNNING");
    const cancelled = await json(
      await server.fetch(`/workflows/cancellable_workflow/cancel/${view.execution_id}?mode=sync`),
      200,
    );
    expect(cancelled.state).toBe("CANCELLED");
    const listed = await json<{ items: { execution_id: string; state: string }[] }>(
      await server.fetch("/executions?workflow=cancellable_workflow"),
      200,
    );
    expect(listed.items.map((i) => i.execution_id)).toContain(view.execution_id);
  });

  it("idempotency key: a retry returns the same execution", async () => {
    const key = `e2e-${Date.now()}`;
    const a = await json(await post("/workflows/hello_world/run/sync", "K", { "Idempotency-Key": key }), 200);
    const b = await json(
      await post("/workflows/hello_world/run/sync", "K2", { "Idempotency-Key": key }),
      200,
    );
    expect(b.execution_id).toBe(a.execution_id);
    expect(b.output).toBe("Hello, K");
  });

  it("a sleeping execution survives killing and restarting wrangler dev", async () => {
    const view = await json(await post("/workflows/sleep_workflow/run/async", { seconds: 3 }), 202);
    const id = view.execution_id;
    const sleeping = await poll("sleep_workflow", id, (v) => v.state === "RUNNING");
    expect(sleeping.output).toBeNull();
    const killedAt = Date.now();
    await server.restart();
    const done = await poll("sleep_workflow", id, (v) => v.state === "COMPLETED", 30_000);
    expect(done.output).toBe("woke");
    const detailed = await json(
      await server.fetch(`/workflows/sleep_workflow/status/${id}?detailed=true`),
      200,
    );
    expect(detailed.events?.filter((e) => e.type === "WORKFLOW_STARTED")).toHaveLength(1);
    // It finished after the old process was killed, so the new process (alarm or replay) completed it.
    const completed = detailed.events?.find((e) => e.type === "WORKFLOW_COMPLETED");
    expect(Date.parse(completed?.time ?? "")).toBeGreaterThanOrEqual(killedAt);
  });
});
