// cancellable_workflow (Flux examples/cancellation.py): one slow step per iteration; cancel it mid-way.
import { task, taskContext, workflow, type ExecutionContext } from "flux";

const slowStep = task("slow_step", async (i: number) => {
  const { signal } = taskContext();
  await new Promise<void>((resolve, reject) => {
    const handle = setTimeout(resolve, 200);
    signal.addEventListener("abort", () => {
      clearTimeout(handle);
      reject(signal.reason as Error);
    });
  });
  return i;
});

export const cancellable = workflow("cancellable_workflow", async (ctx: ExecutionContext<{ iterations?: number }>) => {
  const results: number[] = [];
  for (let i = 0; i < (ctx.input?.iterations ?? 1); i++) results.push(await slowStep(i));
  return results;
});
