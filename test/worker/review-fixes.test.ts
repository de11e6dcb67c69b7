// Regression tests for bugs found in review: each case failed before its fix.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, errorOf, json, post, until } from "./helpers";

let serial = 0;
const uid = () => `${Date.now().toString(36)}${(serial++).toString(36)}`;

async function upload(source: string): Promise<{ name: string; version: number; created: boolean }[]> {
  const form = new FormData();
  form.append("file", new File([source], "wf.js", { type: "text/javascript" }));
  return json(await call("/workflows", { method: "POST", body: form }), 201);
}

const pausingModule = (name: string, greeting: string) => `
import { task, workflow, pause } from "flux";
const greet = task("greet", async (who) => "${greeting}, " + who);
export const wf = workflow("${name}", async (ctx) => {
  const before = await greet(ctx.input);
  const answer = await pause("approve", { output: { before } });
  return before + " / " + answer;
});
`;

describe("schedules whose first fire is beyond what an alarm can hold", () => {
  it.each([
    ["once", { type: "once", at: "9999-12-31T23:59:59Z" }],
    ["interval start_at", { type: "interval", every_seconds: 60, start_at: "9999-12-31T23:59:59Z" }],
  ])("%s: 400 (not 500) and nothing is created, so the name stays free", async (_label, schedule) => {
    const name = `far-${uid()}`;
    const res = await post("/schedules", { name, workflow: "hello_world", schedule });
    expect((await errorOf(res, 400)).code).toBe("invalid_schedule");
    const listed = await json<{ name: string }[]>(await call("/schedules?limit=200"), 200);
    expect(listed.some((s) => s.name === name)).toBe(false);
    // The name is still free.
    await json(await post("/schedules", { name, workflow: "hello_world", schedule: { type: "interval", every_seconds: 3600 } }), 201);
  });

  it("PUT with a far-future schedule is a 400 and leaves the schedule as it was", async () => {
    const created = await json<{ id: string; next_run_at: string }>(
      await post("/schedules", { name: `far-${uid()}`, workflow: "hello_world", schedule: { type: "interval", every_seconds: 3600 } }),
      201,
    );
    const res = await call(`/schedules/${created.id}`, {
      method: "PUT",
      body: JSON.stringify({ schedule: { type: "once", at: "9999-12-31T23:59:59Z" } }),
      headers: { "Content-Type": "application/json" },
    });
    expect((await errorOf(res, 400)).code).toBe("invalid_schedule");
    const after = await json<{ next_run_at: string; schedule: { type: string } }>(await call(`/schedules/${created.id}`), 200);
    expect(after.schedule.type).toBe("interval");
    expect(after.next_run_at).toBe(created.next_run_at);
  });

  it("an interval whose window has already ended never fires: 400 like a cron that never fires", async () => {
    const res = await post("/schedules", {
      name: `ended-${uid()}`,
      workflow: "hello_world",
      schedule: { type: "interval", every_seconds: 60, start_at: "2000-01-01T00:00:00Z", end_at: "2000-01-02T00:00:00Z" },
    });
    expect((await errorOf(res, 400)).code).toBe("invalid_schedule");
  });
});

describe("workflow version numbers are never reused", () => {
  it("deleting the latest version and registering new code does not give the new code an old run's version", async () => {
    const name = `reuse-${uid()}`;
    expect((await upload(pausingModule(name, "Hello")))[0]?.version).toBe(1);
    expect((await upload(pausingModule(name, "Hi")))[0]?.version).toBe(2);
    // A run pinned to v2 pauses.
    const run = await json<{ execution_id: string; state: string; workflow_version: number }>(
      await post(`/workflows/${name}/run/sync`, "Ada"),
      200,
    );
    expect(run).toMatchObject({ state: "PAUSED", workflow_version: 2 });
    await until(
      () => env.DB.prepare("SELECT state FROM executions WHERE id = ?").bind(run.execution_id).first<{ state: string }>(),
      (row) => row?.state === "PAUSED",
    );
    // v2 is force-deleted, then different code is registered.
    await json(await call(`/workflows/${name}?version=2&force=true`, { method: "DELETE" }), 200);
    const next = await upload(pausingModule(name, "Howdy"));
    expect(next[0]?.version).toBe(3);
  });

  it("deleting every version and registering again continues the numbering", async () => {
    const name = `reuse-${uid()}`;
    await upload(pausingModule(name, "Hello"));
    const run = await json<{ execution_id: string }>(await post(`/workflows/${name}/run/async`, "Ada"), 202);
    await until(
      () => env.DB.prepare("SELECT state FROM executions WHERE id = ?").bind(run.execution_id).first<{ state: string }>(),
      (row) => row?.state === "PAUSED",
    );
    await json(await call(`/workflows/${name}?force=true`, { method: "DELETE" }), 200);
    expect((await upload(pausingModule(name, "Hi")))[0]?.version).toBe(2);
  });
});

describe("failed-authentication throttle after its window is cleared", () => {
  it("a bad token after the throttle's cleanup alarm is still a 401, not a 500", async () => {
    const { runDurableObjectAlarm } = await import("cloudflare:test");
    const ip = `203.0.113.${Math.floor(Math.random() * 250)}-${uid()}`;
    const bad = () => call("/workflows", { token: "wrong-token", headers: { "CF-Connecting-IP": ip } });
    expect((await bad()).status).toBe(401);
    const stub = env.AUTH_THROTTLE!.get(env.AUTH_THROTTLE!.idFromName(ip));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await errorOf(await bad(), 401)).code).toBe("unauthorized");
  });
});

describe("deleting a workflow that schedules or webhooks still start", () => {
  it("409 workflow_in_use naming them (nothing deleted) unless force=true", async () => {
    const name = `sched-${uid()}`;
    await upload(pausingModule(name, "Hello"));
    const schedule = await json<{ id: string; name: string }>(
      await post("/schedules", { name: `s-${name}`, workflow: name, schedule: { type: "interval", every_seconds: 3600 } }),
      201,
    );
    await json(await post("/admin/webhooks", { name: `h-${name}`, workflow: name }), 201);

    const refused = await errorOf(await call(`/workflows/${name}`, { method: "DELETE" }), 409);
    expect(refused.code).toBe("workflow_in_use");
    expect(refused.details).toEqual({ schedules: [schedule.name], webhooks: [`h-${name}`] });
    await json(await call(`/workflows/${name}`), 200);

    // One version may still go (the schedule keeps the others); force deletes everything.
    await json(await call(`/workflows/${name}?force=true`, { method: "DELETE" }), 200);
    expect((await call(`/workflows/${name}`)).status).toBe(404);
  });
});

describe("trigger namespaces and webhook re-saves", () => {
  it("an Idempotency-Key in the webhook:/schedule: namespaces is refused (400), nothing starts", async () => {
    for (const key of ["webhook:deploys:42", "schedule:abc:1700000000000"]) {
      const response = await call("/workflows/hello_world/run/async", {
        method: "POST",
        body: JSON.stringify("x"),
        headers: { "content-type": "application/json", "Idempotency-Key": key },
      });
      expect(response.status, key).toBe(400);
    }
  });

  it("re-saving a webhook without `secret` keeps its signature check; `secret: null` removes it", async () => {
    const name = `resave-${crypto.randomUUID().slice(0, 8)}`;
    const save = (body: Record<string, unknown>) =>
      call("/admin/webhooks", {
        method: "POST",
        body: JSON.stringify({ name, workflow: "hello_world", ...body }),
        headers: { "content-type": "application/json" },
      });
    expect((await save({ secret: "a-very-long-signing-secret" })).status).toBe(201);
    const resaved = (await (await save({ tolerance_s: 60 })).json()) as { has_secret: boolean };
    expect(resaved.has_secret).toBe(true);
    const unsigned = await call(`/webhooks/${name}`, {
      method: "POST",
      body: JSON.stringify("hi"),
      headers: { "content-type": "application/json" },
      token: null,
    });
    expect(unsigned.status).toBe(401);
    const cleared = (await (await save({ secret: null })).json()) as { has_secret: boolean };
    expect(cleared.has_secret).toBe(false);
  });
});
