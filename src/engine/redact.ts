// Secret values a task received must never reach the log (SPEC §5): every occurrence in a recorded string is
// replaced by "***" before the event is appended.
import type { Json } from "./codec.ts";

export function redactJson(value: Json, secrets: readonly string[]): Json {
  if (typeof value === "string") return redactString(value, secrets);
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => redactJson(item, secrets));
  const out: { [key: string]: Json } = {};
  for (const key of Object.keys(value)) out[key] = redactJson(value[key] as Json, secrets);
  return out;
}

export function redactString(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join("***");
  return out;
}
