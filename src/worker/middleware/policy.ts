// THE access policy of the HTTP API: which permission each (method, path) needs. This table is the single place
// to read (and change) who may call what; the auth middleware enforces it before any route runs, so route files
// never check roles themselves. Roles → permissions live in src/security/roles.ts.
//
// - First matching rule wins. `:x` matches one non-empty path segment, a trailing `*` matches the rest (also
//   nothing). HEAD is treated as GET.
// - `public`: no token needed (a presented token is ignored). `authenticated`: any valid token, any role.
// - Anything that matches no rule is admin-only (default deny): a new route is closed until a rule opens it, and
//   routes that do not exist yet answer 401/403 exactly like existing ones before anyone can learn they are 404.
import type { Permission } from "../../security/index";

export type Access = "public" | "authenticated" | Permission;
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface PolicyRule {
  method: Method;
  pattern: string;
  access: Access;
}

const rule = (method: Method, pattern: string, access: Access): PolicyRule => ({ method, pattern, access });
const writeMethods: Method[] = ["POST", "PUT", "PATCH", "DELETE"];

export const POLICY: readonly PolicyRule[] = [
  rule("GET", "/health", "public"),
  rule("GET", "/openapi.json", "authenticated"),
  rule("GET", "/docs", "authenticated"),

  // Workflow registry (SPEC §4).
  rule("GET", "/workflows", "workflow:read"),
  rule("POST", "/workflows", "workflow:register"),
  rule("GET", "/workflows/:name", "workflow:read"),
  rule("DELETE", "/workflows/:name", "workflow:delete"),
  rule("GET", "/workflows/:name/versions", "workflow:read"),

  // Executions.
  rule("POST", "/workflows/:name/run/:mode", "execution:run"),
  rule("POST", "/workflows/:name/resume/:id/:mode", "execution:resume"),
  rule("GET", "/workflows/:name/status/:id", "execution:read"),
  rule("GET", "/workflows/:name/cancel/:id", "execution:cancel"),
  rule("POST", "/workflows/:name/cancel/:id", "execution:cancel"),
  rule("GET", "/executions", "execution:read"),
  rule("GET", "/executions/:id", "execution:read"),
  rule("POST", "/executions/:id/cancel", "execution:cancel"),

  // Secrets: even the list of names is admin-only (see roles.ts). `rotate` precedes `:name`.
  rule("GET", "/admin/secrets", "secret:read-names"),
  rule("POST", "/admin/secrets", "secret:write"),
  rule("POST", "/admin/secrets/rotate", "admin:*"),
  rule("GET", "/admin/secrets/:name", "secret:read-value"),
  rule("DELETE", "/admin/secrets/:name", "secret:write"),

  // API keys.
  rule("GET", "/admin/keys", "key:manage"),
  rule("POST", "/admin/keys", "key:manage"),
  rule("DELETE", "/admin/keys/:name", "key:manage"),

  // Schedules (SPEC §5): read for viewers, changes for operators.
  rule("GET", "/schedules", "schedule:read"),
  rule("GET", "/schedules/*", "schedule:read"),
  ...writeMethods.flatMap((m) => [
    rule(m, "/schedules", "schedule:manage"),
    rule(m, "/schedules/*", "schedule:manage"),
  ]),

  // Webhooks: a delivery (POST /webhooks/{name}) comes from a third party that cannot hold a bearer token; the
  // webhook route MUST verify its HMAC-SHA256 signature itself. Everything else about webhooks is management.
  rule("POST", "/webhooks/:name", "public"),
  rule("GET", "/webhooks", "webhook:manage"),
  rule("GET", "/webhooks/*", "webhook:manage"),
  ...writeMethods.flatMap((m) => [
    rule(m, "/webhooks", "webhook:manage"),
    rule(m, "/webhooks/*", "webhook:manage"),
  ]),
  rule("GET", "/admin/webhooks", "webhook:manage"),
  rule("GET", "/admin/webhooks/*", "webhook:manage"),
  ...writeMethods.map((m) => rule(m, "/admin/webhooks/*", "webhook:manage")),
  ...writeMethods.map((m) => rule(m, "/admin/webhooks", "webhook:manage")),

  // External worker protocol (claim, checkpoint, heartbeat...).
  rule("GET", "/workers/*", "worker:protocol"),
  ...writeMethods.map((m) => rule(m, "/workers/*", "worker:protocol")),
];

/** What an unmatched request needs: admin only. */
export const DEFAULT_ACCESS: Access = "admin:*";

export function accessFor(method: string, path: string, policy: readonly PolicyRule[] = POLICY): Access {
  const m = method.toUpperCase() === "HEAD" ? "GET" : method.toUpperCase();
  const segments = splitPath(path);
  for (const candidate of policy) {
    if (candidate.method === m && matches(patternSegments(candidate.pattern), segments)) return candidate.access;
  }
  return DEFAULT_ACCESS;
}

/** Patterns are fixed: split each once per isolate, not on every request. */
const splitPatterns = new Map<string, readonly string[]>();
function patternSegments(pattern: string): readonly string[] {
  let segments = splitPatterns.get(pattern);
  if (!segments) splitPatterns.set(pattern, (segments = splitPath(pattern)));
  return segments;
}

function splitPath(path: string): string[] {
  return path.split("/").slice(1);
}

function matches(pattern: readonly string[], segments: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i] as string;
    if (part === "*" && i === pattern.length - 1) return true;
    const segment = segments[i];
    if (segment === undefined) return false;
    if (part.startsWith(":")) {
      if (segment === "") return false;
    } else if (part !== segment) return false;
  }
  return pattern.length === segments.length;
}
