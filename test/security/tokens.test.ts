// API key generation, hashing and constant-time comparison.
import { describe, expect, it } from "vitest";
import { API_KEY_PREFIX, generateApiKey, hashApiKey, timingSafeEqual } from "../../src/security";

describe("api key tokens", () => {
  it("generates unique flux_ keys with 32 random bytes of base64url", () => {
    const keys = new Set(Array.from({ length: 200 }, () => generateApiKey()));
    expect(keys.size).toBe(200);
    for (const key of keys) {
      expect(key.startsWith(API_KEY_PREFIX)).toBe(true);
      expect(key).toMatch(/^flux_[A-Za-z0-9_-]{43}$/);
    }
  });

  it("hashes deterministically to SHA-256 hex", async () => {
    const key = generateApiKey();
    expect(await hashApiKey(key)).toBe(await hashApiKey(key));
    expect(await hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(await hashApiKey(key)).not.toBe(await hashApiKey(generateApiKey()));
    // Known vector: SHA-256("abc").
    expect(await hashApiKey("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it.each([
    ["", "", true],
    ["a", "a", true],
    ["flux_abc", "flux_abc", true],
    ["é🔑", "é🔑", true],
    ["a", "b", false],
    ["abc", "abd", false],
    ["abc", "ab", false],
    ["ab", "abc", false],
    ["", "x", false],
    ["x".repeat(1000), "x".repeat(1001), false],
    ["Token", "token", false],
  ])("timingSafeEqual(%j, %j) is %s", async (a, b, expected) => {
    expect(await timingSafeEqual(a, b)).toBe(expected);
  });
});
