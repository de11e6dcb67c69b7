// D1 rows for webhooks and their deliveries. Secrets arrive here already encrypted; nothing here decrypts.
import { and, asc, eq, lt } from "drizzle-orm";
import type { Db } from "../db/index";
import { webhookDeliveries, webhooks, type WebhookRow } from "../db/schema";

export type NewWebhook = Omit<WebhookRow, "createdAt" | "updatedAt">;

/** Insert or replace; `created_at` survives a replace. Returns whether the row is new. */
export async function putWebhook(
  db: Db,
  row: NewWebhook,
  now = Date.now(),
): Promise<{ created: boolean; row: WebhookRow }> {
  const existing = await db
    .select({ name: webhooks.name })
    .from(webhooks)
    .where(eq(webhooks.name, row.name))
    .get();
  const { name: _name, ...changes } = row;
  const saved = await db
    .insert(webhooks)
    .values({ ...row, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: webhooks.name, set: { ...changes, updatedAt: now } })
    .returning()
    .get();
  return { created: existing === undefined, row: saved };
}

export async function getWebhook(db: Db, name: string): Promise<WebhookRow | undefined> {
  return db.select().from(webhooks).where(eq(webhooks.name, name)).get();
}

export async function listWebhooks(db: Db): Promise<WebhookRow[]> {
  return db.select().from(webhooks).orderBy(asc(webhooks.name)).all();
}

/** Deletes the webhook and its delivery records. */
export async function deleteWebhook(db: Db, name: string): Promise<boolean> {
  const rows = await db
    .delete(webhooks)
    .where(eq(webhooks.name, name))
    .returning({ name: webhooks.name })
    .all();
  await db.delete(webhookDeliveries).where(eq(webhookDeliveries.webhookName, name));
  return rows.length > 0;
}

/** Records an accepted delivery (first one wins) and drops records older than `retainMs`. */
export async function recordDelivery(
  db: Db,
  delivery: { webhookName: string; deliveryId: string; executionId: string },
  retainMs: number,
  now = Date.now(),
): Promise<void> {
  await db.batch([
    db
      .insert(webhookDeliveries)
      .values({ ...delivery, receivedAt: now })
      .onConflictDoNothing(),
    db.delete(webhookDeliveries).where(lt(webhookDeliveries.receivedAt, now - retainMs)),
  ]);
}

export async function getDelivery(db: Db, webhookName: string, deliveryId: string) {
  return db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.webhookName, webhookName), eq(webhookDeliveries.deliveryId, deliveryId)))
    .get();
}
