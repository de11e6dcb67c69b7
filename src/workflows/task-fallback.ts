// task_fallback and task_fallback_after_retry (Flux examples/tasks/task_fallback*.py).
import { task, workflow } from "flux";

const fallbackForBadTask = (number: number) => `fallback for bad_task #${number} succeed`;

const badTask = task.withOptions({ name: "bad_task", fallback: (_number: number) => null }, async (number: number) => {
  if (number % 2 === 1) throw new Error(`bad_task #${number} failed`);
  return null;
});

export const taskFallback = workflow("task_fallback", async () => {
  await badTask(1);
  await badTask(2);
  await badTask(3);
  return null;
});

const retryingBadTask = task.withOptions(
  { name: "bad_task", retryMaxAttempts: 2, retryDelay: 1, retryBackoff: 2, fallback: fallbackForBadTask },
  async (number: number) => {
    if (number === 1) throw new Error(`bad_task #${number} failed`);
    return `bad_task #${number} succeed`;
  },
);

export const taskFallbackAfterRetry = workflow("task_fallback_after_retry", async () => {
  return [await retryingBadTask(1), await retryingBadTask(2)];
});
