// call(workflowOrName, input, { mode }) (SPEC §2.3): start a child execution. The child's id is derived from
// this execution's id and the call's task id, so a replayed call finds the same child instead of starting
// another. `sync` waits (durably, in durable hosts) for the child's result; `async` returns its id.
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { AuthoringError, ExecutionError } from "../errors.ts";
import { requireScope } from "../scope.ts";
import { TaskCall, type TaskDefinition } from "../task.ts";

export type CallMode = "sync" | "async";

const encoder = new TextEncoder();

export function childExecutionId(parentExecutionId: string, taskId: string): string {
  return bytesToHex(sha256(encoder.encode(`${parentExecutionId}:${taskId}`))).slice(0, 32);
}

export function call<T = unknown>(target: { name: string } | string, input?: unknown, options: { mode?: CallMode } = {}): TaskCall<T> {
  const name = typeof target === "string" ? target : target?.name;
  if (typeof name !== "string" || name === "") throw new AuthoringError("call() needs a workflow or a workflow name");
  const mode = options.mode ?? "sync";
  if (mode !== "sync" && mode !== "async") throw new AuthoringError(`call() mode must be "sync" or "async", got ${String(mode)}`);
  const definition: TaskDefinition = {
    options: { name: `call_workflow_${name}` },
    fn: async () => {
      const scope = requireScope();
      const children = scope.run.ports.children;
      if (!children) throw new ExecutionError(undefined, "This host cannot start child executions");
      const taskId = scope.task?.taskId ?? name;
      const childId = childExecutionId(scope.run.executionId, taskId);
      return children.call({ workflow: name, input: input ?? null, mode, childId, parentId: scope.run.executionId, signal: scope.signal });
    },
  };
  return new TaskCall<T>(definition, [input ?? null, mode]);
}
