// progress(value): ephemeral updates for SSE `task.progress` frames. Never stored, never replayed.
import { currentScope } from "../scope.ts";

export function progress(value: unknown): void {
  const scope = currentScope();
  if (scope?.task) scope.run.emitProgress(scope.task, value);
}
