// Starting a workflow from a trigger: the same path as `POST /workflows/{name}/run/async` (version lookup, input
// schema, idempotent start), with an idempotency key that makes a retried trigger map to the same execution.
import type { Json } from "../engine/index";
import type { Env } from "../worker/env";
import { executions } from "../worker/services/index";

export interface TriggerStart {
  executionId: string;
  /** False when the key had already started this execution (a repeated delivery, a retried alarm). */
  created: boolean;
}

export async function startTriggeredRun(
  env: Env,
  request: { workflow: string; input: Json; idempotencyKey: string | undefined },
): Promise<TriggerStart> {
  const delivery = await executions.run(env, {
    workflow: request.workflow,
    mode: "async",
    input: request.input,
    detailed: false,
    ...(request.idempotencyKey === undefined ? {} : { idempotencyKey: request.idempotencyKey }),
  });
  const executionId = delivery.kind === "view" ? delivery.view.execution_id : delivery.executionId;
  return { executionId, created: delivery.created };
}
