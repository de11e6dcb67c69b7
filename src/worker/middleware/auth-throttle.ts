// Rate limiting of failed authentications per client (SPEC §4: 429 `rate_limited` with Retry-After).
// Each presented-but-invalid token is reported to the client's AuthThrottleDO (sliding window). Once a client is
// over the limit, this isolate remembers the block locally, so further requests from that client get 429 without
// a Durable Object round trip and without their token being checked at all (a correct guess does not get in
// while blocked). Other isolates learn the block on their first failure from that client.
// A missing token is not a guess and is not counted. Successful requests never touch the Durable Object.
import type { Context } from "hono";
import type { AppEnv, Env } from "../env";
import { RateLimitedError } from "../errors";

export const DEFAULT_AUTH_FAILURE_LIMIT = 20;
export const AUTH_FAILURE_WINDOW_MS = 60_000;
/** Client key when the request did not come through Cloudflare's edge (local dev, tests). */
export const LOCAL_CLIENT = "local";
const MAX_LOCAL_BLOCKS = 10_000;

/** client key → epoch ms until which it is blocked (this isolate's view). */
const blockedUntil = new Map<string, number>();

export function clientKey(c: Context<AppEnv>): string {
  return c.req.header("CF-Connecting-IP")?.trim() || LOCAL_CLIENT;
}

export function authFailureLimit(env: Env): number {
  const parsed = Number(env.FLUX_AUTH_FAILURE_LIMIT);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : DEFAULT_AUTH_FAILURE_LIMIT;
}

/** Throws RateLimitedError when this isolate knows the client is blocked. */
export function assertNotBlocked(client: string, now: number = Date.now()): void {
  const until = blockedUntil.get(client);
  if (until === undefined) return;
  if (until <= now) {
    blockedUntil.delete(client);
    return;
  }
  throw new RateLimitedError(Math.ceil((until - now) / 1000));
}

/** Reports one failure; throws RateLimitedError when it puts (or keeps) the client over the limit. */
export async function recordAuthFailure(env: Env, client: string, now: number = Date.now()): Promise<void> {
  const namespace = env.AUTH_THROTTLE;
  if (!namespace) return;
  const stub = namespace.get(namespace.idFromName(client));
  const verdict = await stub.recordFailure(authFailureLimit(env), AUTH_FAILURE_WINDOW_MS, now);
  if (!verdict.limited) return;
  if (blockedUntil.size >= MAX_LOCAL_BLOCKS) blockedUntil.clear();
  blockedUntil.set(client, now + verdict.retryAfterMs);
  throw new RateLimitedError(Math.ceil(verdict.retryAfterMs / 1000));
}
