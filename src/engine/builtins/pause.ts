// pause(name, { output, after, until }) (SPEC §2.3, §3.4): the first run unwinds with PauseRequested and the
// execution becomes PAUSED; the replay after a resume hands the resume input to this call.
import { decode, encode, type Json } from "../codec.ts";
import { toMilliseconds, type Duration } from "../duration.ts";
import { AuthoringError, PauseRequested } from "../errors.ts";
import { requireScope } from "../scope.ts";
import { TaskCall, type TaskDefinition } from "../task.ts";

export interface PauseOptions {
  /** Shown as the execution's output while it is paused. */
  output?: unknown;
  /** Wake (resume with input null) this long after the pause. */
  after?: Duration;
  /** Wake (resume with input null) at this time. */
  until?: Date | string;
}

export function pause<T = unknown>(name: string, options: PauseOptions = {}): TaskCall<T> {
  if (typeof name !== "string" || name === "") throw new AuthoringError("pause() needs a non-empty name");
  if (options.after !== undefined && options.until !== undefined) {
    throw new AuthoringError(`pause("${name}") takes at most one of 'after' and 'until'`);
  }
  const afterMs = options.after === undefined ? undefined : toMilliseconds(options.after, "pause 'after'");
  if (afterMs !== undefined && afterMs <= 0) throw new AuthoringError(`pause("${name}"): 'after' must be greater than 0`);
  const until = options.until === undefined ? undefined : new Date(options.until);
  if (until && isNaN(until.getTime())) throw new AuthoringError(`pause("${name}"): 'until' is not a valid date`);

  const definition: TaskDefinition = {
    options: { name: "pause" },
    fn: () => {
      const scope = requireScope();
      const frame = scope.task;
      if (frame?.wasStarted) {
        // Resumed before the previous run stopped: the input is already recorded.
        const resumed = scope.run.index.get(frame.taskId)?.resumed?.value as { input?: Json } | undefined;
        if (resumed) return decode(resumed.input ?? null);
        const resume = scope.run.takeResume();
        if (resume) {
          scope.run.append("TASK_RESUMED", frame.taskId, "pause", { name, input: resume.value });
          return decode(resume.value);
        }
      }
      const startedAt = frame?.startedAt ?? scope.run.ports.clock.now();
      const wakeAt = afterMs !== undefined ? new Date(startedAt + afterMs) : until;
      throw new PauseRequested(name, decode(encode(options.output ?? null)), wakeAt?.toISOString());
    },
  };
  return new TaskCall<T>(definition, [name]);
}
