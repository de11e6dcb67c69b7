// Middleware used by the app and available to routes.
export {
  authMiddleware,
  adminTokenAuthenticator,
  chainAuthenticators,
  constantTimeEqual,
  requireRole,
} from "./auth";
export type { Authenticator, AuthOptions } from "./auth";
export { bodyLimitMiddleware, maxBodyBytes, DEFAULT_MAX_BODY_BYTES } from "./body-limit";
