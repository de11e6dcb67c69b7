// Authentication (bootstrap token, hashed API keys, expiry) and API key issuing.
import { describe, expect, it } from "vitest";
import {
  ApiKeyRequestError,
  authenticate,
  authorize,
  hashApiKey,
  issueApiKey,
  parseBearer,
  type StoredApiKey,
} from "../../src/security";

const NOW = new Date("2026-01-01T00:00:00.000Z");
const ADMIN_TOKEN = "bootstrap-admin-token-0123456789";

function store(rows: StoredApiKey[]) {
  return async (hash: string) => rows.find((row) => row.keyHash === hash) ?? null;
}

describe("parseBearer", () => {
  it.each([
    ["Bearer abc", "abc"],
    ["bearer abc", "abc"],
    ["Bearer   abc  ", "abc"],
    ["Basic abc", undefined],
    ["Bearer", undefined],
    ["Bearer a b", undefined],
    ["", undefined],
    [null, undefined],
  ])("%j → %j", (header, token) => {
    expect(parseBearer(header)).toBe(token);
  });
});

describe("issueApiKey", () => {
  it("returns the key once and stores only its hash", async () => {
    const { key, record } = await issueApiKey({ name: "ci", role: "operator", expiresInDays: 30, now: NOW });
    expect(key).toMatch(/^flux_/);
    expect(record.keyHash).toBe(await hashApiKey(key));
    expect(JSON.stringify(record)).not.toContain(key);
    expect(record.keyPrefix).toBe(key.slice(0, 9));
    expect(record).toMatchObject({ name: "ci", role: "operator", createdAt: NOW.toISOString() });
    expect(record.expiresAt).toBe("2026-01-31T00:00:00.000Z");
    expect((await issueApiKey({ name: "forever", role: "viewer", now: NOW })).record.expiresAt).toBeNull();
  });

  it.each([
    [{ name: "", role: "admin" }, "name"],
    [{ name: 5, role: "admin" }, "name"],
    [{ name: "x", role: "root" }, "role"],
    [{ name: "x", role: "admin", expiresInDays: 0 }, "expires_in_days"],
    [{ name: "x", role: "admin", expiresInDays: 1.5 }, "expires_in_days"],
    [{ name: "x", role: "admin", expiresInDays: "7" }, "expires_in_days"],
  ])("rejects %j (%s)", async (input, field) => {
    const error: unknown = await issueApiKey({ ...input, now: NOW }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiKeyRequestError);
    expect(error).toMatchObject({ code: "invalid_api_key_request", field });
  });
});

describe("authenticate", () => {
  it("fails without a token or with a malformed header", async () => {
    const options = { adminToken: ADMIN_TOKEN, findApiKey: store([]), now: NOW };
    expect(await authenticate(undefined, options)).toEqual({ ok: false, reason: "missing_token" });
    expect(await authenticate(`Basic ${ADMIN_TOKEN}`, options)).toEqual({
      ok: false,
      reason: "missing_token",
    });
  });

  it("accepts the bootstrap admin token and rejects near misses", async () => {
    const options = { adminToken: ADMIN_TOKEN, findApiKey: store([]), now: NOW };
    expect(await authenticate(`Bearer ${ADMIN_TOKEN}`, options)).toEqual({
      ok: true,
      principal: { name: "bootstrap-admin", role: "admin" },
    });
    for (const bad of [ADMIN_TOKEN.slice(0, -1), `${ADMIN_TOKEN}x`, ADMIN_TOKEN.toUpperCase()]) {
      expect(await authenticate(`Bearer ${bad}`, options)).toEqual({ ok: false, reason: "invalid_token" });
    }
    // An unset/empty admin token never matches (not even an empty-ish bearer).
    expect(await authenticate("Bearer x", { ...options, adminToken: "" })).toEqual({
      ok: false,
      reason: "invalid_token",
    });
  });

  it("accepts issued keys with their role, rejects unknown, expired, revoked keys", async () => {
    const live = await issueApiKey({ name: "reader", role: "viewer", expiresInDays: 1, now: NOW });
    const revoked = await issueApiKey({ name: "old", role: "admin", now: NOW });
    const rows: StoredApiKey[] = [live.record, { ...revoked.record, revokedAt: NOW.toISOString() }];
    const options = { adminToken: undefined, findApiKey: store(rows), now: NOW };

    const result = await authenticate(`Bearer ${live.key}`, options);
    expect(result).toEqual({
      ok: true,
      principal: { name: "reader", role: "viewer", keyId: live.record.id },
    });
    if (result.ok) {
      expect(authorize(result.principal, "execution:read")).toBe(true);
      expect(authorize(result.principal, "execution:run")).toBe(false);
    }
    expect(await authenticate("Bearer flux_unknown", options)).toEqual({
      ok: false,
      reason: "invalid_token",
    });
    expect(await authenticate(`Bearer ${revoked.key}`, options)).toEqual({
      ok: false,
      reason: "invalid_token",
    });
    const later = { ...options, now: new Date(NOW.getTime() + 86_400_000) };
    expect(await authenticate(`Bearer ${live.key}`, later)).toEqual({ ok: false, reason: "expired_token" });
  });

  it("rejects a row whose hash does not match exactly or whose role is unknown", async () => {
    const { key, record } = await issueApiKey({ name: "k", role: "admin", now: NOW });
    const sloppyLookup = async () => ({ ...record, keyHash: record.keyHash.toUpperCase() });
    expect(
      await authenticate(`Bearer ${key}`, { adminToken: undefined, findApiKey: sloppyLookup, now: NOW }),
    ).toEqual({
      ok: false,
      reason: "invalid_token",
    });
    const badRole = async () => ({ ...record, role: "root" });
    expect(
      await authenticate(`Bearer ${key}`, { adminToken: undefined, findApiKey: badRole, now: NOW }),
    ).toEqual({
      ok: false,
      reason: "invalid_token",
    });
  });
});
