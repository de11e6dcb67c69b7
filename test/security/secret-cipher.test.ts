// AES-256-GCM secret storage: round trips, fresh IVs, tamper/AAD/wrong-key failures, key validation, rotation.
import { describe, expect, it } from "vitest";
import {
  createSecretCipher,
  generateEncryptionKey,
  SecretDecryptError,
  SecretKeyError,
  secretCipherFromEnv,
  type EncryptedSecret,
} from "../../src/security";

const KEY = generateEncryptionKey();
const OTHER_KEY = generateEncryptionKey();

async function expectDecryptError(
  promise: Promise<unknown>,
  code: string,
  plaintext?: string,
): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SecretDecryptError);
  expect((error as SecretDecryptError).code).toBe(code);
  if (plaintext !== undefined) expect((error as Error).message).not.toContain(plaintext);
}

function flipFirstByte(base64: string): string {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  return btoa(String.fromCharCode(...bytes));
}

describe("secret cipher", () => {
  it("round-trips values, including empty, unicode and a leading BOM", async () => {
    const cipher = await createSecretCipher({ key: KEY });
    for (const value of ["sk-live-123456", "", "pässwörd 🔑 秘密", "\uFEFFbom", "x".repeat(10_000)]) {
      const record = await cipher.encrypt("API_KEY", value);
      expect(record.keyVersion).toBe(cipher.keyVersion);
      expect(record.ciphertext).not.toContain(value || "never-empty");
      expect(await cipher.decrypt("API_KEY", record)).toBe(value);
    }
  });

  it("uses a fresh 12-byte IV per encryption", async () => {
    const cipher = await createSecretCipher({ key: KEY });
    const a = await cipher.encrypt("TOKEN", "same value");
    const b = await cipher.encrypt("TOKEN", "same value");
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(atob(a.iv)).toHaveLength(12);
  });

  it("derives the same key (and version) from the same material", async () => {
    const first = await createSecretCipher({ key: KEY });
    const second = await createSecretCipher({ key: `  ${KEY}\n` });
    expect(second.keyVersion).toBe(first.keyVersion);
    expect(first.keyVersion).toMatch(/^[0-9a-f]{16}$/);
    expect(await second.decrypt("A", await first.encrypt("A", "value"))).toBe("value");
  });

  it("rejects tampered ciphertext, tampered IV, a swapped name and a wrong key", async () => {
    const cipher = await createSecretCipher({ key: KEY });
    const secret = "super-secret-value";
    const record = await cipher.encrypt("STRIPE_KEY", secret);

    await expectDecryptError(
      cipher.decrypt("STRIPE_KEY", { ...record, ciphertext: flipFirstByte(record.ciphertext) }),
      "secret_auth_failed",
      secret,
    );
    await expectDecryptError(
      cipher.decrypt("STRIPE_KEY", { ...record, iv: flipFirstByte(record.iv) }),
      "secret_auth_failed",
      secret,
    );
    await expectDecryptError(cipher.decrypt("OTHER_NAME", record), "secret_auth_failed", secret);

    const wrong = await createSecretCipher({ key: OTHER_KEY });
    await expectDecryptError(wrong.decrypt("STRIPE_KEY", record), "secret_key_unknown", secret);
    // Even when the record claims the right version, the wrong key fails authentication.
    await expectDecryptError(
      wrong.decrypt("STRIPE_KEY", { ...record, keyVersion: wrong.keyVersion }),
      "secret_auth_failed",
      secret,
    );
  });

  it("rejects malformed records", async () => {
    const cipher = await createSecretCipher({ key: KEY });
    const record = await cipher.encrypt("A", "value");
    await expectDecryptError(
      cipher.decrypt("A", { ...record, iv: "not base64!" }),
      "secret_record_malformed",
    );
    await expectDecryptError(
      cipher.decrypt("A", { ...record, iv: btoa("short") }),
      "secret_record_malformed",
    );
    await expectDecryptError(
      cipher.decrypt("A", { ...record, ciphertext: btoa("x") }),
      "secret_record_malformed",
    );
    await expectDecryptError(
      cipher.decrypt("A", { iv: record.iv } as unknown as EncryptedSecret),
      "secret_record_malformed",
    );
  });

  it("refuses to work without a key, with a clear error", async () => {
    for (const key of [undefined, "", "   "]) {
      const error: unknown = await createSecretCipher({ key }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SecretKeyError);
      expect((error as SecretKeyError).code).toBe("encryption_key_missing");
      expect((error as Error).message).toContain("FLUX_ENCRYPTION_KEY");
    }
    await expect(secretCipherFromEnv({})).rejects.toMatchObject({ code: "encryption_key_missing" });
  });

  it("rejects too-short keys without echoing them, accepts 32+ char strings and base64 of 32 bytes", async () => {
    const short = "too-short-key-material";
    const error: unknown = await createSecretCipher({ key: short }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretKeyError);
    expect((error as SecretKeyError).code).toBe("encryption_key_invalid");
    expect((error as Error).message).not.toContain(short);
    // base64 of 16 bytes is only 24 chars: too short either way.
    await expect(createSecretCipher({ key: btoa("0123456789abcdef") })).rejects.toMatchObject({
      code: "encryption_key_invalid",
    });
    await expect(createSecretCipher({ key: "k".repeat(31) })).rejects.toBeInstanceOf(SecretKeyError);
    await expect(createSecretCipher({ key: "k".repeat(32) })).resolves.toBeDefined();
    const urlSafe = KEY.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    expect((await createSecretCipher({ key: urlSafe })).keyVersion).toBe(
      (await createSecretCipher({ key: KEY })).keyVersion,
    );
    await expect(createSecretCipher({ key: KEY, previousKey: "short" })).rejects.toMatchObject({
      code: "encryption_key_invalid",
    });
  });

  it("rotates: old records decrypt via previousKey and re-encrypt under the new key", async () => {
    const oldCipher = await createSecretCipher({ key: OTHER_KEY });
    const oldRecord = await oldCipher.encrypt("DB_PASSWORD", "hunter2-hunter2");

    const cipher = await createSecretCipher({ key: KEY, previousKey: OTHER_KEY });
    expect(cipher.previousKeyVersion).toBe(oldCipher.keyVersion);
    expect(cipher.needsRotation(oldRecord)).toBe(true);
    expect(await cipher.decrypt("DB_PASSWORD", oldRecord)).toBe("hunter2-hunter2");

    const rotated = await cipher.rotate("DB_PASSWORD", oldRecord);
    expect(rotated.keyVersion).toBe(cipher.keyVersion);
    expect(rotated.keyVersion).not.toBe(oldRecord.keyVersion);
    expect(cipher.needsRotation(rotated)).toBe(false);
    expect(await cipher.rotate("DB_PASSWORD", rotated)).toBe(rotated);

    // After the previous key is removed, only the rotated record is readable.
    const newOnly = await createSecretCipher({ key: KEY });
    expect(await newOnly.decrypt("DB_PASSWORD", rotated)).toBe("hunter2-hunter2");
    await expectDecryptError(newOnly.decrypt("DB_PASSWORD", oldRecord), "secret_key_unknown");
    // Rotation keeps the name binding.
    await expectDecryptError(cipher.rotate("OTHER", oldRecord), "secret_auth_failed");
  });

  it("ignores a previous key equal to the current one", async () => {
    const cipher = await createSecretCipher({ key: KEY, previousKey: KEY });
    expect(cipher.previousKeyVersion).toBeUndefined();
  });
});
