// Bearer-token authentication. Every route but the public ones (/health) needs `Authorization: Bearer <token>`.
// Who a token belongs to is decided by an `Authenticator`; today only the bootstrap admin token, later API keys
// (src/security) plug in through `authMiddleware({ authenticate })`. Role checks live in `requireRole`.
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv, Principal, Role } from "../env";
import { ForbiddenError, UnauthorizedError } from "../errors";

/** Resolves a presented token to a principal, or null when it is not valid. Must not leak timing. */
export type Authenticator = (c: Context<AppEnv>, token: string) => Promise<Principal | null>;

export interface AuthOptions {
  authenticate?: Authenticator;
  /** Exact paths served without a token. */
  publicPaths?: readonly string[];
}

const encoder = new TextEncoder();

/** Constant-time string equality: both sides are hashed first so lengths never differ. */
export async function constantTimeEqual(a: string, b: string): Promise<boolean> {
  const [ha, hb] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(a)),
    crypto.subtle.digest("SHA-256", encoder.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(ha, hb);
}

/** The bootstrap authenticator: FLUX_ADMIN_TOKEN grants `admin`. An unset token rejects everything. */
export const adminTokenAuthenticator: Authenticator = async (c, token) => {
  const expected = c.env.FLUX_ADMIN_TOKEN;
  if (!expected) return null;
  return (await constantTimeEqual(token, expected)) ? { name: "admin", role: "admin" } : null;
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
  const match = header?.match(/^Bearer[ \t]+(\S+)\s*$/i);
  return match?.[1] ?? null;
}

export function authMiddleware(options: AuthOptions = {}): MiddlewareHandler<AppEnv> {
  const authenticate = options.authenticate ?? adminTokenAuthenticator;
  const publicPaths = new Set(options.publicPaths ?? ["/health"]);
  return async (c, next) => {
    if (publicPaths.has(c.req.path)) return next();
    const token = bearerToken(c.req.header("Authorization"));
    if (!token) throw new UnauthorizedError("Missing bearer token");
    const principal = await authenticate(c, token);
    if (!principal) throw new UnauthorizedError("Invalid bearer token");
    c.set("principal", principal);
    return next();
  };
}

/** Route guard: 403 unless the authenticated principal has one of `roles` (admin always passes). */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get("principal");
    if (principal.role !== "admin" && !roles.includes(principal.role)) {
      throw new ForbiddenError(`Role ${principal.role} may not do this`);
    }
    return next();
  };
}
