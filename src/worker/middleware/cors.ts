// CORS, off unless configured: with FLUX_CORS_ORIGINS unset no CORS header is ever sent, so browsers on other
// origins cannot read responses. Configured ("https://a.example,https://b.example" or "*"), listed origins get
// CORS headers and preflights are answered here, before authentication (browsers send preflights without tokens).
// Bearer tokens, not cookies, carry identity, so credentials mode is never enabled.
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "../env";

export function corsOrigins(configured: string | undefined): string[] {
  return (configured ?? "")
    .split(",")
    .map((origin) => origin.trim().replace(/\/+$/, ""))
    .filter((origin) => origin !== "");
}

export function corsMiddleware(): MiddlewareHandler<AppEnv> {
  return (c, next) => {
    const origins = corsOrigins(c.env.FLUX_CORS_ORIGINS);
    if (origins.length === 0) return next();
    return cors({
      origin: origins.includes("*") ? "*" : (origin) => (origins.includes(origin) ? origin : null),
      allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
      allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key", "Last-Event-ID"],
      exposeHeaders: ["Retry-After"],
      maxAge: 600,
    })(c, next);
  };
}
