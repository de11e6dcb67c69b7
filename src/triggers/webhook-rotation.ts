// Key rotation for webhook signing secrets (part of POST /admin/secrets/rotate): re-encrypt every webhook
// secret still under FLUX_ENCRYPTION_KEY_PREVIOUS with the current key. Same cipher, AAD `webhook:<name>`.
import { and, eq } from "drizzle-orm";
import { createDb } from "../db/index";
import { webhooks } from "../db/schema";
import { SecretDecryptError, type SecretCipher } from "../security/index";
import type { Env } from "../worker/env";
import { webhookSecretAad } from "./cipher";

export interface RotationReport {
  rotated: string[];
  unchanged: number;
  failed: { name: string; code: string; message: string }[];
}

export async function rotateWebhookSecrets(env: Env, cipher: SecretCipher): Promise<RotationReport> {
  const db = createDb(env.DB);
  const report: RotationReport = { rotated: [], unchanged: 0, failed: [] };
  for (const row of await db.select().from(webhooks).all()) {
    if (!row.secretCiphertext || !row.secretIv || !row.secretKeyVersion) continue;
    const current = { ciphertext: row.secretCiphertext, iv: row.secretIv, keyVersion: row.secretKeyVersion };
    if (!cipher.needsRotation(current)) {
      report.unchanged++;
      continue;
    }
    try {
      const next = await cipher.rotate(webhookSecretAad(row.name), current);
      // Compare-and-set on the old ciphertext: a concurrent re-save already wrote a current value.
      const written = await db
        .update(webhooks)
        .set({ secretCiphertext: next.ciphertext, secretIv: next.iv, secretKeyVersion: next.keyVersion })
        .where(and(eq(webhooks.name, row.name), eq(webhooks.secretCiphertext, current.ciphertext)))
        .returning({ name: webhooks.name })
        .all();
      if (written.length > 0) report.rotated.push(`webhook:${row.name}`);
      else report.unchanged++;
    } catch (error) {
      if (!(error instanceof SecretDecryptError)) throw error;
      report.failed.push({ name: `webhook:${row.name}`, code: error.code, message: error.message });
    }
  }
  return report;
}
