// Schedules in workerd: REST CRUD and validation, and firing driven by the test through the SchedulerDO's alarm
// (`runDurableObjectAlarm`), with the due time moved into the past inside the object (`runInDurableObject`)
// instead of waiting for the clock. Schedules here use long intervals so no alarm fires on its own.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { workflow } from "flux";
import { ensureAutoSchedules } from "../../src/triggers/schedules";
import type { WorkflowDefinition } from "../../src/engine/index";
import { call, errorOf, json, post, statusOf, until } from "./helpers";

interface Schedule {
  id: string;
  name: string;
  workflow: string;
  status: string;
  overlap: string;
  source: string;
  schedule: Record<string, unknown>;
  input: unknown;
  next_run_at: string | null;
  last_run_at: string | null;
  last_execution_id: string | null;
  run_count: number;
  skip_count: number;
  failure_count: number;
  last_skipped_at: string | null;
}
interface History {
  schedule_id: string;
  workflow: string;
  total: number;
  entries: {
    scheduled_at: string;
    outcome: string;
    execution_id: string | null;
    state: string | null;
    message: string | null;
  }[];
}

const HOUR = { type: "interval", every_seconds: 3600 };
let seq = 0;

async function create(body: Record<string, unknown>): Promise<Schedule> {
  return json<Schedule>(
    await post("/schedules", { name: `s${++seq}`, workflow: "hello_world", schedule: HOUR, ...body }),
    201,
  );
}
const get = async (id: string): Promise<Schedule> => json<Schedule>(await call(`/schedules/${id}`), 200);
const historyOf = async (id: string): Promise<History> =>
  json<History>(await call(`/schedules/${id}/history`), 200);
const stubOf = (id: string) => env.SCHEDULERS.get(env.SCHEDULERS.idFromName(id));

/** Rewrites the object's next fire time (as if the clock had moved on) and runs its alarm. */
async function fireAt(id: string, nextRunAt: number): Promise<void> {
  const stub = stubOf(id);
  await runInDurableObject(stub, async (_instance, state) => {
    const row = state.storage.sql.exec<{ data: string }>("SELECT data FROM schedule WHERE id = 1").one();
    const data = JSON.parse(row.data) as { next_run_at: number };
    data.next_run_at = nextRunAt;
    state.storage.sql.exec("UPDATE schedule SET data = ? WHERE id = 1", JSON.stringify(data));
    await state.storage.setAlarm(nextRunAt);
  });
  expect(await runDurableObjectAlarm(stub)).toBe(true);
}

describe("REST: create, validate, list, update, pause/resume, delete", () => {
  it("creates a cron schedule in a timezone with its next fire time", async () => {
    const s = await create({
      schedule: { type: "cron", expression: "0 9 * * *", timezone: "America/New_York" },
      input: "Cron",
    });
    expect(s).toMatchObject({
      workflow: "hello_world",
      status: "active",
      overlap: "skip",
      source: "api",
      run_count: 0,
      input: "Cron",
    });
    expect(s.id).toMatch(/^sch_[0-9a-f]{24}$/);
    const next = new Date(s.next_run_at ?? "");
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect([13, 14]).toContain(next.getUTCHours()); // 09:00 in New York (EDT or EST)
    expect(await get(s.id)).toEqual(s);
  });

  it("rejects invalid cron, unknown timezone, bad shapes (400), unknown workflow (404), a taken name (409)", async () => {
    const bad = (schedule: unknown, extra: Record<string, unknown> = {}) =>
      post("/schedules", { name: `bad${++seq}`, workflow: "hello_world", schedule, ...extra });
    expect(await errorOf(await bad({ type: "cron", expression: "every day" }), 400)).toMatchObject({
      code: "invalid_cron",
    });
    expect(
      await errorOf(await bad({ type: "cron", expression: "0 9 * * *", timezone: "Nowhere/City" }), 400),
    ).toMatchObject({
      code: "unknown_timezone",
    });
    expect((await bad({ type: "interval", every_seconds: 0 })).status).toBe(400);
    expect((await bad({ type: "weekly" })).status).toBe(400);
    expect((await bad(HOUR, { overlap: "queue" })).status).toBe(400);
    expect((await bad({ type: "once", at: "2001-01-01T00:00:00Z" })).status).toBe(400);
    expect(await errorOf(await bad(HOUR, { workflow: "no_such_workflow" }), 404)).toMatchObject({
      code: "workflow_not_found",
    });
    expect(
      await errorOf(await bad(HOUR, { workflow: "greet_typed", input: { name: 3 } }), 400),
    ).toMatchObject({
      code: "invalid_input",
    });
    const s = await create({});
    expect(
      await errorOf(await post("/schedules", { name: s.name, workflow: "hello_world", schedule: HOUR }), 409),
    ).toMatchObject({
      code: "schedule_name_taken",
    });
    expect((await call("/schedules/not-a-schedule")).status).toBe(404);
  });

  it("lists from the index, filtered by workflow", async () => {
    const s = await create({ workflow: "simple_pipeline", input: 2 });
    const listed = await json<Schedule[]>(await call("/schedules?workflow=simple_pipeline"), 200);
    expect(listed.map((x) => x.id)).toContain(s.id);
    expect(listed.every((x) => x.workflow === "simple_pipeline")).toBe(true);
  });

  it("update redefines the schedule and recomputes the next fire", async () => {
    const s = await create({});
    const updated = await json<Schedule>(
      await call(`/schedules/${s.id}`, {
        method: "PUT",
        body: JSON.stringify({
          schedule: { type: "cron", expression: "*/5 * * * *", timezone: "UTC" },
          overlap: "allow",
          input: "New",
        }),
        headers: { "Content-Type": "application/json" },
      }),
      200,
    );
    expect(updated).toMatchObject({
      overlap: "allow",
      input: "New",
      schedule: { type: "cron", expression: "*/5 * * * *" },
    });
    expect(new Date(updated.next_run_at ?? "").getUTCMinutes() % 5).toBe(0);
    const listed = await json<Schedule[]>(await call("/schedules?workflow=hello_world&limit=200"), 200);
    expect(listed.find((x) => x.id === s.id)?.overlap).toBe("allow");
    const bad = await call(`/schedules/${s.id}`, {
      method: "PUT",
      body: JSON.stringify({ schedule: { type: "cron", expression: "nope" } }),
      headers: { "Content-Type": "application/json" },
    });
    expect(bad.status).toBe(400);
  });

  it("pause clears the alarm; resume re-arms it; delete removes it", async () => {
    const s = await create({});
    const paused = await json<Schedule>(await post(`/schedules/${s.id}/pause`), 200);
    expect(paused).toMatchObject({ status: "paused", next_run_at: null });
    expect(await runInDurableObject(stubOf(s.id), (_i, state) => state.storage.getAlarm())).toBeNull();
    const resumed = await json<Schedule>(await post(`/schedules/${s.id}/resume`), 200);
    expect(resumed.status).toBe("active");
    expect(await runInDurableObject(stubOf(s.id), (_i, state) => state.storage.getAlarm())).toBe(
      Date.parse(resumed.next_run_at ?? ""),
    );
    expect((await call(`/schedules/${s.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await call(`/schedules/${s.id}`)).status).toBe(404);
    expect((await call(`/schedules/${s.id}/history`)).status).toBe(404);
    const listed = await json<Schedule[]>(await call("/schedules?limit=200"), 200);
    expect(listed.map((x) => x.id)).not.toContain(s.id);
  });

  it("no token is 401 (the policy table guards /schedules)", async () => {
    expect((await call("/schedules", { token: null })).status).toBe(401);
  });
});

describe("firing from the alarm", () => {
  it("a due alarm starts a run with the schedule's input, records history and re-arms at the next slot", async () => {
    const s = await create({ input: "Alarm" });
    const slot = Date.now() - 1_000;
    await fireAt(s.id, slot);
    const after = await get(s.id);
    expect(after).toMatchObject({ run_count: 1, skip_count: 0, failure_count: 0 });
    expect(after.last_execution_id).toMatch(/^[0-9a-f]{32}$/);
    expect(Date.parse(after.next_run_at ?? "")).toBeGreaterThan(Date.now());
    const done = await until(
      () => statusOf("hello_world", after.last_execution_id ?? ""),
      (v) => v.state === "COMPLETED",
    );
    expect(done.output).toBe("Hello, Alarm");
    const history = await historyOf(s.id);
    expect(history.total).toBe(1);
    expect(history.entries[0]).toMatchObject({
      scheduled_at: new Date(slot).toISOString(),
      outcome: "started",
      execution_id: after.last_execution_id,
    });
    expect(await runInDurableObject(stubOf(s.id), (_i, state) => state.storage.getAlarm())).toBe(
      Date.parse(after.next_run_at ?? ""),
    );
  });

  it("an alarm before the due time fires nothing and re-arms", async () => {
    const s = await create({});
    expect(await runDurableObjectAlarm(stubOf(s.id))).toBe(true);
    expect((await get(s.id)).run_count).toBe(0);
    expect((await historyOf(s.id)).total).toBe(0);
  });

  it("catch-up after downtime: many missed slots fire once, then the next future slot", async () => {
    const s = await create({ schedule: { type: "interval", every_seconds: 60 }, overlap: "allow" });
    await fireAt(s.id, Date.now() - 30 * 60_000); // 30 slots missed
    const after = await get(s.id);
    expect(after.run_count).toBe(1);
    expect((await historyOf(s.id)).total).toBe(1);
    const next = Date.parse(after.next_run_at ?? "");
    expect(next).toBeGreaterThan(Date.now());
    expect(next).toBeLessThanOrEqual(Date.now() + 60_000);
    // The re-armed alarm is not due yet: running it again fires nothing.
    expect(await runDurableObjectAlarm(stubOf(s.id))).toBe(true);
    expect((await get(s.id)).run_count).toBe(1);
  });

  it("overlap skip: no new run while the previous one is not terminal; the skip is recorded", async () => {
    const s = await create({ workflow: "pause_with_input_workflow", overlap: "skip" });
    await fireAt(s.id, Date.now() - 2_000);
    const first = await get(s.id);
    await until(
      () => statusOf("pause_with_input_workflow", first.last_execution_id ?? ""),
      (v) => v.state === "PAUSED",
    );
    await fireAt(s.id, Date.now() - 1_000);
    const second = await get(s.id);
    expect(second).toMatchObject({ run_count: 1, skip_count: 1, last_execution_id: first.last_execution_id });
    expect(second.last_skipped_at).not.toBeNull();
    const history = await historyOf(s.id);
    expect(history.entries.map((e) => e.outcome)).toEqual(["skipped", "started"]);
    expect(history.entries[0]?.message).toContain(first.last_execution_id);
    expect(history.entries[1]?.state).toBe("PAUSED");

    // Once the previous run is terminal the next slot starts again.
    await post(`/executions/${first.last_execution_id}/cancel?mode=sync`);
    await fireAt(s.id, Date.now() - 500);
    expect(await get(s.id)).toMatchObject({ run_count: 2, skip_count: 1 });
  });

  it("overlap allow starts a run even while the previous one is paused", async () => {
    const s = await create({ workflow: "pause_with_input_workflow", overlap: "allow" });
    await fireAt(s.id, Date.now() - 2_000);
    const first = await get(s.id);
    await until(
      () => statusOf("pause_with_input_workflow", first.last_execution_id ?? ""),
      (v) => v.state === "PAUSED",
    );
    await fireAt(s.id, Date.now() - 1_000);
    const second = await get(s.id);
    expect(second.run_count).toBe(2);
    expect(second.last_execution_id).not.toBe(first.last_execution_id);
  });

  it("the execution id is derived from (schedule, slot): a retried alarm for the same slot starts nothing new", async () => {
    const s = await create({ overlap: "allow" });
    const slot = Date.now() - 5_000;
    await fireAt(s.id, slot);
    const first = await get(s.id);
    await fireAt(s.id, slot); // as if the alarm ran again for the same slot
    const again = await get(s.id);
    expect(again.last_execution_id).toBe(first.last_execution_id);
    expect(again.run_count).toBe(1);
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM executions WHERE id = ?")
      .bind(first.last_execution_id)
      .first<{ n: number }>();
    expect(rows?.n).toBe(1);
    expect((await historyOf(s.id)).total).toBe(1);
  });

  it("a run that cannot start is recorded as failed and the schedule keeps going", async () => {
    const s = await create({ workflow: "greet_typed", input: { name: "Ok" } });
    // Corrupt the stored input as if the workflow's schema had changed since.
    await runInDurableObject(stubOf(s.id), (_i, state) => {
      const row = state.storage.sql.exec<{ data: string }>("SELECT data FROM schedule WHERE id = 1").one();
      const data = JSON.parse(row.data) as { input: unknown };
      data.input = { name: 42 };
      state.storage.sql.exec("UPDATE schedule SET data = ? WHERE id = 1", JSON.stringify(data));
    });
    await fireAt(s.id, Date.now() - 1_000);
    const after = await get(s.id);
    expect(after).toMatchObject({ run_count: 0, failure_count: 1, status: "active" });
    expect(Date.parse(after.next_run_at ?? "")).toBeGreaterThan(Date.now());
    expect((await historyOf(s.id)).entries[0]).toMatchObject({ outcome: "failed", execution_id: null });
  });

  it("a once schedule fires once and completes", async () => {
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const s = await create({ schedule: { type: "once", at } });
    await fireAt(s.id, Date.parse(at) - 3_600_000 - 1_000);
    const after = await get(s.id);
    expect(after).toMatchObject({ status: "completed", next_run_at: null, run_count: 1 });
    expect(await runInDurableObject(stubOf(s.id), (_i, state) => state.storage.getAlarm())).toBeNull();
    expect((await post(`/schedules/${s.id}/resume`)).status).toBe(409);
  });
});

describe("workflow.withOptions({ schedule })", () => {
  it("registers <name>_auto once, and redefines it when the declaration changes", async () => {
    const declared = (expression: string) =>
      workflow.withOptions(
        {
          name: "hello_world",
          schedule: { type: "cron", expression, timezone: "Europe/Paris", input: "Auto" },
        },
        async () => null,
      ) as unknown as WorkflowDefinition;
    await ensureAutoSchedules(env, [declared("0 6 * * *")]);
    await ensureAutoSchedules(env, [declared("0 6 * * *")]);
    const listed = (
      await json<Schedule[]>(await call("/schedules?workflow=hello_world&limit=200"), 200)
    ).filter((x) => x.name === "hello_world_auto");
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      source: "workflow",
      input: "Auto",
      overlap: "skip",
      schedule: { expression: "0 6 * * *" },
    });
    await ensureAutoSchedules(env, [declared("0 7 * * *")]);
    expect((await get(listed[0]?.id ?? "")).schedule).toMatchObject({ expression: "0 7 * * *" });
  });

  it("an invalid declaration is logged, not thrown", async () => {
    const bad = workflow.withOptions(
      { name: "simple_pipeline", schedule: { type: "cron", expression: "nope" } },
      async () => null,
    );
    await expect(ensureAutoSchedules(env, [bad as unknown as WorkflowDefinition])).resolves.toBeUndefined();
  });
});
