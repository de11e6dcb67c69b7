// Chooses how an execution's code runs, from its pinned workflow version: bundled workflows run in this
// object (a WorkflowRun); uploaded ones run in a sandboxed isolate behind an IsolateDriver. Both present the
// same surface to the ExecutionDO.
import { createDb } from "../db/index.ts";
import { getWorkflowVersion } from "../db/workflows-repo.ts";
import { WorkflowRun, type ExecutionEvent, type HostPorts, type Journal, type WorkflowDefinition } from "../engine/index.ts";
import type { Env } from "../worker/env.ts";
import type { DurableTimers } from "./durable-timers.ts";
import type { ExecutionMeta } from "./event-store.ts";
import { IsolateDriver } from "./isolate-driver.ts";
import { sandboxEntrypoint } from "./sandbox-loader.ts";
import { bundledWorkflow } from "./workflow-resolver.ts";

export type RunDriver = WorkflowRun | IsolateDriver;

export interface DriverContext {
  env: Env;
  meta: ExecutionMeta;
  events: ExecutionEvent[];
  ports: HostPorts;
  journal: Journal;
  timers: DurableTimers;
  outbound: Fetcher | null;
}

interface UploadedMetadata {
  namespace?: string;
  timeout?: number | string | null;
  secret_requests?: string[];
  description?: string | null;
}

export async function loadDriver(context: DriverContext): Promise<RunDriver | undefined> {
  const { meta, events, ports, journal } = context;
  const base = { executionId: meta.execution_id, ports, events, journal };
  const bundled = bundledWorkflow(meta.workflow_name);
  if (bundled) return new WorkflowRun({ ...base, workflow: bundled, workflowId: `${bundled.namespace}/${bundled.name}` });

  const row = await getWorkflowVersion(createDb(context.env.DB), meta.workflow_name, meta.workflow_version);
  if (!row || row.sourceKind !== "uploaded" || !row.source) return undefined;
  const metadata = row.metadata as unknown as UploadedMetadata;
  const namespace = metadata.namespace ?? "default";
  // The mirror only holds the log; the isolate runs the code.
  const mirrorDefinition: WorkflowDefinition = {
    name: meta.workflow_name,
    namespace,
    options: { timeout: metadata.timeout ?? undefined, description: metadata.description ?? undefined },
    fn: () => {
      throw new Error("uploaded workflows run in their sandbox");
    },
  };
  const mirror = new WorkflowRun({ ...base, workflow: mirrorDefinition, workflowId: `${namespace}/${meta.workflow_name}` });
  const source = row.source;
  return new IsolateDriver({
    mirror,
    entrypoint: () => sandboxEntrypoint(context.env, source, row.hash, { outbound: context.outbound }),
    timers: context.timers,
    secrets: ports.secrets ?? { get: async () => ({}) },
    allowedSecrets: metadata.secret_requests ?? [],
    progress: (update) => ports.progress?.({ executionId: meta.execution_id, ...update }),
    children: ports.children,
  });
}
