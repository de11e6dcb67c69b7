// task_rollback (Flux examples/tasks/task_rollback.py): bad_task(3) fails, its rollback runs, the workflow FAILS.
import { task, workflow } from "flux";

const badTask = task.withOptions(
  { name: "bad_task", rollback: (number: number) => `rolled back bad_task #${number}` },
  async (number: number) => {
    if (number === 3) throw new Error(`bad_task #${number} failed`);
    return `bad_task #${number} succeed`;
  },
);

export const taskRollback = workflow("task_rollback", async () => {
  await badTask(1);
  await badTask(2);
  await badTask(3);
  return null;
});
