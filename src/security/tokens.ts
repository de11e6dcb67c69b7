// Bearer-token primitives: API key generation, the hash stored in place of a key, and constant-time comparison.
// Plaintext keys exist only in the response that issues them; nothing here stores or logs one.
import { bytesToBase64Url, bytesToHex } from "./base64";

export const API_KEY_PREFIX = "flux_";
const API_KEY_BYTES = 32;
const encoder = new TextEncoder();

/** `flux_` + base64url of 32 random bytes (256 bits). The prefix makes leaked keys greppable by secret scanners. */
export function generateApiKey(): string {
  return API_KEY_PREFIX + bytesToBase64Url(crypto.getRandomValues(new Uint8Array(API_KEY_BYTES)));
}

/**
 * SHA-256 hex of a key: what the database stores and looks keys up by. A slow KDF (bcrypt, scrypt, PBKDF2) exists
 * to make guessing low-entropy passwords expensive; our keys carry 256 random bits, so a stolen hash cannot be
 * brute-forced anyway, and a fast deterministic hash lets the lookup be an indexed equality on the hash.
 */
export async function hashApiKey(key: string): Promise<string> {
  return bytesToHex(await sha256(key));
}

/**
 * Constant-time string equality for any lengths. Both sides are hashed first, so the comparison always runs over
 * 32 bytes and its time depends neither on where the strings differ nor on their lengths (the only length signal
 * left is the hashing time of the inputs, which the caller's own token already reveals).
 */
export async function timingSafeEqual(a: string, b: string): Promise<boolean> {
  const [da, db] = await Promise.all([sha256(a), sha256(b)]);
  let diff = 0;
  for (let i = 0; i < da.length; i++) diff |= (da[i] ?? 0) ^ (db[i] ?? 0);
  return diff === 0;
}

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}
