// ExecutionDO inside workerd: persistence, idempotency, alarms for sleep/retry/timeout/wake, eviction + cold
// replay, cancel, terminal-state protection.
import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ageLog, detailed, fastForward, start, storedEvents, timerRows, types, unwrap, until } from "./helpers.ts";

describe("ExecutionDO: runs and persists", () => {
  it("runs hello_world to completion and persists every event in SQLite", async () => {
    const { stub, view } = await start("hello_world", "Joe", { wait: true, detailed: true });
    expect(view.state).toBe("COMPLETED");
    expect(view.output).toBe("Hello, Joe");
    expect(types(view.events)).toEqual(["WORKFLOW_STARTED", "TASK_STARTED", "TASK_COMPLETED", "WORKFLOW_COMPLETED"]);
    const rows = await storedEvents(stub);
    expect(rows.map((r) => r.type)).toEqual(types(view.events));
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
  });

  it("is idempotent: starting the same execution again returns it unchanged", async () => {
    const first = await start("simple_pipeline", 5, { wait: true });
    expect(first.view.output).toBe(169);
    const again = unwrap(await first.stub.start({ executionId: first.executionId, workflowName: "simple_pipeline", workflowVersion: 1, input: 7, wait: true }));
    expect(again.created).toBe(false);
    expect(again.execution.output).toBe(169);
    expect((await storedEvents(first.stub)).length).toBe((await detailed(first.stub)).events?.length);
  });

  it("reports an unknown execution and an unknown workflow as errors, not crashes", async () => {
    const { stubFor } = await import("./helpers.ts");
    const missing = await stubFor("never-created").status();
    expect(missing).toEqual({ ok: false, error: { code: "not_found", message: "Execution not found" } });
    const { outcome } = await start("no_such_workflow", null, { executionId: "unknown-wf-exec" }).catch(() => ({ outcome: null }));
    expect(outcome).toBeNull();
    // Nothing is left behind: the id is free, not a stuck CREATED execution.
    expect(await stubFor("unknown-wf-exec").status()).toMatchObject({ ok: false, error: { code: "not_found" } });
  });

  it("a failing body is FAILED with the error record, unwrapped", async () => {
    const { view } = await start("hello_world", null, { wait: true });
    expect(view.state).toBe("FAILED");
    expect(view.output).toMatchObject({ type: "TypeError", message: "Input not provided" });
  });
});

describe("ExecutionDO: timers are rows behind one alarm", () => {
  it("sleep: a timer row and an alarm; the alarm wakes the live run", async () => {
    const { stub } = await start("sleep_workflow", { seconds: 3600 });
    const rows = await until(() => timerRows(stub), (r) => r.some((row) => row.id.startsWith("sleep:")));
    expect(rows.find((r) => r.id.startsWith("sleep:"))?.kind).toBe("wait");
    expect(await fastForward(stub, "sleep:")).toBe(true);
    const done = await until(() => detailed(stub), (v) => v.state === "COMPLETED");
    expect(done.output).toBe("woke");
    expect(await timerRows(stub)).toEqual([]);
  });

  it("sleep survives eviction: the alarm replays a cold object, which completes without re-running tasks", async () => {
    const { stub } = await start("sleep_workflow", { seconds: 3600 });
    await until(() => timerRows(stub), (r) => r.some((row) => row.id.startsWith("sleep:")));
    const before = await storedEvents(stub);
    await evictDurableObject(stub);
    await ageLog(stub, 2 * 3600_000);
    expect(await fastForward(stub, "sleep:")).toBe(true);
    const done = await until(() => detailed(stub), (v) => v.state === "COMPLETED");
    expect(done.output).toBe("woke");
    const events = done.events ?? [];
    // The replay appended only what came after the sleep: no second WORKFLOW_STARTED or TASK_STARTED(sleep).
    expect(events.slice(0, before.length).map((e) => e.type)).toEqual(before.map((r) => r.type));
    expect(types(events).filter((t) => t === "WORKFLOW_STARTED")).toHaveLength(1);
    expect(events.filter((e) => e.name === "sleep").map((e) => e.type)).toEqual(["TASK_STARTED", "TASK_COMPLETED"]);
  });

  it("retry backoff waits are rows: fast-forwarding them finishes the retries in order", async () => {
    const { stub } = await start("task_retries", null);
    for (let i = 0; i < 2; i++) {
      await until(() => timerRows(stub), (r) => r.some((row) => row.id.startsWith("retry:")));
      await fastForward(stub, "retry:");
    }
    const done = await until(() => detailed(stub), (v) => v.state === "COMPLETED");
    expect(done.events?.filter((e) => e.name === "bad_task").map((e) => e.type).slice(0, 8)).toEqual([
      "TASK_STARTED",
      "TASK_RETRY_FAILED",
      "TASK_RETRY_STARTED",
      "TASK_RETRY_FAILED",
      "TASK_RETRY_STARTED",
      "TASK_RETRY_COMPLETED",
      "TASK_COMPLETED",
      "TASK_STARTED",
    ]);
  });

  it("a task timeout fires from its row and fails the execution with ExecutionTimeoutError", async () => {
    const { stub } = await start("task_timeout", null);
    await until(() => timerRows(stub), (r) => r.some((row) => row.id.startsWith("timeout:")));
    await fastForward(stub, "timeout:");
    const done = await until(() => detailed(stub), (v) => v.state === "FAILED");
    expect(done.output).toMatchObject({ type: "ExecutionTimeoutError" });
    expect(String((done.output as { message: string }).message)).toMatch(/^Task long_task \(long_task_[0-9a-f]{16}\) timed out \(1s\)\.$/);
  });

  it("alarm() is idempotent: running it with nothing due changes nothing", async () => {
    const { stub } = await start("sleep_workflow", { seconds: 3600 });
    await until(() => timerRows(stub), (r) => r.some((row) => row.id.startsWith("sleep:")));
    const before = await storedEvents(stub);
    await runDurableObjectAlarm(stub);
    await runDurableObjectAlarm(stub);
    expect(await storedEvents(stub)).toEqual(before);
    expect((await detailed(stub)).state).toBe("RUNNING");
  });
});

describe("ExecutionDO: pause, resume, cancel", () => {
  it("pause → resume with input → completed; resume of a non-paused execution is refused", async () => {
    const { stub, view } = await start("pause_with_input_workflow", null, { wait: true });
    expect(view.state).toBe("PAUSED");
    expect(view.output).toEqual({ stage: "initial", data: [1, 2, 3] });
    const resumed = unwrap(await stub.resume({ multiplier: 5 }, { wait: true }));
    expect(resumed.state).toBe("COMPLETED");
    expect(resumed.output).toMatchObject({ result: 11, user_input: { multiplier: 5 } });
    expect(await stub.resume({})).toMatchObject({ ok: false, error: { code: "finished" } });
  });

  it("resume after eviction replays from the log (cold) and gives the same result", async () => {
    const { stub } = await start("pause_with_input_workflow", null, { wait: true });
    await evictDurableObject(stub);
    const resumed = unwrap(await stub.resume({ multiplier: 10 }, { wait: true, detailed: true }));
    expect(resumed.output).toMatchObject({ result: 16 });
    expect(resumed.events?.filter((e) => e.name === "initial_data").map((e) => e.type)).toEqual(["TASK_STARTED", "TASK_COMPLETED"]);
  });

  it("cancels a running execution: tasks record TASK_CANCELLED, state CANCELLED, and it stays final", async () => {
    const { stub } = await start("cancellable_workflow", { iterations: 1000 });
    await until(() => detailed(stub), (v) => (v.events ?? []).some((e) => e.type === "TASK_STARTED"));
    const cancelled = unwrap(await stub.cancel({ wait: true, detailed: true }));
    expect(cancelled.state).toBe("CANCELLED");
    // SPEC §3.4: WORKFLOW_CANCELLING first, then running tasks record TASK_CANCELLED, then WORKFLOW_CANCELLED.
    const order = types(cancelled.events);
    expect(order.indexOf("WORKFLOW_CANCELLING")).toBeLessThan(order.indexOf("TASK_CANCELLED"));
    expect(order.at(-1)).toBe("WORKFLOW_CANCELLED");
    expect(await stub.cancel()).toMatchObject({ ok: false, error: { code: "finished" } });
    expect(await stub.resume(1)).toMatchObject({ ok: false, error: { code: "finished" } });
  });

  it("cancels a sleeping execution at once and clears its timers", async () => {
    const { stub } = await start("sleep_workflow", { seconds: 3600 });
    await until(() => timerRows(stub), (r) => r.some((row) => row.id.startsWith("sleep:")));
    const cancelled = unwrap(await stub.cancel({ wait: true }));
    expect(cancelled.state).toBe("CANCELLED");
    expect(await timerRows(stub)).toEqual([]);
  });

  it("cancels a paused execution", async () => {
    const { stub } = await start("pause_with_input_workflow", null, { wait: true });
    const cancelled = unwrap(await stub.cancel({ wait: true, detailed: true }));
    expect(cancelled.state).toBe("CANCELLED");
  });
});
