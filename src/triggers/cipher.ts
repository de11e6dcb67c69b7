// The secret cipher for trigger secrets (webhook signing keys), shared per isolate. A missing or unusable
// FLUX_ENCRYPTION_KEY becomes 503 `encryption_key_missing`/`encryption_key_invalid`: an operator must act.
import { SecretKeyError, secretCipherFromEnv, type SecretCipher } from "../security/index";
import type { Env } from "../worker/env";
import { NotConfiguredError } from "../worker/errors";

let cached: { key: string; cipher: Promise<SecretCipher> } | undefined;

export async function triggerCipher(env: Env): Promise<SecretCipher> {
  const key = `${env.FLUX_ENCRYPTION_KEY ?? ""}\u0000${env.FLUX_ENCRYPTION_KEY_PREVIOUS ?? ""}`;
  if (cached?.key !== key) cached = { key, cipher: secretCipherFromEnv(env) };
  try {
    return await cached.cipher;
  } catch (error) {
    cached = undefined;
    if (error instanceof SecretKeyError) throw new NotConfiguredError(error.code, error.message);
    throw error;
  }
}

/** Additional authenticated data for a webhook's secret: a ciphertext cannot be moved to another webhook. */
export const webhookSecretAad = (name: string): string => `webhook:${name}`;
