// Writes one execution's row of the D1 index from the Durable Object (the source of truth).
import { createDb } from "../db/index.ts";
import { upsertExecution } from "../db/executions-repo.ts";
import type { Env } from "../worker/env.ts";
import type { ExecutionMeta } from "./event-store.ts";

export async function syncExecutionIndex(env: Env, meta: ExecutionMeta): Promise<void> {
  await upsertExecution(createDb(env.DB), {
    id: meta.execution_id,
    workflowName: meta.workflow_name,
    workflowVersion: meta.workflow_version,
    state: meta.state,
    parentExecutionId: meta.parent_execution_id,
    idempotencyKey: meta.idempotency_key,
    createdAt: Date.parse(meta.created_at),
    updatedAt: Date.now(),
  });
}
