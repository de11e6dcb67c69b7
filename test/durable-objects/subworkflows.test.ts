// call(): children run in their own Durable Objects; a sync parent waits without polling and is woken by
// its child; child failure, child pause, cancel cascade, and a cold (evicted) parent.
import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { detailed, start, stubFor, unwrap, until } from "./helpers.ts";

const childOf = async (stub: ReturnType<typeof stubFor>) =>
  until(() => detailed(stub), (v) => (v.children ?? []).length > 0).then((v) => v.children?.[0]?.execution_id as string);

describe("call() across Durable Objects", () => {
  it("sync: the parent gets the child's output; both link to each other", async () => {
    const { stub, view, executionId } = await start("parent_calls_child", { value: 21 }, { wait: true, detailed: true });
    expect(view.state).toBe("COMPLETED");
    expect(view.output).toBe(42);
    expect(view.children?.[0]?.workflow_name).toBe("child_double");
    const child = unwrap(await stubFor(view.children?.[0]?.execution_id as string).status());
    expect(child.parent_execution_id).toBe(executionId);
    expect(child.output).toBe(42);
    void stub;
  });

  it("async: the parent gets the child's execution id and the child runs on its own", async () => {
    const { view } = await start("parent_calls_child", { value: 5, mode: "async" }, { wait: true });
    expect(view.output).toMatch(/^[0-9a-f]{32}$/);
    const child = await until(() => detailed(stubFor(view.output as string)), (v) => v.state === "COMPLETED");
    expect(child.output).toBe(10);
  });

  it("a failing child fails the parent's call with ExecutionError carrying the child's error", async () => {
    const { view } = await start("parent_calls_child", { child: "child_fail" }, { wait: true });
    expect(view.state).toBe("FAILED");
    expect(view.output).toMatchObject({ type: "ExecutionError", inner: { type: "RangeError", message: "child failed on purpose" } });
  });

  it("an unknown child workflow fails the call clearly", async () => {
    const { view } = await start("parent_calls_child", { child: "no_such_child" }, { wait: true });
    expect(view.state).toBe("FAILED");
    expect(JSON.stringify(view.output)).toContain("no_such_child");
  });

  it("while the child is PAUSED the parent keeps waiting; resuming the child completes the parent", async () => {
    const { stub } = await start("parent_calls_child", { child: "child_pause" });
    const childId = await childOf(stub);
    await until(() => detailed(stubFor(childId)), (v) => v.state === "PAUSED");
    expect((await detailed(stub)).state).toBe("RUNNING");
    unwrap(await stubFor(childId).resume("approved by a person", { wait: true }));
    const parent = await until(() => detailed(stub), (v) => v.state === "COMPLETED");
    expect(parent.output).toBe("approved by a person");
  });

  it("a cold (evicted) parent is woken by its child's notification and completes by replay", async () => {
    const { stub } = await start("parent_calls_child", { child: "child_pause" });
    const childId = await childOf(stub);
    await until(() => detailed(stubFor(childId)), (v) => v.state === "PAUSED");
    await evictDurableObject(stub);
    unwrap(await stubFor(childId).resume({ late: true }, { wait: true }));
    const parent = await until(() => detailed(stub), (v) => v.state === "COMPLETED");
    expect(parent.output).toEqual({ late: true });
    expect(parent.events?.filter((e) => e.type === "WORKFLOW_STARTED")).toHaveLength(1);
  });

  it("cancelling a parent cancels its running sync child", async () => {
    const { stub } = await start("parent_calls_child", { child: "child_sleep" });
    const childId = await childOf(stub);
    await until(() => detailed(stubFor(childId)), (v) => v.state === "RUNNING");
    expect(unwrap(await stub.cancel({ wait: true })).state).toBe("CANCELLED");
    const child = await until(() => detailed(stubFor(childId)), (v) => v.state === "CANCELLED");
    expect(child.state).toBe("CANCELLED");
  });
});
