// Encryption of stored secret values (SPEC §5): AES-256-GCM, a fresh random 96-bit IV per write, the key derived
// with HKDF-SHA-256 from the FLUX_ENCRYPTION_KEY Worker secret, and the secret's name bound as additional
// authenticated data so a ciphertext cannot be moved to another name. Pure Web Crypto: runs in workerd and Node.
// Nothing here logs, and no error message carries a plaintext or key material.
//
// Key material (FLUX_ENCRYPTION_KEY, FLUX_ENCRYPTION_KEY_PREVIOUS), surrounding whitespace ignored:
//   - base64 or base64url of exactly 32 bytes (what `openssl rand -base64 32` or `generateEncryptionKey()` print)
//     is decoded and the 32 bytes are used; otherwise
//   - any string of at least 32 characters is used as its UTF-8 bytes.
// HKDF extracts and expands but does not stretch, so the key must be random, not a memorable passphrase.
//
// Rotation: deploy the new key as FLUX_ENCRYPTION_KEY and the old one as FLUX_ENCRYPTION_KEY_PREVIOUS. Records
// carry `keyVersion` (a one-way fingerprint of the key, safe to store and show), so decrypt picks the right key,
// `needsRotation` spots records under the previous key, and `rotate` re-encrypts them under the current one.
import { base64ToBytes, bytesToBase64, bytesToHex } from "./base64";
import { SecretDecryptError, SecretKeyError } from "./errors";

/** One stored secret value; all fields are plain strings so they fit D1 text columns as they are. */
export interface EncryptedSecret {
  /** base64 of the AES-GCM output (ciphertext followed by the 16-byte tag). */
  ciphertext: string;
  /** base64 of the 12-byte IV, fresh per encryption. */
  iv: string;
  /** Fingerprint of the key that encrypted this record (16 hex chars). */
  keyVersion: string;
}

export interface SecretCipherOptions {
  /** FLUX_ENCRYPTION_KEY. Undefined or empty: creation fails with `encryption_key_missing`. */
  key: string | undefined;
  /** FLUX_ENCRYPTION_KEY_PREVIOUS: only used to decrypt (and rotate) records written under it. */
  previousKey?: string | undefined;
}

export interface SecretCipher {
  /** keyVersion written by `encrypt`. */
  readonly keyVersion: string;
  /** keyVersion of the previous key, if one is configured (and differs from the current one). */
  readonly previousKeyVersion: string | undefined;
  encrypt(name: string, plaintext: string): Promise<EncryptedSecret>;
  /** Throws SecretDecryptError (never returns garbage) on a wrong key, tampering, or a record moved to `name`. */
  decrypt(name: string, record: EncryptedSecret): Promise<string>;
  /** True when the record was not written under the current key. */
  needsRotation(record: EncryptedSecret): boolean;
  /** The record re-encrypted under the current key; records already under it are returned unchanged. */
  rotate(name: string, record: EncryptedSecret): Promise<EncryptedSecret>;
}

/** Minimum length of a string key, and the exact byte length of a base64 key. */
export const MIN_KEY_LENGTH = 32;
const IV_BYTES = 12;
const GCM_TAG_BYTES = 16;
// Fixed labels: changing any of them changes every derived key, i.e. makes all stored secrets unreadable.
const HKDF_SALT = "flux/secrets/salt/v1";
const HKDF_INFO_ENCRYPTION = "flux/secrets/aes-256-gcm/v1";
const HKDF_INFO_KEY_ID = "flux/secrets/key-id/v1";

const encoder = new TextEncoder();
// ignoreBOM keeps a leading U+FEFF in the value instead of stripping it: round trips must be exact.
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

interface DerivedKey {
  version: string;
  cryptoKey: CryptoKey;
}

export async function createSecretCipher(options: SecretCipherOptions): Promise<SecretCipher> {
  const currentMaterial = parseKeyMaterial(options.key, "FLUX_ENCRYPTION_KEY");
  if (!currentMaterial) {
    throw new SecretKeyError(
      "encryption_key_missing",
      "FLUX_ENCRYPTION_KEY is not set, so secrets cannot be stored or read. Generate a key with " +
        "`openssl rand -base64 32` and set it with `wrangler secret put FLUX_ENCRYPTION_KEY` (or in .dev.vars).",
    );
  }
  const previousMaterial = parseKeyMaterial(options.previousKey, "FLUX_ENCRYPTION_KEY_PREVIOUS");
  const current = await deriveKey(currentMaterial);
  const derivedPrevious = previousMaterial ? await deriveKey(previousMaterial) : undefined;
  const previous = derivedPrevious?.version === current.version ? undefined : derivedPrevious;

  function keyFor(name: string, record: EncryptedSecret): DerivedKey {
    if (record.keyVersion === current.version) return current;
    if (previous && record.keyVersion === previous.version) return previous;
    throw new SecretDecryptError(
      "secret_key_unknown",
      name,
      `Secret "${name}" was encrypted with key version ${record.keyVersion}, which is neither ` +
        "FLUX_ENCRYPTION_KEY nor FLUX_ENCRYPTION_KEY_PREVIOUS.",
    );
  }

  async function encrypt(name: string, plaintext: string): Promise<EncryptedSecret> {
    if (typeof name !== "string" || typeof plaintext !== "string") {
      throw new TypeError("encrypt(name, plaintext) expects two strings");
    }
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const sealed = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: encoder.encode(name), tagLength: GCM_TAG_BYTES * 8 },
      current.cryptoKey,
      encoder.encode(plaintext),
    );
    return {
      ciphertext: bytesToBase64(new Uint8Array(sealed)),
      iv: bytesToBase64(iv),
      keyVersion: current.version,
    };
  }

  async function decrypt(name: string, record: EncryptedSecret): Promise<string> {
    const { iv, ciphertext } = decodeRecord(name, record);
    const key = keyFor(name, record);
    let opened: ArrayBuffer;
    try {
      opened = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv, additionalData: encoder.encode(name), tagLength: GCM_TAG_BYTES * 8 },
        key.cryptoKey,
        ciphertext,
      );
    } catch {
      throw new SecretDecryptError(
        "secret_auth_failed",
        name,
        `Secret "${name}" failed authentication: wrong key, tampered data, or a record stored under another name.`,
      );
    }
    return decoder.decode(opened);
  }

  function needsRotation(record: EncryptedSecret): boolean {
    return record.keyVersion !== current.version;
  }

  async function rotate(name: string, record: EncryptedSecret): Promise<EncryptedSecret> {
    // Decrypt even when no rotation is due would be wasted work; a record under the current key stays as it is.
    if (!needsRotation(record)) return record;
    return encrypt(name, await decrypt(name, record));
  }

  return {
    keyVersion: current.version,
    previousKeyVersion: previous?.version,
    encrypt,
    decrypt,
    needsRotation,
    rotate,
  };
}

/** Convenience for the Worker: the cipher from its env vars (same errors as createSecretCipher). */
export function secretCipherFromEnv(env: {
  FLUX_ENCRYPTION_KEY?: string | undefined;
  FLUX_ENCRYPTION_KEY_PREVIOUS?: string | undefined;
}): Promise<SecretCipher> {
  return createSecretCipher({ key: env.FLUX_ENCRYPTION_KEY, previousKey: env.FLUX_ENCRYPTION_KEY_PREVIOUS });
}

/** A new random key in the preferred format (base64 of 32 bytes), e.g. for local dev's first start. */
export function generateEncryptionKey(): string {
  return bytesToBase64(crypto.getRandomValues(new Uint8Array(32)));
}

/** undefined for an absent/empty value; throws SecretKeyError for one that is present but unusable. */
function parseKeyMaterial(raw: string | undefined, label: string): Uint8Array | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== "string")
    throw new SecretKeyError("encryption_key_invalid", `${label} must be a string`);
  const text = raw.trim();
  if (text === "") return undefined;
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const bytes = base64ToBytes(text);
    if (bytes.length === MIN_KEY_LENGTH) return bytes;
  }
  if (text.length >= MIN_KEY_LENGTH) return encoder.encode(text);
  throw new SecretKeyError(
    "encryption_key_invalid",
    `${label} is too short (${text.length} characters): use base64 of 32 random bytes ` +
      `(\`openssl rand -base64 32\`) or a random string of at least ${MIN_KEY_LENGTH} characters.`,
  );
}

async function deriveKey(material: Uint8Array): Promise<DerivedKey> {
  const base = await crypto.subtle.importKey("raw", material, "HKDF", false, ["deriveKey", "deriveBits"]);
  const params = (info: string) => ({
    name: "HKDF",
    hash: "SHA-256",
    salt: encoder.encode(HKDF_SALT),
    info: encoder.encode(info),
  });
  const cryptoKey = await crypto.subtle.deriveKey(
    params(HKDF_INFO_ENCRYPTION),
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
  // The version is a separate HKDF output, not a hash of the AES key: it identifies the key without revealing it.
  const id = await crypto.subtle.deriveBits(params(HKDF_INFO_KEY_ID), base, 64);
  return { version: bytesToHex(new Uint8Array(id)), cryptoKey };
}

function decodeRecord(name: string, record: EncryptedSecret): { iv: Uint8Array; ciphertext: Uint8Array } {
  const malformed = (why: string) =>
    new SecretDecryptError("secret_record_malformed", name, `Stored secret "${name}" is malformed: ${why}.`);
  if (typeof record !== "object" || record === null) throw malformed("not an object");
  if (typeof record.keyVersion !== "string") throw malformed("missing keyVersion");
  if (typeof record.iv !== "string" || typeof record.ciphertext !== "string")
    throw malformed("missing iv/ciphertext");
  let iv: Uint8Array;
  let ciphertext: Uint8Array;
  try {
    iv = base64ToBytes(record.iv);
    ciphertext = base64ToBytes(record.ciphertext);
  } catch {
    throw malformed("invalid base64");
  }
  if (iv.length !== IV_BYTES) throw malformed(`IV must be ${IV_BYTES} bytes`);
  if (ciphertext.length < GCM_TAG_BYTES) throw malformed("ciphertext shorter than the GCM tag");
  return { iv, ciphertext };
}
