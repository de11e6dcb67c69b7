// Execution ids: random 32-hex ids, or ids derived from an Idempotency-Key so every retry of a request maps to
// the same Durable Object (the object itself makes start idempotent, so there is no check-then-create race).
const encoder = new TextEncoder();

/** Ids we issue are 32 hex chars; accept uuid-like ids (and child ids) up to 64 chars, nothing else. */
export const EXECUTION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

export function randomExecutionId(): string {
  return crypto.randomUUID().replaceAll("-", "");
}

/** First 32 hex chars of SHA-256(workflow + ":" + key). */
export async function idempotentExecutionId(workflow: string, key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(`${workflow}:${key}`));
  return [...new Uint8Array(digest).slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** What the Durable Object and the D1 index store: scoped by workflow, so two workflows may share a key. */
export function scopedIdempotencyKey(workflow: string, key: string): string {
  return `${workflow}:${key}`;
}
