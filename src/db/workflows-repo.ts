// Workflow registry in D1: one `workflows` row per name pointing at its latest version, and immutable
// `workflow_versions` rows. Registering the same code twice (same hash as the latest) is a no-op.
import { and, asc, desc, eq, max } from "drizzle-orm";
import type { Db } from "./client";
import {
  executions,
  workflows,
  workflowVersions,
  type SourceKind,
  type WorkflowMetadata,
  type WorkflowRow,
  type WorkflowVersionRow,
} from "./schema";

export interface RegisterVersionInput {
  name: string;
  namespace?: string;
  hash: string;
  sourceKind: SourceKind;
  source?: string | null;
  metadata: WorkflowMetadata;
}

export interface RegisterVersionResult {
  version: WorkflowVersionRow;
  /** False when the latest version already had this hash. */
  created: boolean;
}

export interface WorkflowWithVersions {
  workflow: WorkflowRow;
  latest: WorkflowVersionRow;
  versions: number[];
}

const REGISTER_ATTEMPTS = 3;

function isUniqueViolation(error: unknown): boolean {
  // D1 surfaces SQLite constraint errors only as text; this is the one place we have to look at it.
  const text = error instanceof Error ? `${error.message} ${String(error.cause ?? "")}` : String(error);
  return text.includes("UNIQUE constraint failed") || text.includes("SQLITE_CONSTRAINT");
}

async function latestVersion(db: Db, name: string): Promise<WorkflowVersionRow | undefined> {
  return db
    .select()
    .from(workflowVersions)
    .where(eq(workflowVersions.workflowName, name))
    .orderBy(desc(workflowVersions.version))
    .limit(1)
    .get();
}

/** The highest version any indexed execution of `name` is pinned to (0 when none). */
async function highestPinnedVersion(db: Db, name: string): Promise<number> {
  const row = await db
    .select({ version: max(executions.workflowVersion) })
    .from(executions)
    .where(eq(executions.workflowName, name))
    .get();
  return row?.version ?? 0;
}

/** Adds version N+1 atomically (one D1 batch); retries if a concurrent register took N+1 first. */
export async function registerWorkflowVersion(
  db: Db,
  input: RegisterVersionInput,
): Promise<RegisterVersionResult> {
  for (let attempt = 1; ; attempt++) {
    const latest = await latestVersion(db, input.name);
    if (latest && latest.hash === input.hash) return { version: latest, created: false };
    // A deleted version's number is never handed out again while an execution is pinned to it: a paused or
    // sleeping run would otherwise replay someone else's code under its own version number.
    const next = Math.max(latest?.version ?? 0, await highestPinnedVersion(db, input.name)) + 1;
    const now = Date.now();
    const row: WorkflowVersionRow = {
      workflowName: input.name,
      version: next,
      hash: input.hash,
      sourceKind: input.sourceKind,
      source: input.source ?? null,
      metadata: input.metadata,
      createdAt: now,
    };
    try {
      await db.batch([
        db
          .insert(workflows)
          .values({
            name: input.name,
            namespace: input.namespace ?? "default",
            latestVersion: next,
            createdAt: now,
            updatedAt: now,
          })
          .onConflictDoUpdate({
            target: workflows.name,
            set: {
              latestVersion: next,
              updatedAt: now,
              ...(input.namespace ? { namespace: input.namespace } : {}),
            },
          }),
        db.insert(workflowVersions).values(row),
      ]);
      return { version: row, created: true };
    } catch (error) {
      if (attempt >= REGISTER_ATTEMPTS || !isUniqueViolation(error)) throw error;
    }
  }
}

export async function getWorkflowVersion(
  db: Db,
  name: string,
  version?: number,
): Promise<WorkflowVersionRow | undefined> {
  if (version === undefined) return latestVersion(db, name);
  return db
    .select()
    .from(workflowVersions)
    .where(and(eq(workflowVersions.workflowName, name), eq(workflowVersions.version, version)))
    .get();
}

export async function listWorkflowVersions(db: Db, name: string): Promise<WorkflowVersionRow[]> {
  return db
    .select()
    .from(workflowVersions)
    .where(eq(workflowVersions.workflowName, name))
    .orderBy(asc(workflowVersions.version))
    .all();
}

export async function getWorkflow(db: Db, name: string): Promise<WorkflowWithVersions | undefined> {
  const workflow = await db.select().from(workflows).where(eq(workflows.name, name)).get();
  if (!workflow) return undefined;
  const versions = await listWorkflowVersions(db, name);
  const latest = versions.find((v) => v.version === workflow.latestVersion) ?? versions[versions.length - 1];
  if (!latest) return undefined;
  return { workflow, latest, versions: versions.map((v) => v.version) };
}

/** Every workflow with its latest version row, by name. */
export async function listWorkflows(
  db: Db,
): Promise<{ workflow: WorkflowRow; latest: WorkflowVersionRow }[]> {
  const rows = await db
    .select({ workflow: workflows, latest: workflowVersions })
    .from(workflows)
    .innerJoin(
      workflowVersions,
      and(
        eq(workflowVersions.workflowName, workflows.name),
        eq(workflowVersions.version, workflows.latestVersion),
      ),
    )
    .orderBy(asc(workflows.name))
    .all();
  return rows;
}

/**
 * Deletes one version (or all, when `version` is omitted). The workflow row follows: it points at the highest
 * remaining version, or disappears with the last one. Returns how many versions were removed.
 */
export async function deleteWorkflowVersion(db: Db, name: string, version?: number): Promise<number> {
  const where =
    version === undefined
      ? eq(workflowVersions.workflowName, name)
      : and(eq(workflowVersions.workflowName, name), eq(workflowVersions.version, version));
  const deleted = await db
    .delete(workflowVersions)
    .where(where)
    .returning({ version: workflowVersions.version })
    .all();
  if (deleted.length === 0) return 0;
  const remaining = await latestVersion(db, name);
  if (remaining) {
    await db
      .update(workflows)
      .set({ latestVersion: remaining.version, updatedAt: Date.now() })
      .where(eq(workflows.name, name));
  } else {
    await db.delete(workflows).where(eq(workflows.name, name));
  }
  return deleted.length;
}
