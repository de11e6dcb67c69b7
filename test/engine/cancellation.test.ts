// Cancellation and lifecycle edges (SPEC §3.3, §3.4): cancel from any non-terminal state, running tasks see
// their signal abort and record TASK_CANCELLED (+ rollback, never fallback), terminal states are final,
// resume only from PAUSED, workflow-level timeouts.
import { beforeEach, describe, expect, it } from "vitest";
import {
  CancelledError,
  clearInlineExecutions,
  ExecutionNotFoundError,
  ExecutionTimeoutError,
  InvalidStateError,
  parallel,
  pause,
  sleep,
  task,
  taskContext,
  workflow,
  WorkflowRun,
  type HostPorts,
} from "flux";
import { types, until, VirtualTime } from "./helpers.ts";

beforeEach(() => clearInlineExecutions());

const slowTask = (vt: VirtualTime, name: string, ms = 60_000, options: object = {}) =>
  task.withOptions({ name, ...options }, async (x: number) => {
    await vt.delay(ms, taskContext().signal);
    return x;
  });

const waitingOn = (vt: VirtualTime, count = 1) =>
  until(() => vt.waits.filter((w) => w.key === "test-delay").length >= count);

describe("cancelling a running execution", () => {
  it("every running task in a parallel records TASK_CANCELLED, and parallel itself too", async () => {
    const vt = new VirtualTime();
    const a = slowTask(vt, "a");
    const b = slowTask(vt, "b");
    const done = task("done", () => "d");
    const wf = workflow("cancel_parallel", async () => await parallel(a(1), b(2), done()));
    const running = wf.run(null, { ports: vt.ports(), executionId: "cp-1" });
    await waitingOn(vt, 2);
    const ctx = await wf.cancel("cp-1");
    await running;
    expect(ctx.state).toBe("CANCELLED");
    const cancelled = ctx.events.filter((e) => e.type === "TASK_CANCELLED").map((e) => e.name);
    expect(cancelled.sort()).toEqual(["a", "b", "parallel"]);
    expect(ctx.events.find((e) => e.name === "done" && e.type === "TASK_COMPLETED")).toBeDefined();
    expect(types(ctx).at(-1)).toBe("WORKFLOW_CANCELLED");
  });

  it("a sleeping execution is cancelled at once", async () => {
    const vt = new VirtualTime();
    const wf = workflow("cancel_sleep", async () => {
      await sleep("1h");
      return "woke";
    });
    const running = wf.run(null, { ports: vt.ports(), executionId: "cs-1" });
    await until(() => vt.waits.some((w) => w.reason === "sleep"));
    const ctx = await wf.cancel("cs-1");
    await running;
    expect(ctx.state).toBe("CANCELLED");
    expect(ctx.events.filter((e) => e.type.startsWith("TASK_")).map((e) => e.type)).toEqual([
      "TASK_STARTED",
      "TASK_CANCELLED",
    ]);
    expect(vt.now).toBe(Date.parse("2026-01-01T00:00:00Z"));
  });

  it("a rollback that hangs during cancellation is cut off after 10 s and recorded as failed", async () => {
    const vt = new VirtualTime();
    const t = task.withOptions({ name: "hangs", rollback: () => vt.delay(3_600_000) }, async () => {
      await vt.delay(60_000, taskContext().signal);
    });
    const wf = workflow("cancel_hang", async () => await t());
    const running = wf.run(null, { ports: vt.ports(), executionId: "ch-1" });
    await waitingOn(vt);
    const start = vt.now;
    const ctx = await wf.cancel("ch-1");
    await running;
    expect(types(ctx).slice(-4)).toEqual([
      "TASK_CANCELLED",
      "TASK_ROLLBACK_STARTED",
      "TASK_ROLLBACK_FAILED",
      "WORKFLOW_CANCELLED",
    ]);
    expect((ctx.events.at(-2)?.value as { message: string }).message).toMatch(
      /did not finish within 10s during cancellation/,
    );
    expect(vt.now - start).toBeLessThanOrEqual(12_000);
  });

  it("a body that swallows the cancellation cannot start new tasks", async () => {
    const vt = new VirtualTime();
    const t = slowTask(vt, "first");
    const after = task("after", () => "should not run");
    let caught: unknown;
    const wf = workflow("swallow", async () => {
      try {
        await t(1);
      } catch (error) {
        caught = error;
      }
      return await after();
    });
    const running = wf.run(null, { ports: vt.ports(), executionId: "sw-1" });
    await waitingOn(vt);
    const ctx = await wf.cancel("sw-1");
    await running;
    await until(() => caught !== undefined);
    expect(caught).toBeInstanceOf(CancelledError);
    expect(ctx.state).toBe("CANCELLED");
    await new Promise((resolve) => setImmediate(resolve));
    expect(ctx.events.some((e) => e.name === "after")).toBe(false);
  });
});

describe("cancelling idle and finished executions", () => {
  it("a paused execution is cancelled at once; it cannot be resumed afterwards", async () => {
    const wf = workflow("cancel_paused", async () => await pause("gate"));
    const paused = await wf.run();
    const ctx = await wf.cancel(paused.executionId);
    expect(types(ctx).slice(-2)).toEqual(["WORKFLOW_CANCELLING", "WORKFLOW_CANCELLED"]);
    expect(ctx.isCancelled).toBe(true);
    await expect(wf.resume(paused.executionId, 1)).rejects.toThrow(InvalidStateError);
    await expect(wf.resume(paused.executionId, 1)).rejects.toThrow(/has finished \(CANCELLED\)/);
  });

  it("terminal states are final: cancel after completion changes nothing", async () => {
    const wf = workflow("finished", async () => "ok");
    const ctx = await wf.run();
    const count = ctx.events.length;
    await wf.cancel(ctx.executionId);
    expect(ctx.state).toBe("COMPLETED");
    expect(ctx.events).toHaveLength(count);
  });

  it("resume only from PAUSED; unknown executions are reported", async () => {
    const wf = workflow("not_paused", async () => "ok");
    const ctx = await wf.run();
    await expect(wf.resume(ctx.executionId)).rejects.toThrow(/has finished \(COMPLETED\)/);
    await expect(wf.resume("nope")).rejects.toThrow(ExecutionNotFoundError);
    await expect(wf.cancel("nope")).rejects.toThrow(ExecutionNotFoundError);
    const other = workflow("other_wf", async () => 1);
    await expect(other.resume(ctx.executionId)).rejects.toThrow(ExecutionNotFoundError);
  });

  it("resuming a running execution is refused", async () => {
    const vt = new VirtualTime();
    const t = slowTask(vt, "busy");
    const wf = workflow("busy_wf", async () => await t(1));
    const running = wf.run(null, { ports: vt.ports(), executionId: "busy-1" });
    await waitingOn(vt);
    await expect(wf.resume("busy-1")).rejects.toThrow(/is RUNNING, not PAUSED/);
    await wf.cancel("busy-1");
    await running;
  });

  it("a cold run (stored log, nothing executing) is cancelled at once; CANCELLING finishes on execute()", async () => {
    const wf = workflow("cold", async () => 1);
    const ports = new VirtualTime().ports() as HostPorts;
    const started = [
      {
        id: 1,
        type: "WORKFLOW_STARTED" as const,
        source_id: "cold_x",
        name: "cold",
        value: null,
        time: new Date(0).toISOString(),
      },
    ];
    const run = new WorkflowRun({ executionId: "x", workflow: wf, ports, events: started });
    expect(run.state).toBe("RUNNING");
    run.cancel();
    expect(run.events.map((e) => e.type)).toEqual([
      "WORKFLOW_STARTED",
      "WORKFLOW_CANCELLING",
      "WORKFLOW_CANCELLED",
    ]);
    run.cancel();
    expect(run.events).toHaveLength(3);
    const cancelling = new WorkflowRun({
      executionId: "x",
      workflow: wf,
      ports,
      events: run.events.slice(0, 2),
    });
    expect(cancelling.state).toBe("CANCELLING");
    const ctx = await cancelling.execute();
    expect(ctx.isCancelled).toBe(true);
    expect(ctx.events.map((e) => e.type).at(-1)).toBe("WORKFLOW_CANCELLED");
  });
});

describe("workflow-level timeout", () => {
  it("fails the execution with ExecutionTimeoutError; the running task is cancelled", async () => {
    const vt = new VirtualTime();
    const t = slowTask(vt, "too_slow", 60_000, { fallback: () => "never" });
    const wf = workflow.withOptions({ name: "wf_timeout", timeout: "30s" }, async () => await t(1));
    const ctx = await wf.run(null, { ports: vt.ports(), executionId: "wt-1" });
    expect(ctx.state).toBe("FAILED");
    expect(ctx.output).toBeInstanceOf(ExecutionTimeoutError);
    expect((ctx.output as unknown as Error).message).toBe("Workflow wf_timeout (wt-1) timed out (30s).");
    expect(types(ctx)).toEqual(["WORKFLOW_STARTED", "TASK_STARTED", "TASK_CANCELLED", "WORKFLOW_FAILED"]);
    expect(vt.now - Date.parse("2026-01-01T00:00:00Z")).toBe(30_000);
  });

  it("a workflow that finishes in time is unaffected", async () => {
    const vt = new VirtualTime();
    const t = slowTask(vt, "fast_enough", 1000);
    const wf = workflow.withOptions({ name: "wf_in_time", timeout: 30 }, async () => await t(1));
    expect((await wf.run(null, { ports: vt.ports() })).output).toBe(1);
  });
});

describe("ExecutionContext", () => {
  it("flags and summary follow the log", async () => {
    const wf = workflow("flags", async (ctx) => {
      expect(ctx.hasStarted).toBe(true);
      expect(ctx.hasFinished).toBe(false);
      expect(["RUNNING", "RESUMING"]).toContain(ctx.state);
      return await pause("p", { output: { waiting: true } });
    });
    const ctx = await wf.run({ in: 1 });
    expect(ctx.workflowName).toBe("flags");
    expect(ctx.workflowId).toBe("default/flags");
    expect(ctx.input).toEqual({ in: 1 });
    expect([
      ctx.isPaused,
      ctx.hasFinished,
      ctx.hasSucceeded,
      ctx.hasFailed,
      ctx.isCancelled,
      ctx.isCancelling,
    ]).toEqual([true, false, false, false, false, false]);
    const summary = ctx.summary();
    expect(summary).toMatchObject({
      workflow_id: "default/flags",
      workflow_name: "flags",
      execution_id: ctx.executionId,
      input: { in: 1 },
      output: { waiting: true },
      state: "PAUSED",
    });
    expect(summary.created_at).toBe(ctx.events[0]?.time);
    const done = await wf.resume(ctx.executionId, "go");
    expect(done.summary()).toMatchObject({ output: "go", state: "COMPLETED" });
    expect(done.hasSucceeded).toBe(true);
  });
});
