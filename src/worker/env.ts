// Bindings and vars the Worker sees (wrangler.toml + .dev.vars / secrets). Adapters only; the engine never sees Env.
import type { AuthThrottleDO } from "../durable-objects/auth-throttle-do";
import type { ExecutionDO } from "../durable-objects/execution-do";
import type { SchedulerDO } from "../durable-objects/scheduler-do";

export interface Env {
  EXECUTIONS: DurableObjectNamespace<ExecutionDO>;
  /** One object per schedule (keyed by schedule id): definition, next fire, history, one alarm. */
  SCHEDULERS: DurableObjectNamespace<SchedulerDO>;
  /** Failed-authentication counters, one object per client IP. Optional: without it nothing is throttled. */
  AUTH_THROTTLE?: DurableObjectNamespace<AuthThrottleDO>;
  DB: D1Database;
  LOADER: WorkerLoader;
  FLUX_VERSION: string;
  /** Bootstrap admin bearer token (local dev: generated into .dev.vars by `npm start` = `flux start server`). */
  FLUX_ADMIN_TOKEN: string;
  /** Master key material for secrets (HKDF input); a Worker secret in production. */
  FLUX_ENCRYPTION_KEY?: string;
  /** The key before the last rotation: old values still decrypt until `POST /admin/secrets/rotate`. */
  FLUX_ENCRYPTION_KEY_PREVIOUS?: string;
  /** Comma-separated origins allowed by CORS (or "*"); unset = no CORS headers at all. */
  FLUX_CORS_ORIGINS?: string;
  /** Failed authentications per client per minute before 429; default 20. */
  FLUX_AUTH_FAILURE_LIMIT?: string;
  /** Request body cap in bytes as a decimal string; default 1 MiB. */
  FLUX_MAX_BODY_BYTES?: string;
  /** CPU limit (ms) for a sandboxed isolate running uploaded workflow code; default 10000. */
  FLUX_ISOLATE_CPU_MS?: string;
  /** Outbound fetch policy for uploaded code: "allow-public" (default), "deny-all", or "allow:host1,host2". */
  FLUX_OUTBOUND_POLICY?: string;
  /** This server's public host name: sandboxed code may not call it. */
  FLUX_PUBLIC_HOST?: string;
}

export type Role = "admin" | "operator" | "viewer" | "worker";

/** Who made the request; set by the auth middleware, read by routes that check roles. */
export interface Principal {
  name: string;
  role: Role;
  /** The API key's id (its name); absent for the bootstrap admin token. */
  keyId?: string;
}

/** Hono generics for every router in src/worker. */
export interface AppEnv {
  Bindings: Env;
  Variables: { principal: Principal };
}
