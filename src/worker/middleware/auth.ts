// Bearer-token authentication and authorization for every request, driven by the policy table (./policy.ts).
// Order per request: policy lookup → (public: done) → token present? (401) → client blocked? (429) →
// authenticate (bootstrap FLUX_ADMIN_TOKEN, then API keys by hash; 401 + throttle on failure) → permission (403).
// Who a token belongs to is decided by an `Authenticator`, so tests and future schemes can plug in.
import type { Context, MiddlewareHandler } from "hono";
import { findApiKeyByHash } from "../../db/api-keys-repo";
import { createDb } from "../../db/client";
import { authenticate as authenticateToken, can, timingSafeEqual } from "../../security/index";
import type { AppEnv, Principal, Role } from "../env";
import { ForbiddenError, UnauthorizedError } from "../errors";
import { assertNotBlocked, clientKey, recordAuthFailure } from "./auth-throttle";
import { accessFor, POLICY, type Access, type PolicyRule } from "./policy";

/** Resolves a presented token to a principal, or null when it is not valid. Must not leak timing. */
export type Authenticator = (c: Context<AppEnv>, token: string) => Promise<Principal | null>;

export interface AuthOptions {
  authenticate?: Authenticator;
  /** Replaces the policy table (tests). */
  policy?: readonly PolicyRule[];
  /** Count failed authentications per client and answer 429 over the limit (default true). */
  throttle?: boolean;
}

/** Constant-time string equality (hash both sides, compare digests). */
export const constantTimeEqual = timingSafeEqual;

/** The bootstrap authenticator alone: FLUX_ADMIN_TOKEN grants `admin`. An unset token rejects everything. */
export const adminTokenAuthenticator: Authenticator = async (c, token) => {
  const expected = c.env.FLUX_ADMIN_TOKEN;
  if (!expected) return null;
  return (await timingSafeEqual(token, expected)) ? { name: "admin", role: "admin" } : null;
};

/**
 * The default: the bootstrap admin token, then API keys in D1 (looked up by hash, re-compared in constant time;
 * revoked and expired keys are rejected).
 */
export const apiKeyAuthenticator: Authenticator = async (c, token) => {
  const result = await authenticateToken(`Bearer ${token}`, {
    adminToken: c.env.FLUX_ADMIN_TOKEN,
    now: new Date(),
    findApiKey: async (keyHash) => {
      const row = await findApiKeyByHash(createDb(c.env.DB), keyHash);
      if (!row) return undefined;
      return {
        id: row.name,
        name: row.name,
        role: row.role,
        keyHash: row.keyHash,
        expiresAt: row.expiresAt === null ? null : new Date(row.expiresAt).toISOString(),
        revokedAt: row.revokedAt === null ? null : new Date(row.revokedAt).toISOString(),
      };
    },
  });
  return result.ok ? result.principal : null;
};

/** Tries each authenticator in order; the first principal wins. */
export function chainAuthenticators(...authenticators: Authenticator[]): Authenticator {
  return async (c, token) => {
    for (const authenticate of authenticators) {
      const principal = await authenticate(c, token);
      if (principal) return principal;
    }
    return null;
  };
}

export function bearerToken(header: string | undefined): string | null {
  const match = header?.match(/^Bearer[ \t]+(\S+)[ \t]*$/i);
  return match?.[1] ?? null;
}

/** Whether `role` satisfies `access` (public and authenticated: everyone who got this far). */
export function allows(role: Role, access: Access): boolean {
  return access === "public" || access === "authenticated" || can(role, access);
}

export function authMiddleware(options: AuthOptions = {}): MiddlewareHandler<AppEnv> {
  const authenticate = options.authenticate ?? apiKeyAuthenticator;
  const policy = options.policy ?? POLICY;
  const throttle = options.throttle ?? true;
  return async (c, next) => {
    const access = accessFor(c.req.method, c.req.path, policy);
    if (access === "public") return next();
    const token = bearerToken(c.req.header("Authorization"));
    if (!token) throw new UnauthorizedError("Missing bearer token");
    const client = clientKey(c);
    if (throttle) assertNotBlocked(client);
    const principal = await authenticate(c, token);
    if (!principal) {
      if (throttle) await recordAuthFailure(c.env, client);
      throw new UnauthorizedError("Invalid or expired bearer token");
    }
    c.set("principal", principal);
    if (!allows(principal.role, access)) {
      throw new ForbiddenError(`Role ${principal.role} may not ${c.req.method} ${c.req.path}`);
    }
    return next();
  };
}

/** Extra route guard on top of the policy: 403 unless the principal has one of `roles` (admin always passes). */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get("principal");
    if (principal.role !== "admin" && !roles.includes(principal.role)) {
      throw new ForbiddenError(`Role ${principal.role} may not do this`);
    }
    return next();
  };
}
