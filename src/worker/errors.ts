// HTTP-facing domain errors and the ONE place they become responses (STYLE principle 7).
// Routes throw these; `handleError` renders {"error": {code, message, details?}}. Never branch on message text.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ZodError } from "zod";
import { InvalidCursorError } from "../db/executions-repo";

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** Base of every error a route may throw on purpose: a stable `code` and the HTTP status it maps to. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
  override get name(): string {
    return this.constructor.name;
  }
}

export class BadRequestError extends ApiError {
  constructor(message = "Bad request", details?: unknown, code = "bad_request") {
    super(400, code, message, details);
  }
}
export class UnauthorizedError extends ApiError {
  constructor(message = "Missing or invalid bearer token") {
    super(401, "unauthorized", message);
  }
}
export class ForbiddenError extends ApiError {
  constructor(message = "Not allowed for this role") {
    super(403, "forbidden", message);
  }
}
export class NotFoundError extends ApiError {
  constructor(message = "Not found", code = "not_found") {
    super(404, code, message);
  }
}
export class ConflictError extends ApiError {
  constructor(message = "Conflict", details?: unknown, code = "conflict") {
    super(409, code, message, details);
  }
}
export class PayloadTooLargeError extends ApiError {
  constructor(limitBytes: number) {
    super(413, "payload_too_large", `Request body exceeds ${limitBytes} bytes`, { limit_bytes: limitBytes });
  }
}
/** Too many failed authentications from one client; `retryAfterSeconds` becomes the Retry-After header. */
export class RateLimitedError extends ApiError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, "rate_limited", "Too many failed authentication attempts; retry later", {
      retry_after_seconds: retryAfterSeconds,
    });
  }
}
/** The server is not configured for this (e.g. FLUX_ENCRYPTION_KEY unset): an operator must act, not the client. */
export class NotConfiguredError extends ApiError {
  constructor(code: string, message: string) {
    super(503, code, message);
  }
}
/** Uploaded workflow source does not compile/load; `details` should carry the line. */
export class UnprocessableSourceError extends ApiError {
  constructor(message = "Invalid workflow source", details?: unknown) {
    super(422, "invalid_workflow_source", message, details);
  }
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** Zod issues as plain JSON (path joined with dots), safe to return to clients. */
export function zodDetails(error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
}

/** `app.onError`: domain errors, validation failures and malformed bodies → JSON; anything else → generic 500. */
export function handleError(err: Error, c: Context): Response {
  if (err instanceof ApiError) {
    if (err instanceof RateLimitedError) c.header("Retry-After", String(err.retryAfterSeconds));
    return c.json(errorBody(err.code, err.message, err.details), err.status);
  }
  if (err instanceof InvalidCursorError) {
    return c.json(errorBody(err.code, err.message), 400);
  }
  if (err instanceof ZodError) {
    return c.json(errorBody("validation_failed", "Request validation failed", zodDetails(err)), 400);
  }
  if (err instanceof HTTPException) {
    // Hono's own validators throw these (e.g. "Malformed JSON in request body").
    const status = err.status as ContentfulStatusCode;
    const code = status === 400 ? "bad_request" : status === 413 ? "payload_too_large" : `http_${status}`;
    return c.json(errorBody(code, err.message || "Request failed"), status);
  }
  if (err instanceof SyntaxError) {
    // Only body parsing (c.req.json()) throws SyntaxError in request handling.
    return c.json(errorBody("bad_request", "Malformed JSON in request body"), 400);
  }
  console.error("unhandled error", err);
  return c.json(errorBody("internal_error", "Internal server error"), 500);
}

/** `app.notFound`. */
export function handleNotFound(c: Context): Response {
  return c.json(errorBody("not_found", `No route for ${c.req.method} ${c.req.path}`), 404);
}
