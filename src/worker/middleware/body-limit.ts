// Request body cap → 413 JSON. Default from FLUX_MAX_BODY_BYTES (or 1 MiB); routes may pass a tighter limit.
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../env";
import { PayloadTooLargeError } from "../errors";

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export function maxBodyBytes(configured: string | undefined): number {
  const parsed = configured === undefined ? NaN : Number(configured);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : DEFAULT_MAX_BODY_BYTES;
}

export function bodyLimitMiddleware(limitBytes?: number): MiddlewareHandler<AppEnv> {
  return (c, next) => {
    const maxSize = limitBytes ?? maxBodyBytes(c.env.FLUX_MAX_BODY_BYTES);
    return bodyLimit({
      maxSize,
      onError: () => {
        throw new PayloadTooLargeError(maxSize);
      },
    })(c, next);
  };
}
