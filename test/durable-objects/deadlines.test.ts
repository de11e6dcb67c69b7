// Alarms for pause wakes (`after`) and workflow deadlines (`timeout`), live and after eviction.
import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ageLog, detailed, fastForward, start, timerRows, unwrap, until } from "./helpers.ts";

describe("pause wakes", () => {
  it("pause(after) wakes by alarm with input null; a human answer before it cancels the wake", async () => {
    const { stub, view } = await start("approval_with_reminder", null, { wait: true });
    expect(view.state).toBe("PAUSED");
    const rows = await timerRows(stub);
    const wake = rows.find((row) => row.kind === "wake");
    expect(wake?.at).toBeGreaterThan(Date.now() + 3_500_000);
    expect(await fastForward(stub, "wake")).toBe(true);
    const done = await until(() => detailed(stub), (v) => v.state === "COMPLETED");
    expect(done.output).toBe("no answer: escalated");
    expect(done.events?.map((e) => e.type)).toContain("TASK_RESUMED");

    const answered = await start("approval_with_reminder", null, { wait: true });
    expect(unwrap(await answered.stub.resume({ approved: true }, { wait: true })).output).toBe("approved");
    expect((await timerRows(answered.stub)).filter((row) => row.kind === "wake")).toEqual([]);
  });

  it("a cold (evicted) paused execution is woken by its alarm", async () => {
    const { stub } = await start("approval_with_reminder", null, { wait: true });
    await evictDurableObject(stub);
    await ageLog(stub, 2 * 3600_000);
    await fastForward(stub, "wake");
    const done = await until(() => detailed(stub), (v) => v.state === "COMPLETED");
    expect(done.output).toBe("no answer: escalated");
  });
});

describe("workflow deadlines", () => {
  it("a paused execution past its deadline FAILS with ExecutionTimeoutError", async () => {
    const { stub, view, executionId } = await start("bounded_approval", null, { wait: true });
    expect(view.state).toBe("PAUSED");
    expect((await timerRows(stub)).some((row) => row.kind === "deadline")).toBe(true);
    await fastForward(stub, "deadline");
    const failed = await until(() => detailed(stub), (v) => v.state === "FAILED");
    expect(failed.output).toMatchObject({
      type: "ExecutionTimeoutError",
      message: `Workflow bounded_approval (${executionId}) timed out (7200s).`,
    });
    expect(await stub.resume("too late")).toMatchObject({ ok: false, error: { code: "finished" } });
    expect(await timerRows(stub)).toEqual([]);
  });

  it("a running (sleeping) execution past its deadline FAILS, its sleeping task cancelled", async () => {
    const { stub } = await start("bounded_approval", "sleep");
    await until(() => timerRows(stub), (rows) => rows.some((row) => row.id.startsWith("workflow-timeout:")));
    await fastForward(stub, "workflow-timeout:");
    const failed = await until(() => detailed(stub), (v) => v.state === "FAILED");
    expect(failed.output).toMatchObject({ type: "ExecutionTimeoutError" });
    expect(failed.events?.filter((e) => e.name === "sleep").map((e) => e.type)).toEqual(["TASK_STARTED", "TASK_CANCELLED"]);
  });
});
