// API key rows in D1, looked up by hash only (the plaintext token is never stored or queried).
// The auth middleware adapts these rows to src/security's `StoredApiKey`.
import { and, asc, eq, isNull } from "drizzle-orm";
import type { Db } from "./client";
import { apiKeys, type ApiKeyRow } from "./schema";

export async function findApiKeyByHash(db: Db, keyHash: string): Promise<ApiKeyRow | undefined> {
  return db.select().from(apiKeys).where(eq(apiKeys.keyHash, keyHash)).get();
}

export type NewApiKeyRow = typeof apiKeys.$inferInsert;

/** Inserts a key; false when the name is taken (live or revoked: revoked names stay reserved). */
export async function insertApiKey(db: Db, row: NewApiKeyRow): Promise<boolean> {
  const rows = await db
    .insert(apiKeys)
    .values(row)
    .onConflictDoNothing({ target: apiKeys.name })
    .returning()
    .all();
  return rows.length > 0;
}

/** Every key, revoked ones included (for audits); never the hash. */
export async function listApiKeys(db: Db): Promise<Omit<ApiKeyRow, "keyHash">[]> {
  return db
    .select({
      name: apiKeys.name,
      role: apiKeys.role,
      keyPrefix: apiKeys.keyPrefix,
      createdAt: apiKeys.createdAt,
      expiresAt: apiKeys.expiresAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .orderBy(asc(apiKeys.name))
    .all();
}

/** Marks a live key revoked; false when there is no such live key. */
export async function revokeApiKey(db: Db, name: string, now: number = Date.now()): Promise<boolean> {
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.name, name), isNull(apiKeys.revokedAt)))
    .returning({ name: apiKeys.name })
    .all();
  return rows.length > 0;
}
