// Middleware used by the app and available to routes. The access policy lives in ./policy.ts.
export {
  authMiddleware,
  adminTokenAuthenticator,
  apiKeyAuthenticator,
  allows,
  chainAuthenticators,
  constantTimeEqual,
  requireRole,
} from "./auth";
export type { Authenticator, AuthOptions } from "./auth";
export { accessFor, DEFAULT_ACCESS, POLICY } from "./policy";
export type { Access, Method, PolicyRule } from "./policy";
export { bodyLimitMiddleware, maxBodyBytes, DEFAULT_MAX_BODY_BYTES } from "./body-limit";
export { corsMiddleware, corsOrigins } from "./cors";
export { securityHeadersMiddleware, HTML_CSP } from "./security-headers";
export { AUTH_FAILURE_WINDOW_MS, DEFAULT_AUTH_FAILURE_LIMIT, LOCAL_CLIENT, clientKey } from "./auth-throttle";
