// The one codec every recorded value goes through (SPEC §3.1): JSON plus tagged Date, Map, Set, BigInt,
// Uint8Array, undefined, non-finite numbers and errors. Events store the encoded form; a task's first run
// returns decode(encode(output)) so that the first run and every replay see identical values.
import { fromErrorRecord, isErrorRecord, toErrorRecord, type ErrorRecord } from "./errors.ts";

/** A JSON value, as stored in the event log and sent over the wire. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const TAG = "$flux";

export function encode(value: unknown): Json {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : { [TAG]: "Number", v: String(value) };
    case "undefined":
      return { [TAG]: "undefined" };
    case "bigint":
      return { [TAG]: "BigInt", v: value.toString() };
    case "function":
    case "symbol":
      return null;
    case "object":
      return encodeObject(value);
  }
}

function encodeObject(value: object | null): Json {
  if (value === null) return null;
  if (Array.isArray(value)) return value.map(encode);
  if (value instanceof Date) return { [TAG]: "Date", v: isNaN(value.getTime()) ? null : value.toISOString() };
  if (value instanceof Map) return { [TAG]: "Map", v: [...value].map(([k, v]) => [encode(k), encode(v)]) };
  if (value instanceof Set) return { [TAG]: "Set", v: [...value].map(encode) };
  if (value instanceof Uint8Array) return { [TAG]: "Bytes", v: bytesToBase64(value) };
  if (value instanceof Error) return { [TAG]: "Error", v: toErrorRecord(value) as unknown as Json };
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === "function") return encode(withToJson.toJSON());
  const out: { [key: string]: Json } = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    // Like JSON, drop function-valued properties; keep undefined (tagged) so shapes survive a round trip.
    if (typeof item === "function" || typeof item === "symbol") continue;
    out[key] = encode(item);
  }
  // A user object that happens to carry our tag key is escaped, so decode never misreads it.
  return TAG in out ? { [TAG]: "Object", v: out } : out;
}

export function decode(value: Json): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(decode);
  const tag = value[TAG];
  if (typeof tag !== "string") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = decode(value[key] as Json);
    return out;
  }
  const v = value.v as Json;
  switch (tag) {
    case "undefined":
      return undefined;
    case "Number":
      return Number(v);
    case "BigInt":
      return BigInt(String(v));
    case "Date":
      return new Date(v === null ? NaN : String(v));
    case "Map":
      return new Map((v as Json[][]).map(([k, x]) => [decode(k as Json), decode(x as Json)]));
    case "Set":
      return new Set((v as Json[]).map(decode));
    case "Bytes":
      return base64ToBytes(String(v));
    case "Error":
      return isErrorRecord(v) ? fromErrorRecord(v as ErrorRecord) : new Error(String(v));
    case "Object": {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(v as Record<string, Json>)) out[key] = decode(item);
      return out;
    }
    default:
      return value;
  }
}

/** encode then decode: what every reader of the log will see. */
export function roundTrip<T>(value: T): T {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  return decode(encode(value)) as T;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i] as number);
  return btoa(binary);
}

export function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
