// sleep(duration): a durable timer (SPEC §2.3, differs from Flux). The wake time is the recorded
// TASK_STARTED time plus the duration, so a replay after a restart wakes at the same instant.
import { toSeconds, type Duration } from "../duration.ts";
import { requireScope } from "../scope.ts";
import { task, type TaskCall } from "../task.ts";

const sleepTask = task("sleep", async (seconds: number): Promise<void> => {
  const scope = requireScope();
  const frame = scope.task;
  if (!frame) return;
  await scope.run.ports.timers.waitUntil(frame.startedAt + seconds * 1000, "sleep", frame.taskId, scope.signal);
});

export function sleep(duration: Duration): TaskCall<void> {
  return sleepTask(toSeconds(duration, "sleep duration"));
}
