// Task identity (SPEC §3.1): taskId = fullName + "_" + first 16 hex of SHA-256(canonical JSON of
// [fullName, args]). Canonical JSON sorts object keys, has no whitespace, and gives Date/Map/Set/BigInt/
// Uint8Array/undefined a tagged form. Functions and class instances are rejected at call time: an id that
// depended on object identity would not survive a replay in another isolate.
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { bytesToBase64 } from "./codec.ts";
import { AuthoringError } from "./errors.ts";

const encoder = new TextEncoder();

/** A value may define how it takes part in task ids (workflow objects use their name). */
export const canonicalForm = Symbol.for("flux.canonicalForm");

export function taskIdFor(fullName: string, args: readonly unknown[]): string {
  // Same text as canonicalJson([fullName, args]), but errors point at `args[i]` of this task.
  let text: string;
  try {
    text = `[${JSON.stringify(fullName)},${canonicalJson(args, "args")}]`;
  } catch (error) {
    if (error instanceof AuthoringError) throw new AuthoringError(`Task ${fullName}: ${error.message.replace(/^Task argument/, "argument")}`);
    throw error;
  }
  const known = idCache.get(text);
  if (known !== undefined) return known;
  // Only the first 8 bytes (16 hex digits) are used: hex-encode just those.
  const id = `${fullName}_${bytesToHex(sha256(encoder.encode(text)).subarray(0, 8))}`;
  if (text.length <= MAX_CACHED_TEXT) {
    if (idCache.size >= MAX_CACHED_IDS) idCache.clear();
    idCache.set(text, id);
  }
  return id;
}

/**
 * Ids are a pure function of the canonical text, so a replay in the same isolate (a resume of an execution
 * still in memory) can skip SHA-256. Bounded: small texts only, and the whole memo is dropped when full.
 */
const idCache = new Map<string, string>();
const MAX_CACHED_IDS = 50_000;
const MAX_CACHED_TEXT = 512;

export function canonicalJson(value: unknown, path = "$"): string {
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : `{"$number":"${String(value)}"}`;
    case "undefined":
      return `{"$undefined":true}`;
    case "bigint":
      return `{"$bigint":"${value.toString()}"}`;
    case "function":
      throw new AuthoringError(
        `Task argument ${path} is a function; task arguments must be plain data so the task id can be computed.`,
      );
    case "symbol":
      throw new AuthoringError(`Task argument ${path} is a symbol; task arguments must be plain data.`);
  }
  if (value === null) return "null";
  if (Array.isArray(value)) return `[${value.map((item, i) => canonicalJson(item, `${path}[${i}]`)).join(",")}]`;
  const custom = (value as { [canonicalForm]?: () => unknown })[canonicalForm];
  if (typeof custom === "function") return canonicalJson(custom.call(value), path);
  if (value instanceof Date) return JSON.stringify(isNaN(value.getTime()) ? null : value.toISOString());
  if (value instanceof Uint8Array) return `{"$bytes":"${bytesToBase64(value)}"}`;
  if (value instanceof Map) {
    const entries = [...value].map(([k, v], i) => [canonicalJson(k, `${path}.key${i}`), canonicalJson(v, `${path}.get(${i})`)]);
    entries.sort((a, b) => compare(a[0] as string, b[0] as string));
    return `{"$map":[${entries.map(([k, v]) => `[${k},${v}]`).join(",")}]}`;
  }
  if (value instanceof Set) {
    const items = [...value].map((item, i) => canonicalJson(item, `${path}.item${i}`)).sort(compare);
    return `{"$set":[${items.join(",")}]}`;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const className = (value as { constructor?: { name?: string } }).constructor?.name ?? "anonymous";
    throw new AuthoringError(
      `Task argument ${path} is an instance of ${className}; pass plain data (objects, arrays, strings, numbers, Date, Map, Set).`,
    );
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort(compare);
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key], `${path}.${key}`)}`).join(",")}}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
