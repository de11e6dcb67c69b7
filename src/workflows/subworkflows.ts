// Executions that start executions (Flux examples/subflows.py, without the network): call() a child
// workflow by name, sync (wait for its output) or async (get its execution id).
import { call, pause, sleep, task, workflow, type ExecutionContext } from "flux";

const double = task("double", (x: number) => x * 2);

export const childDouble = workflow("child_double", async (ctx: ExecutionContext<number>) => await double(ctx.input));

export const childPause = workflow("child_pause", async () => await pause("child_gate", { output: "waiting for a person" }));

export const childFail = workflow("child_fail", async () => {
  throw new RangeError("child failed on purpose");
});

export const childSleep = workflow("child_sleep", async () => {
  await sleep(3600);
  return "slept";
});

type ParentInput = { child?: string; value?: unknown; mode?: "sync" | "async" } | null;

export const parentCallsChild = workflow("parent_calls_child", async (ctx: ExecutionContext<ParentInput>) => {
  const input = ctx.input ?? {};
  return await call(input.child ?? "child_double", input.value ?? 21, { mode: input.mode ?? "sync" });
});
