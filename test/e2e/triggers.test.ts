// End to end against a real `wrangler dev`: a signed webhook delivery (no bearer token) starts a workflow, and a
// per-second interval schedule fires runs from its Durable Object alarm in real time.
import { execFile } from "node:child_process";
import { createHmac } from "node:crypto";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type FluxServer } from "./harness";

let server: FluxServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server?.stop();
});

async function json<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  if (res.status !== status) {
    throw new Error(`expected ${status}, got ${res.status}: ${text}\n${server.logs().slice(-3000)}`);
  }
  return JSON.parse(text) as T;
}

async function eventually<T>(
  probe: () => Promise<T>,
  accept: (v: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`not met in ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const postJson = (path: string, body: unknown) =>
  server.fetch(path, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "Content-Type": "application/json" },
  });

describe("webhooks", () => {
  it("a signed delivery starts the workflow; an unsigned one is refused", async () => {
    const secret = "e2e-webhook-secret-0123456789";
    await json(
      await postJson("/admin/webhooks", {
        name: "e2e",
        workflow: "hello_world",
        secret,
        delivery_id_header: "X-Delivery-Id",
      }),
      201,
    );

    const body = JSON.stringify("E2E");
    const t = Math.floor(Date.now() / 1000);
    const signature = `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;
    const deliver = (headers: Record<string, string>) =>
      fetch(`${server.url}/webhooks/e2e`, {
        method: "POST",
        body,
        headers: { "Content-Type": "application/json", ...headers },
      });

    expect((await deliver({})).status).toBe(401);
    const { execution_id } = await json<{ execution_id: string }>(
      await deliver({ "X-Flux-Signature": signature, "X-Delivery-Id": "d-1" }),
      202,
    );
    const again = await json<{ execution_id: string }>(
      await deliver({ "X-Flux-Signature": signature, "X-Delivery-Id": "d-1" }),
      202,
    );
    expect(again.execution_id).toBe(execution_id);

    const done = await eventually(
      async () =>
        json<{ state: string; output: unknown }>(await server.fetch(`/executions/${execution_id}`), 200),
      (v) => v.state === "COMPLETED",
    );
    expect(done.output).toBe("Hello, E2E");
  });
});

describe("schedules", () => {
  it("a per-second interval schedule fires three runs from its alarm", async () => {
    const schedule = await json<{ id: string }>(
      await postJson("/schedules", {
        name: "every-second",
        workflow: "hello_world",
        schedule: { type: "interval", every_seconds: 1 },
        input: "Tick",
        overlap: "allow",
      }),
      201,
    );
    type History = { entries: { outcome: string; execution_id: string | null; scheduled_at: string }[] };
    const history = await eventually(
      async () => json<History>(await server.fetch(`/schedules/${schedule.id}/history`), 200),
      (h) => h.entries.filter((e) => e.outcome === "started").length >= 3,
      20_000,
    );
    await json(await server.fetch(`/schedules/${schedule.id}/pause`, { method: "POST" }), 200);

    const started = history.entries.filter((e) => e.outcome === "started");
    expect(new Set(started.map((e) => e.execution_id)).size).toBe(started.length);
    // Fired at whole seconds, one second apart.
    for (const entry of started) expect(Date.parse(entry.scheduled_at) % 1000).toBe(0);
    for (const entry of started.slice(0, 3)) {
      const view = await eventually(
        async () =>
          json<{ state: string; output: unknown }>(
            await server.fetch(`/executions/${entry.execution_id}`),
            200,
          ),
        (v) => v.state === "COMPLETED",
      );
      expect(view.output).toBe("Hello, Tick");
    }
    expect((await server.fetch(`/schedules/${schedule.id}`, { method: "DELETE" })).status).toBe(204);
  });
});

describe("CLI: flux schedule / flux webhook against the same server", () => {
  const bin = fileURLToPath(new URL("../../bin/flux.js", import.meta.url));
  const flux = async (...args: string[]): Promise<string> => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [bin, "--server-url", server.url, "--token", server.token, "--format", "json", ...args],
      { timeout: 30_000 },
    );
    return stdout;
  };

  it("schedule create/list/show/pause/resume/history/delete", async () => {
    const created = JSON.parse(
      await flux(
        "schedule",
        "create",
        "hello_world",
        "cli-nightly",
        '"CLI"',
        "--cron",
        "0 3 * * *",
        "--timezone",
        "Europe/Berlin",
      ),
    ) as { id: string; status: string; schedule: { expression: string; timezone: string } };
    expect(created.schedule).toMatchObject({ expression: "0 3 * * *", timezone: "Europe/Berlin" });
    const listed = JSON.parse(await flux("schedule", "list", "--workflow", "hello_world")) as {
      id: string;
    }[];
    expect(listed.map((s) => s.id)).toContain(created.id);
    expect(JSON.parse(await flux("schedule", "pause", created.id))).toMatchObject({ status: "paused" });
    expect(JSON.parse(await flux("schedule", "resume", created.id))).toMatchObject({ status: "active" });
    expect(JSON.parse(await flux("schedule", "show", created.id))).toMatchObject({ id: created.id });
    expect(JSON.parse(await flux("schedule", "history", created.id))).toMatchObject({ total: 0 });
    await flux("schedule", "delete", created.id);
    await expect(flux("schedule", "show", created.id)).rejects.toThrow();
  });

  it("webhook create/list/delete never prints the secret", async () => {
    const out = await flux(
      "webhook",
      "create",
      "cli-hook",
      "hello_world",
      "--secret",
      "cli-secret-0123456789abcdef",
    );
    expect(JSON.parse(out)).toMatchObject({ name: "cli-hook", has_secret: true });
    const listed = await flux("webhook", "list");
    expect(listed).toContain("cli-hook");
    expect(out + listed).not.toContain("cli-secret-0123456789abcdef");
    await flux("webhook", "delete", "cli-hook");
    expect(await flux("webhook", "list")).not.toContain("cli-hook");
  });
});
