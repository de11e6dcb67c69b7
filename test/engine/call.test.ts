// call(): child executions inline (the Durable Object version is tested in test/durable-objects).
import { describe, expect, it } from "vitest";
import { call, childExecutionId, ExecutionError, task, workflow } from "flux";

const double = task("double_it", (x: number) => x * 2);
const child = workflow("call_child", async (ctx) => await double(ctx.input as number));
const failing = workflow("call_child_fails", async () => {
  throw new RangeError("child broke");
});
const parent = workflow("call_parent", async (ctx) => {
  const sync = await call<number>(child, ctx.input);
  const byName = await call<number>("call_child", sync);
  const asyncId = await call<string>(child, 1, { mode: "async" });
  return { sync, byName, asyncId };
});

describe("call()", () => {
  it("runs children sync (by object and by name) and async, recording call_workflow_{name} tasks", async () => {
    const ctx = await parent.run(5);
    expect(ctx.state).toBe("COMPLETED");
    const output = ctx.output as { sync: number; byName: number; asyncId: string };
    expect(output.sync).toBe(10);
    expect(output.byName).toBe(20);
    expect(output.asyncId).toMatch(/^[0-9a-f]{32}$/);
    const callTasks = ctx.events.filter((e) => e.type === "TASK_STARTED" && e.name.startsWith("call_workflow_"));
    expect(callTasks.map((e) => e.name)).toEqual(["call_workflow_call_child", "call_workflow_call_child", "call_workflow_call_child"]);
    // The child id is derived from the parent's id and the call's task id (stable across replays).
    expect(output.asyncId).toBe(childExecutionId(ctx.executionId, callTasks[2]?.source_id as string));
  });

  it("a failing child surfaces as ExecutionError carrying the child's error", async () => {
    const wf = workflow("call_parent_failure", async () => {
      try {
        await call(failing, null);
        return "no error";
      } catch (error) {
        return error instanceof ExecutionError ? `${error.name}: ${error.inner?.name}: ${error.inner?.message}` : "other";
      }
    });
    expect((await wf.run()).output).toBe("ExecutionError: RangeError: child broke");
  });

  it("rejects bad arguments early", () => {
    expect(() => call("")).toThrow(/needs a workflow/);
    expect(() => call("x", 1, { mode: "later" as never })).toThrow(/mode/);
  });
});
