// Encrypted secret rows in D1. Only ciphertext, IV and key version are stored; encryption and decryption happen
// in the caller (src/security's SecretCipher), so nothing here ever sees a plaintext value.
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "./client";
import { secrets, type SecretRow } from "./schema";

export interface SecretCiphertext {
  ciphertext: string;
  iv: string;
  keyVersion: string;
}

export type SecretSummary = Pick<SecretRow, "name" | "createdAt" | "updatedAt">;

/** Insert or replace the encrypted value; `created_at` survives an update. Returns whether the row is new. */
export async function putSecret(
  db: Db,
  name: string,
  value: SecretCiphertext,
  now: number = Date.now(),
): Promise<{ created: boolean; row: SecretSummary }> {
  const existing = await db
    .select({ createdAt: secrets.createdAt })
    .from(secrets)
    .where(eq(secrets.name, name))
    .get();
  const row = await db
    .insert(secrets)
    .values({ name, ...value, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: secrets.name,
      set: { ciphertext: value.ciphertext, iv: value.iv, keyVersion: value.keyVersion, updatedAt: now },
    })
    .returning({ name: secrets.name, createdAt: secrets.createdAt, updatedAt: secrets.updatedAt })
    .get();
  return { created: existing === undefined, row };
}

/** Names and timestamps only: listing never reads ciphertext. */
export async function listSecrets(db: Db): Promise<SecretSummary[]> {
  return db
    .select({ name: secrets.name, createdAt: secrets.createdAt, updatedAt: secrets.updatedAt })
    .from(secrets)
    .orderBy(asc(secrets.name))
    .all();
}

export async function getSecretRow(db: Db, name: string): Promise<SecretRow | undefined> {
  return db.select().from(secrets).where(eq(secrets.name, name)).get();
}

export async function getSecretRows(db: Db, names: readonly string[]): Promise<SecretRow[]> {
  if (names.length === 0) return [];
  return db
    .select()
    .from(secrets)
    .where(inArray(secrets.name, [...names]))
    .all();
}

/** Every row, for key rotation. */
export async function allSecretRows(db: Db): Promise<SecretRow[]> {
  return db.select().from(secrets).orderBy(asc(secrets.name)).all();
}

/** Replace the ciphertext of a row only if it still holds `expected` (a concurrent write wins over rotation). */
export async function replaceSecretCiphertext(
  db: Db,
  name: string,
  expected: SecretCiphertext,
  next: SecretCiphertext,
): Promise<boolean> {
  const rows = await db
    .update(secrets)
    .set({ ciphertext: next.ciphertext, iv: next.iv, keyVersion: next.keyVersion })
    .where(
      and(eq(secrets.name, name), eq(secrets.ciphertext, expected.ciphertext), eq(secrets.iv, expected.iv)),
    )
    .returning({ name: secrets.name })
    .all();
  return rows.length > 0;
}

export async function deleteSecret(db: Db, name: string): Promise<boolean> {
  const rows = await db.delete(secrets).where(eq(secrets.name, name)).returning({ name: secrets.name }).all();
  return rows.length > 0;
}
