// The bundled workflows as registry rows in D1. Registration is lazy (first request per isolate, one memoised
// promise) and idempotent: a version is added only when no version of that workflow has the same hash, so
// restarts, concurrent isolates and redeploys of unchanged code add nothing.
import { z } from "zod";
import {
  createDb,
  listWorkflowVersions,
  registerWorkflowVersion,
  type Db,
  type WorkflowMetadata,
} from "../../db/index";
import type { InputSchema, WorkflowDefinition } from "../../engine/index";
import { ensureAutoSchedules } from "../../triggers/schedules";
import { bundledWorkflows } from "../../workflows/index";
import type { Env } from "../env";

const encoder = new TextEncoder();

/** JSON Schema for a zod `inputSchema`; null for anything else (the engine only needs `safeParse`). */
export function inputJsonSchema(schema: InputSchema | undefined): unknown {
  if (!schema || typeof schema !== "object" || !("_zod" in schema)) return null;
  try {
    return z.toJSONSchema(schema as unknown as z.ZodType, { unrepresentable: "any" });
  } catch {
    return null;
  }
}

export function bundledMetadata(definition: WorkflowDefinition): WorkflowMetadata {
  const options = definition.options;
  return {
    // Task names are only known once code runs; uploaded modules get them from static analysis instead.
    task_names: [],
    secret_requests: [...(options.secretRequests ?? [])],
    description: options.description ?? null,
    input_schema: inputJsonSchema(options.inputSchema),
  };
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Stable across isolates and restarts: name, Flux version and the JSON-able options (schema as JSON Schema). */
export async function bundledHash(definition: WorkflowDefinition, fluxVersion: string): Promise<string> {
  const { inputSchema: _schema, ...rest } = definition.options;
  const options = {
    ...rest,
    namespace: definition.namespace,
    input_schema: inputJsonSchema(definition.options.inputSchema),
  };
  return sha256Hex(`${definition.name}\n${fluxVersion}\n${stableJson(options)}`);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && typeof v !== "function")
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

async function registerOne(db: Db, definition: WorkflowDefinition, fluxVersion: string): Promise<void> {
  const hash = await bundledHash(definition, fluxVersion);
  const versions = await listWorkflowVersions(db, definition.name);
  if (versions.some((v) => v.hash === hash)) return;
  await registerWorkflowVersion(db, {
    name: definition.name,
    namespace: definition.namespace,
    hash,
    sourceKind: "bundled",
    metadata: bundledMetadata(definition),
  });
}

// Keyed by the D1 binding so a test runtime with fresh storage per file registers again.
const registrations = new WeakMap<D1Database, Promise<void>>();

/** Registers every bundled workflow once per isolate; a failure is forgotten so the next request retries. */
export function ensureBundledRegistered(env: Env): Promise<void> {
  let pending = registrations.get(env.DB);
  if (!pending) {
    const db = createDb(env.DB);
    const version = env.FLUX_VERSION ?? "dev";
    const definitions = bundledWorkflows as unknown as WorkflowDefinition[];
    pending = Promise.all(definitions.map((wf) => registerOne(db, wf, version))).then(
      // Workflows declaring `withOptions({ schedule })` get their `<name>_auto` schedule (never throws).
      () => ensureAutoSchedules(env, definitions),
      (error: unknown) => {
        registrations.delete(env.DB);
        throw error;
      },
    );
    registrations.set(env.DB, pending);
  }
  return pending;
}
