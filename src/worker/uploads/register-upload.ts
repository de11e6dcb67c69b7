// Registering an uploaded module (SPEC §4 POST /workflows): check it statically, load it in a sandboxed
// isolate to discover its workflows, then add a version per workflow (same hash → no new version).
// Nothing is written unless every check passes.
import { createDb, registerWorkflowVersion, type WorkflowMetadata } from "../../db/index.ts";
import { sandboxEntrypoint } from "../../durable-objects/sandbox-loader.ts";
import { bundledWorkflow } from "../../durable-objects/workflow-resolver.ts";
import type { WorkflowDescription } from "../../sandbox/protocol.ts";
import type { Env } from "../env.ts";
import { ConflictError, UnprocessableSourceError } from "../errors.ts";
import { ensureAutoSchedules } from "../../triggers/schedules.ts";
import { checkSource, SourceProblem } from "./source-check.ts";

export const WORKFLOW_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export interface RegisteredWorkflow {
  name: string;
  namespace: string;
  version: number;
  hash: string;
  created: boolean;
}

export async function registerUpload(env: Env, source: string): Promise<RegisteredWorkflow[]> {
  let facts;
  try {
    facts = checkSource(source);
  } catch (error) {
    if (error instanceof SourceProblem) {
      throw new UnprocessableSourceError(error.message, { line: error.line ?? null, column: error.column ?? null });
    }
    throw error;
  }
  const hash = await sha256Hex(source);
  const described = await describe(env, source, hash);
  if (described.length === 0) throw new UnprocessableSourceError("The module exports no workflow (export the value workflow(...) returns)");
  const names = described.map((wf) => wf.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw new UnprocessableSourceError(`Two exported workflows are named "${duplicate}"`, { name: duplicate });
  for (const name of names) {
    if (!WORKFLOW_NAME.test(name)) {
      throw new UnprocessableSourceError(`Workflow name "${name}" must match ${WORKFLOW_NAME.source}`, { name });
    }
    if (bundledWorkflow(name)) throw new ConflictError(`"${name}" is a bundled workflow; choose another name`, { name }, "name_taken");
  }

  const db = createDb(env.DB);
  const registered: RegisteredWorkflow[] = [];
  for (const wf of described) {
    const metadata = {
      task_names: facts.taskNames,
      secret_requests: [...new Set([...facts.secretRequests, ...wf.secret_requests])],
      description: wf.description,
      input_schema: wf.input_schema,
      namespace: wf.namespace,
      timeout: wf.timeout,
      has_input_schema: wf.has_input_schema,
    } as WorkflowMetadata;
    const { version, created } = await registerWorkflowVersion(db, {
      name: wf.name,
      namespace: wf.namespace,
      hash,
      sourceKind: "uploaded",
      source,
      metadata,
    });
    registered.push({ name: wf.name, namespace: wf.namespace, version: version.version, hash, created });
  }
  // `workflow.withOptions({ schedule })` in uploaded code keeps a `<name>_auto` schedule, as for bundled code.
  const scheduled = described.filter((wf) => wf.schedule !== null && wf.schedule !== undefined);
  if (scheduled.length > 0) {
    await ensureAutoSchedules(
      env,
      scheduled.map((wf) => ({ name: wf.name, namespace: wf.namespace, options: { schedule: wf.schedule }, fn: () => null })),
    );
  }
  return registered;
}

/** Load the module in a sandbox (no bindings, no network) and list its workflows. */
async function describe(env: Env, source: string, hash: string): Promise<WorkflowDescription[]> {
  try {
    return await sandboxEntrypoint(env, source, hash, { outbound: null }).describe();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UnprocessableSourceError(`The module failed to load: ${message}`);
  }
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
