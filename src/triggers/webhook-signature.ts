// Webhook signatures (SPEC §5), in the style of Stripe/Slack: the signature header carries
//
//   t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
//
// Several `v1=` entries may be present (a sender rotating secrets); one match is enough. The timestamp must be
// within `toleranceS` of the server clock in either direction, which bounds replays. Comparison is constant-time
// (both sides hashed, then compared). Pure Web Crypto: runs in workerd and Node.
import { timingSafeEqual } from "../security/index";

const encoder = new TextEncoder();

export type SignatureFailure =
  "signature_missing" | "signature_malformed" | "signature_expired" | "signature_invalid";

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: SignatureFailure };

const hex = (bytes: ArrayBuffer): string =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

export async function hmacSha256Hex(secret: string, payload: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return hex(await crypto.subtle.sign("HMAC", key, encoder.encode(payload)));
}

/** The header value a sender puts on a request (used by tests, the CLI and docs). */
export async function signWebhook(secret: string, body: string, timestampS: number): Promise<string> {
  return `t=${timestampS},v1=${await hmacSha256Hex(secret, `${timestampS}.${body}`)}`;
}

export function parseSignatureHeader(value: string): { timestamp: number; signatures: string[] } | null {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of value.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const val = part.slice(eq + 1).trim();
    if (key === "t" && /^\d{1,12}$/.test(val)) timestamp = Number(val);
    else if (key === "v1" && /^[0-9a-fA-F]{64}$/.test(val)) signatures.push(val.toLowerCase());
  }
  if (timestamp === undefined || signatures.length === 0) return null;
  return { timestamp, signatures };
}

export async function verifyWebhookSignature(
  secret: string,
  header: string | undefined,
  body: string,
  toleranceS: number,
  nowMs: number,
): Promise<VerifyResult> {
  if (header === undefined || header.trim() === "") return { ok: false, reason: "signature_missing" };
  const parsed = parseSignatureHeader(header);
  if (!parsed) return { ok: false, reason: "signature_malformed" };
  const expected = await hmacSha256Hex(secret, `${parsed.timestamp}.${body}`);
  let matched = false;
  // Every candidate is compared (no early exit) so timing does not reveal which one matched.
  for (const candidate of parsed.signatures) {
    if (await timingSafeEqual(candidate, expected)) matched = true;
  }
  if (!matched) return { ok: false, reason: "signature_invalid" };
  // Checked after the MAC so an attacker cannot learn anything about the clock without a valid signature.
  if (Math.abs(nowMs / 1000 - parsed.timestamp) > toleranceS)
    return { ok: false, reason: "signature_expired" };
  return { ok: true, timestamp: parsed.timestamp };
}
