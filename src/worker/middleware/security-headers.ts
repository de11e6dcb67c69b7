// Response hardening. Every response: nosniff and no referrer. HTML pages (Swagger UI at /docs, the dashboard):
// a Content-Security-Policy that only allows our own origin plus the CDN Swagger UI loads from, no framing, and
// no caching. JSON under /admin (secret values, fresh API keys) is never cached either.
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";

const CDN = "https://cdn.jsdelivr.net";
export const HTML_CSP = [
  "default-src 'self'",
  // Swagger UI boots from an inline script.
  `script-src 'self' 'unsafe-inline' ${CDN}`,
  `style-src 'self' 'unsafe-inline' ${CDN}`,
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export function securityHeadersMiddleware(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const headers = c.res.headers;
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "no-referrer");
    if (headers.get("Content-Type")?.toLowerCase().startsWith("text/html")) {
      headers.set("Content-Security-Policy", HTML_CSP);
      headers.set("X-Frame-Options", "DENY");
      headers.set("Cross-Origin-Opener-Policy", "same-origin");
      headers.set("Cache-Control", "no-store");
    } else if (c.req.path.startsWith("/admin/")) {
      headers.set("Cache-Control", "no-store");
    }
  };
}
