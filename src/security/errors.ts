// Typed errors of the security layer. Each has a stable `code`; callers branch on `code` or class, never on the
// message. No message built here ever contains a plaintext secret, a key, or a token.
import { FluxError } from "../engine/errors";

export type SecretKeyErrorCode = "encryption_key_missing" | "encryption_key_invalid";

/**
 * The encryption key is absent or unusable. Thrown when the cipher is created, so a server without a key refuses
 * to store (or read) secrets instead of writing them in the clear. Maps to a 500-class configuration error.
 */
export class SecretKeyError extends FluxError {
  override readonly code: SecretKeyErrorCode;
  constructor(code: SecretKeyErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export type SecretDecryptErrorCode =
  /** The record names a key version that is neither the current nor the previous key. */
  | "secret_key_unknown"
  /** GCM authentication failed: wrong key, tampered ciphertext/IV, or the record was moved to another name. */
  | "secret_auth_failed"
  /** The stored record is not well-formed (bad base64, wrong IV length, missing fields). */
  | "secret_record_malformed";

/** A stored secret could not be decrypted. The message names the secret and the reason, never the value. */
export class SecretDecryptError extends FluxError {
  override readonly code: SecretDecryptErrorCode;
  constructor(
    code: SecretDecryptErrorCode,
    readonly secretName: string,
    message: string,
  ) {
    super(message);
    this.code = code;
  }
}
