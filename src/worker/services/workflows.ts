// Workflow registry reads for the REST API (D1), and resolving which version a run uses.
import {
  createDb,
  getWorkflow,
  getWorkflowVersion,
  listWorkflows,
  listWorkflowVersions,
  type WorkflowMetadata,
  type WorkflowVersionRow,
} from "../../db/index";
import { bundledWorkflow } from "../../durable-objects/index";
import { decode, InputValidationError, validateInput, type Json, type WorkflowDefinition } from "../../engine/index";
import { sandboxEntrypoint } from "../../durable-objects/sandbox-loader";
import type { Env } from "../env";
import { ApiError, BadRequestError, NotFoundError } from "../errors";
import { ensureBundledRegistered } from "./registry";

export interface WorkflowListItem {
  name: string;
  namespace: string;
  version: number;
  description: string | null;
}

export interface WorkflowDetail {
  name: string;
  namespace: string;
  version: number;
  versions: number[];
  source_kind: "bundled" | "uploaded";
  hash: string;
  created_at: string;
  metadata: WorkflowMetadata;
}

export interface WorkflowVersionItem {
  name: string;
  version: number;
  hash: string;
  source_kind: "bundled" | "uploaded";
  created_at: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function workflowNotFound(name: string): NotFoundError {
  return new NotFoundError(`Workflow ${name} not found`, "workflow_not_found");
}

export async function listAll(env: Env): Promise<WorkflowListItem[]> {
  await ensureBundledRegistered(env);
  const rows = await listWorkflows(createDb(env.DB));
  return rows.map(({ workflow, latest }) => ({
    name: workflow.name,
    namespace: workflow.namespace,
    version: latest.version,
    description: latest.metadata.description ?? null,
  }));
}

/** The latest version, or `version` when given (404 when that version does not exist). */
export async function describe(env: Env, name: string, version?: number): Promise<WorkflowDetail> {
  await ensureBundledRegistered(env);
  const found = await getWorkflow(createDb(env.DB), name);
  if (!found) throw workflowNotFound(name);
  const { workflow, versions } = found;
  const shown = version === undefined ? found.latest : await getWorkflowVersion(createDb(env.DB), name, version);
  if (!shown) throw new NotFoundError(`Workflow ${name} has no version ${version}`, "workflow_version_not_found");
  return {
    name: workflow.name,
    namespace: workflow.namespace,
    version: shown.version,
    versions,
    source_kind: shown.sourceKind,
    hash: shown.hash,
    created_at: iso(shown.createdAt),
    metadata: shown.metadata,
  };
}

/** Newest first, as Flux lists them; 404 when the workflow has no versions. */
export async function versions(env: Env, name: string): Promise<WorkflowVersionItem[]> {
  await ensureBundledRegistered(env);
  const rows = await listWorkflowVersions(createDb(env.DB), name);
  if (rows.length === 0) throw workflowNotFound(name);
  return rows.reverse().map((row) => ({
    name: row.workflowName,
    version: row.version,
    hash: row.hash,
    source_kind: row.sourceKind,
    created_at: iso(row.createdAt),
  }));
}

export interface RunTarget {
  row: WorkflowVersionRow;
  /** The in-process definition for bundled workflows (used to validate input); undefined for uploaded code. */
  definition: WorkflowDefinition | undefined;
}

/** The version a run pins (latest by default). 404 unknown workflow/version; 503 when its code is not here. */
/**
 * Latest registry rows of bundled workflows, per isolate: their code only changes with a deploy (a new
 * isolate), so the hot run path skips a D1 read. Uploaded workflows are always looked up (uploads change them).
 */
const bundledLatestByDb = new WeakMap<D1Database, Map<string, RunTarget["row"]>>();

export async function runTarget(env: Env, name: string, version?: number): Promise<RunTarget> {
  await ensureBundledRegistered(env);
  const definition = bundledWorkflow(name);
  let bundledLatest = bundledLatestByDb.get(env.DB);
  if (!bundledLatest) bundledLatestByDb.set(env.DB, (bundledLatest = new Map()));
  const cached = definition && version === undefined ? bundledLatest.get(name) : undefined;
  const row = cached ?? (await getWorkflowVersion(createDb(env.DB), name, version));
  if (row && definition && version === undefined) bundledLatest.set(name, row);
  if (!row) {
    throw version === undefined
      ? workflowNotFound(name)
      : new NotFoundError(`Workflow ${name} has no version ${version}`, "workflow_version_not_found");
  }
  const runnable = definition !== undefined || (row.sourceKind === "uploaded" && row.source !== null);
  if (!runnable)
    throw new ApiError(
      503,
      "workflow_unavailable",
      `The code of workflow ${name} v${row.version} is not available`,
    );
  return { row, definition };
}

/**
 * The workflow's `inputSchema` applied before anything is created (SPEC §2.2; invalid → 400 invalid_input).
 * Bundled schemas run here; an uploaded workflow's schema lives in its code, so its sandbox applies it.
 * Returns the input as the schema shaped it.
 */
export async function checkInput(env: Env, target: RunTarget, input: Json): Promise<Json> {
  let issues: unknown;
  if (target.definition) {
    try {
      return validateInput(target.definition, input) as Json;
    } catch (error) {
      if (!(error instanceof InputValidationError)) throw error;
      issues = error.issues;
    }
  } else if ((target.row.metadata as { has_input_schema?: boolean }).has_input_schema && target.row.source) {
    const sandbox = sandboxEntrypoint(env, target.row.source, target.row.hash, { outbound: null });
    const verdict = await sandbox.validate(target.row.workflowName, input);
    if (verdict.ok) return decode(verdict.input) as Json;
    issues = verdict.issues;
  } else {
    return input;
  }
  throw new BadRequestError(`Input for workflow ${target.row.workflowName} is invalid`, issueDetails(issues), "invalid_input");
}

function issueDetails(issues: unknown): unknown {
  if (!Array.isArray(issues)) return issues ?? null;
  return issues.map((issue: { path?: PropertyKey[]; message?: string }) => ({
    path: (issue.path ?? []).map(String).join("."),
    message: issue.message ?? "invalid",
  }));
}
