// task_retries (Flux examples/tasks/task_retries.py): bad_task fails twice, then the third attempt succeeds.
// The failure counter is per execution (Flux's was module-global, which made re-runs behave differently).
import { task, taskContext, workflow } from "flux";

const failuresSoFar = new Map<string, number>();

const badTask = task.withOptions(
  { name: "bad_task", retryMaxAttempts: 3, retryDelay: 1, retryBackoff: 2 },
  async (number: number) => {
    const { executionId } = taskContext();
    const key = `${executionId}:${number}`;
    const failures = failuresSoFar.get(key) ?? 0;
    if (number === 1 && failures < 2) {
      failuresSoFar.set(key, failures + 1);
      throw new Error(`bad_task #${number} failed (attempt ${failures + 1})`);
    }
    failuresSoFar.delete(key);
    return `bad_task #${number} succeed`;
  },
);

export const taskRetries = workflow("task_retries", async () => {
  await badTask(1);
  await badTask(2);
  return null;
});
