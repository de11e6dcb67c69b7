// The engine's Secrets port inside the Durable Object: names → decrypted values from D1, fetched at call
// time for the task that requested them. Values never leave this call except into that task's context.
import { inArray } from "drizzle-orm";
import { createDb } from "../db/index.ts";
import { secrets } from "../db/schema.ts";
import type { Secrets } from "../engine/index.ts";
import { secretCipherFromEnv } from "../security/index.ts";
import type { Env } from "../worker/env.ts";

export function d1Secrets(env: Env): Secrets {
  return {
    async get(names) {
      const rows = await createDb(env.DB).select().from(secrets).where(inArray(secrets.name, [...names])).all();
      const missing = names.filter((name) => !rows.some((row) => row.name === name));
      if (missing.length > 0) throw new Error(`The following secrets were not found: [${missing.join(", ")}]`);
      const cipher = await secretCipherFromEnv(env);
      const values: Record<string, string> = {};
      for (const row of rows) {
        values[row.name] = await cipher.decrypt(row.name, { ciphertext: row.ciphertext, iv: row.iv, keyVersion: String(row.keyVersion) });
      }
      return values;
    },
  };
}
