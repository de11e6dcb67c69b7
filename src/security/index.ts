// Public surface of src/security: secret encryption, API keys and tokens, roles, redaction, auth checks.
// Pure Web-standard code (crypto.subtle, TextEncoder, btoa/atob): no `node:` or `cloudflare:` imports here.
export { ApiKeyRequestError, issueApiKey, MAX_EXPIRES_IN_DAYS, MAX_KEY_NAME_LENGTH } from "./api-keys";
export type { ApiKeyRecord, IssueApiKeyInput, IssuedApiKey } from "./api-keys";
export { authenticate, authorize, BOOTSTRAP_ADMIN_NAME, parseBearer } from "./auth";
export type { AuthenticateOptions, AuthFailure, AuthResult, Principal, StoredApiKey } from "./auth";
export { SecretDecryptError, SecretKeyError } from "./errors";
export type { SecretDecryptErrorCode, SecretKeyErrorCode } from "./errors";
export { createRedactor, MIN_REDACTED_LENGTH, REDACTED } from "./redact";
export type { Redactor } from "./redact";
export { can, isPermission, isRole, PERMISSIONS, permissionsOf, ROLES } from "./roles";
export type { Permission, Role } from "./roles";
export {
  createSecretCipher,
  generateEncryptionKey,
  MIN_KEY_LENGTH,
  secretCipherFromEnv,
} from "./secret-cipher";
export type { EncryptedSecret, SecretCipher, SecretCipherOptions } from "./secret-cipher";
export { API_KEY_PREFIX, generateApiKey, hashApiKey, timingSafeEqual } from "./tokens";
