// task_timeout and task_nested_timeout (Flux examples/tasks/task_timeout.py): a 1 s timeout on a long task.
// Our timeouts pre-empt: the attempt's signal aborts and the workflow fails with ExecutionTimeoutError.
import { task, taskContext, workflow } from "flux";

const longTask = task.withOptions({ name: "long_task", timeout: 1 }, async () => {
  const { signal } = taskContext();
  await new Promise<void>((resolve, reject) => {
    const handle = setTimeout(resolve, 10_000);
    signal.addEventListener("abort", () => {
      clearTimeout(handle);
      reject(signal.reason as Error);
    });
  });
  return "finished";
});

const outer = task("outer_task", async () => await longTask());

export const taskTimeout = workflow("task_timeout", async () => await longTask());
export const taskNestedTimeout = workflow("task_nested_timeout", async () => await outer());
