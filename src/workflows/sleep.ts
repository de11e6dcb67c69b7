// sleep_workflow (Flux examples/sleep.py): durable timers — the execution is suspended, not a worker slot.
import { sleep, task, workflow, type ExecutionContext } from "flux";

const stamp = task("stamp", (label: string) => label);

export const sleepWorkflow = workflow("sleep_workflow", async (ctx: ExecutionContext<{ seconds?: number } | null>) => {
  const seconds = ctx.input?.seconds;
  if (seconds !== undefined) {
    await sleep(seconds);
    return await stamp("woke");
  }
  await sleep("2s");
  await sleep("5s");
  await sleep(3.5);
  return null;
});
