// API key rows in D1, looked up by hash only (the plaintext token is never stored or queried).
// The auth middleware adapts these rows to src/security's `StoredApiKey`.
import { eq } from "drizzle-orm";
import type { Db } from "./client";
import { apiKeys, type ApiKeyRow } from "./schema";

export async function findApiKeyByHash(db: Db, keyHash: string): Promise<ApiKeyRow | undefined> {
  return db.select().from(apiKeys).where(eq(apiKeys.keyHash, keyHash)).get();
}
