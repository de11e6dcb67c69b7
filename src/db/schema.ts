// D1 schema (drizzle, sqlite-core). Source of `migrations/*.sql` via `npx drizzle-kit generate`.
// D1 is an index and a registry: execution history lives in each ExecutionDO, never here (SPEC §1).
// Timestamps are epoch milliseconds (integer). Column names are snake_case to match the wire contract.
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const now = sql`(CAST(unixepoch('subsec') * 1000 AS INTEGER))`;

export const workflows = sqliteTable("workflows", {
  name: text("name").primaryKey(),
  namespace: text("namespace").notNull().default("default"),
  latestVersion: integer("latest_version").notNull(),
  createdAt: integer("created_at").notNull().default(now),
  updatedAt: integer("updated_at").notNull().default(now),
});

export type SourceKind = "bundled" | "uploaded";

/** What the registry knows about a version without loading its code. */
export interface WorkflowMetadata {
  task_names: string[];
  secret_requests: string[];
  description: string | null;
  input_schema: unknown;
}

export const workflowVersions = sqliteTable(
  "workflow_versions",
  {
    workflowName: text("workflow_name")
      .notNull()
      .references(() => workflows.name, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    hash: text("hash").notNull(),
    sourceKind: text("source_kind", { enum: ["bundled", "uploaded"] }).notNull(),
    source: text("source"),
    metadata: text("metadata", { mode: "json" }).$type<WorkflowMetadata>().notNull(),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("workflow_versions_name_version").on(t.workflowName, t.version),
    index("workflow_versions_name_hash").on(t.workflowName, t.hash),
  ],
);

export const executions = sqliteTable(
  "executions",
  {
    id: text("id").primaryKey(),
    workflowName: text("workflow_name").notNull(),
    workflowVersion: integer("workflow_version").notNull(),
    state: text("state").notNull(),
    parentExecutionId: text("parent_execution_id"),
    idempotencyKey: text("idempotency_key").unique(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("executions_workflow_created").on(t.workflowName, t.createdAt),
    index("executions_state").on(t.state),
    index("executions_created_id").on(t.createdAt, t.id),
  ],
);

export const secrets = sqliteTable("secrets", {
  name: text("name").primaryKey(),
  ciphertext: text("ciphertext").notNull(),
  iv: text("iv").notNull(),
  /** Fingerprint of the key that encrypted the row (src/security/secret-cipher.ts: 16 hex chars). */
  keyVersion: text("key_version").notNull(),
  createdAt: integer("created_at").notNull().default(now),
  updatedAt: integer("updated_at").notNull().default(now),
});

export const apiKeys = sqliteTable("api_keys", {
  name: text("name").primaryKey(),
  role: text("role", { enum: ["admin", "operator", "viewer", "worker"] }).notNull(),
  keyHash: text("key_hash").notNull().unique(),
  /** First characters of the key (e.g. "flux_AbCd"), so a listing can tell keys apart without revealing them. */
  keyPrefix: text("key_prefix"),
  createdAt: integer("created_at").notNull().default(now),
  expiresAt: integer("expires_at"),
  /** Set instead of deleting, so a revoked key's name stays reserved and audits can still see it. */
  revokedAt: integer("revoked_at"),
});

export type WorkflowRow = typeof workflows.$inferSelect;
export type WorkflowVersionRow = typeof workflowVersions.$inferSelect;
export type ExecutionRow = typeof executions.$inferSelect;
export type NewExecutionRow = typeof executions.$inferInsert;
export type SecretRow = typeof secrets.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
