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

/** Inbound webhooks (SPEC §5). The secret is AES-GCM ciphertext (AAD `webhook:<name>`), never returned by the API. */
export const webhooks = sqliteTable("webhooks", {
  name: text("name").primaryKey(),
  workflowName: text("workflow_name").notNull(),
  secretCiphertext: text("secret_ciphertext"),
  secretIv: text("secret_iv"),
  secretKeyVersion: text("secret_key_version"),
  signature: text("signature", { enum: ["hmac-sha256"] })
    .notNull()
    .default("hmac-sha256"),
  header: text("header").notNull(),
  toleranceS: integer("tolerance_s").notNull(),
  deliveryIdHeader: text("delivery_id_header"),
  inputMode: text("input_mode", { enum: ["body", "envelope"] })
    .notNull()
    .default("body"),
  createdAt: integer("created_at").notNull().default(now),
  updatedAt: integer("updated_at").notNull().default(now),
});

/** Accepted deliveries that carried a delivery id (audit + dedupe window); the execution id is derived from it. */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    webhookName: text("webhook_name").notNull(),
    deliveryId: text("delivery_id").notNull(),
    executionId: text("execution_id").notNull(),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_name_id").on(t.webhookName, t.deliveryId),
    index("webhook_deliveries_received").on(t.receivedAt),
  ],
);

/** Index of schedules for listing; each SchedulerDO (one per schedule) is the source of truth and writes its row. */
export const schedules = sqliteTable(
  "schedules",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull().unique(),
    workflowName: text("workflow_name").notNull(),
    scheduleType: text("schedule_type", { enum: ["cron", "interval", "once"] }).notNull(),
    status: text("status", { enum: ["active", "paused", "completed"] }).notNull(),
    /** The whole schedule view as the API returns it (JSON), so a listing needs no Durable Object call. */
    view: text("view", { mode: "json" }).notNull(),
    nextRunAt: integer("next_run_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("schedules_workflow").on(t.workflowName),
    index("schedules_created_id").on(t.createdAt, t.id),
  ],
);

export type WebhookRow = typeof webhooks.$inferSelect;
export type ScheduleIndexRow = typeof schedules.$inferSelect;
