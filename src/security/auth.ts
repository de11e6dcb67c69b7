// Request authentication and authorization, runtime-neutral: the Worker's middleware passes the Authorization
// header and a lookup by key hash, and turns a failed result into 401 (authenticate) or 403 (authorize).
// Tokens are compared in constant time; stored keys are looked up by hash, so the plaintext is never queried.
import { can, isRole, type Permission, type Role } from "./roles";
import { hashApiKey, timingSafeEqual } from "./tokens";

export interface Principal {
  name: string;
  role: Role;
  /** The API key's id; absent for the bootstrap admin token. */
  keyId?: string;
}

/** The fields authentication needs from a stored key row. */
export interface StoredApiKey {
  id: string;
  name: string;
  role: string;
  keyHash: string;
  expiresAt: string | null;
  revokedAt?: string | null;
}

export interface AuthenticateOptions {
  /** FLUX_ADMIN_TOKEN: the bootstrap admin token. Undefined/empty disables it. */
  adminToken: string | undefined;
  /** Finds a key row by `hashApiKey(token)`; null/undefined when none. */
  findApiKey(keyHash: string): Promise<StoredApiKey | null | undefined>;
  now: Date;
}

export type AuthFailure = "missing_token" | "invalid_token" | "expired_token";
export type AuthResult = { ok: true; principal: Principal } | { ok: false; reason: AuthFailure };

export const BOOTSTRAP_ADMIN_NAME = "bootstrap-admin";

/** The token of `Bearer <token>` (scheme case-insensitive), or undefined. */
export function parseBearer(header: string | null | undefined): string | undefined {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? "");
  return match?.[1];
}

export async function authenticate(
  authorization: string | null | undefined,
  options: AuthenticateOptions,
): Promise<AuthResult> {
  const token = parseBearer(authorization);
  if (token === undefined) return { ok: false, reason: "missing_token" };
  if (options.adminToken && (await timingSafeEqual(token, options.adminToken))) {
    return { ok: true, principal: { name: BOOTSTRAP_ADMIN_NAME, role: "admin" } };
  }
  const keyHash = await hashApiKey(token);
  const row = await options.findApiKey(keyHash);
  // Re-check the hash in constant time: a lookup that is not an exact match (collation, LIKE) must not pass.
  if (!row || !(await timingSafeEqual(row.keyHash, keyHash)) || !isRole(row.role) || row.revokedAt) {
    return { ok: false, reason: "invalid_token" };
  }
  if (row.expiresAt !== null && !(Date.parse(row.expiresAt) > options.now.getTime())) {
    return { ok: false, reason: "expired_token" };
  }
  return { ok: true, principal: { name: row.name, role: row.role, keyId: row.id } };
}

/** Whether the principal may do `permission`; the middleware answers 403 when not. */
export function authorize(principal: Principal, permission: Permission): boolean {
  return can(principal.role, permission);
}
