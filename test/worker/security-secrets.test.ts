// /admin/secrets end to end inside workerd: encryption at rest (raw D1 rows), tampering, swapped names, wrong
// keys, rotation from FLUX_ENCRYPTION_KEY_PREVIOUS, validation, and the refusal to store without a key.
import { env } from "cloudflare:workers";
import { createExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createSecretCipher } from "../../src/security/index";
import { createApp } from "../../src/worker/app";
import { bytesToBase64 } from "../../src/security/base64";
import { call, TEST_TOKEN, type ErrorJson } from "../workers/helpers";

interface SecretInfo {
  name: string;
  created_at: string;
  updated_at: string;
  value?: string;
}
interface RawRow {
  name: string;
  ciphertext: string;
  iv: string;
  key_version: string;
}

const unique = (label: string) => `${label}_${crypto.randomUUID().slice(0, 8)}`;
const json = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});
const setSecret = (name: string, value: string) => call("/admin/secrets", json({ name, value }));
const rawRow = (name: string) =>
  env.DB.prepare("SELECT * FROM secrets WHERE name = ?").bind(name).first<RawRow>();
const writeRaw = (row: RawRow) =>
  env.DB.prepare(
    "INSERT INTO secrets (name, ciphertext, iv, key_version) VALUES (?1, ?2, ?3, ?4) " +
      "ON CONFLICT(name) DO UPDATE SET ciphertext = ?2, iv = ?3, key_version = ?4",
  )
    .bind(row.name, row.ciphertext, row.iv, row.key_version)
    .run();

describe("secrets at rest", () => {
  it("stores only ciphertext: the raw row holds neither the value nor its base64", async () => {
    const name = unique("STRIPE_KEY");
    const value = "sk_live_plaintext-must-never-be-stored";
    expect((await setSecret(name, value)).status).toBe(201);
    const row = await rawRow(name);
    expect(row).not.toBeNull();
    const serialized = JSON.stringify(row);
    expect(serialized).not.toContain(value);
    expect(serialized).not.toContain(bytesToBase64(new TextEncoder().encode(value)).slice(0, 16));
    expect(row?.key_version).toMatch(/^[0-9a-f]{16}$/);
    expect(atob(row?.iv ?? "")).toHaveLength(12);
  });

  it("uses a fresh IV on every write, even for the same value", async () => {
    const name = unique("SAME");
    await setSecret(name, "same-value-twice");
    const first = await rawRow(name);
    await setSecret(name, "same-value-twice");
    const second = await rawRow(name);
    expect(second?.iv).not.toBe(first?.iv);
    expect(second?.ciphertext).not.toBe(first?.ciphertext);
  });
});

describe("secret routes", () => {
  it("create (201), update (200, created_at kept), read value, list names only, delete", async () => {
    const name = unique("API_TOKEN");
    const created = await setSecret(name, "first-value");
    expect(created.status).toBe(201);
    const createdBody = (await created.json()) as SecretInfo;
    expect(createdBody).toEqual({ name, created_at: expect.any(String), updated_at: expect.any(String) });

    const updated = await setSecret(name, "second-value");
    expect(updated.status).toBe(200);
    const updatedBody = (await updated.json()) as SecretInfo;
    expect(updatedBody.created_at).toBe(createdBody.created_at);

    const read = await call(`/admin/secrets/${name}`);
    expect(read.status).toBe(200);
    expect(read.headers.get("cache-control")).toBe("no-store");
    expect(((await read.json()) as SecretInfo).value).toBe("second-value");

    const list = await call("/admin/secrets");
    const listText = await list.text();
    expect(listText).not.toContain("second-value");
    const entry = (JSON.parse(listText) as SecretInfo[]).find((s) => s.name === name);
    expect(entry && Object.keys(entry).sort()).toEqual(["created_at", "name", "updated_at"]);

    expect((await call(`/admin/secrets/${name}`, { method: "DELETE" })).status).toBe(204);
    expect((await call(`/admin/secrets/${name}`)).status).toBe(404);
    const again = await call(`/admin/secrets/${name}`, { method: "DELETE" });
    expect(again.status).toBe(404);
    expect(((await again.json()) as ErrorJson).error.code).toBe("secret_not_found");
  });

  it("rejects bad names, too-short values and malformed bodies with 400", async () => {
    for (const body of [
      { name: "has space", value: "long-enough" },
      { name: "", value: "long-enough" },
      { name: "x".repeat(129), value: "long-enough" },
      { name: "OK_NAME", value: "abc" },
      { name: "OK_NAME", value: 12345 },
      { name: "OK_NAME" },
    ]) {
      const res = await call("/admin/secrets", json(body));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.text()).not.toContain("long-enough");
    }
    const malformed = await call("/admin/secrets", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(malformed.status).toBe(400);
  });

  it("caps request bodies (413)", async () => {
    const res = await setSecret("BIG", "x".repeat(200 * 1024));
    expect(res.status).toBe(413);
    expect(((await res.json()) as ErrorJson).error.code).toBe("payload_too_large");
  });

  it("refuses to store or read secrets without FLUX_ENCRYPTION_KEY (503, nothing written)", async () => {
    const app = createApp();
    const name = unique("NO_KEY");
    const noKeyEnv = { ...env, FLUX_ENCRYPTION_KEY: undefined };
    const res = await app.fetch(
      new Request("http://flux.test/admin/secrets", {
        method: "POST",
        headers: { authorization: `Bearer ${TEST_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ name, value: "would-be-plaintext" }),
      }),
      noKeyEnv,
      createExecutionContext(),
    );
    expect(res.status).toBe(503);
    const body = (await res.json()) as ErrorJson;
    expect(body.error.code).toBe("encryption_key_missing");
    expect(body.error.message).toContain("FLUX_ENCRYPTION_KEY");
    expect(await rawRow(name)).toBeNull();
  });
});

describe("integrity failures are clear errors, never garbage or plaintext", () => {
  it("tampered ciphertext → secret_auth_failed", async () => {
    const name = unique("TAMPER");
    await setSecret(name, "tamper-me-please");
    const row = (await rawRow(name)) as RawRow;
    const bytes = Uint8Array.from(atob(row.ciphertext), (ch) => ch.charCodeAt(0));
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    await writeRaw({ ...row, ciphertext: bytesToBase64(bytes) });
    const res = await call(`/admin/secrets/${name}`);
    expect(res.status).toBe(500);
    const body = (await res.json()) as ErrorJson;
    expect(body.error.code).toBe("secret_auth_failed");
    expect(body.error.message).toContain(name);
  });

  it("a ciphertext moved to another name fails (the name is bound as AAD)", async () => {
    const a = unique("SWAP_A");
    const b = unique("SWAP_B");
    await setSecret(a, "value-of-a-secret");
    await setSecret(b, "value-of-b-secret");
    const rowA = (await rawRow(a)) as RawRow;
    await writeRaw({ ...rowA, name: b });
    const res = await call(`/admin/secrets/${b}`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("value-of-a-secret");
    expect((JSON.parse(text) as ErrorJson).error.code).toBe("secret_auth_failed");
  });

  it("a value under an unknown key → secret_key_unknown; under the right version but wrong key → auth failure", async () => {
    const foreign = await createSecretCipher({ key: "a-completely-different-key-0123456789" });
    const name = unique("FOREIGN");
    const record = await foreign.encrypt(name, "foreign-secret-value");
    await writeRaw({ name, ciphertext: record.ciphertext, iv: record.iv, key_version: record.keyVersion });
    const unknown = await call(`/admin/secrets/${name}`);
    expect(unknown.status).toBe(500);
    expect(((await unknown.json()) as ErrorJson).error.code).toBe("secret_key_unknown");

    const current = await createSecretCipher({ key: env.FLUX_ENCRYPTION_KEY });
    await writeRaw({ name, ciphertext: record.ciphertext, iv: record.iv, key_version: current.keyVersion });
    const wrong = await call(`/admin/secrets/${name}`);
    expect(((await wrong.json()) as ErrorJson).error.code).toBe("secret_auth_failed");
    await call(`/admin/secrets/${name}`, { method: "DELETE" });
  });
});

describe("key rotation", () => {
  it("old values decrypt with FLUX_ENCRYPTION_KEY_PREVIOUS and are re-encrypted by POST /admin/secrets/rotate", async () => {
    const previous = await createSecretCipher({ key: env.FLUX_ENCRYPTION_KEY_PREVIOUS });
    const current = await createSecretCipher({ key: env.FLUX_ENCRYPTION_KEY });
    const name = unique("OLD_KEY");
    const old = await previous.encrypt(name, "written-under-the-old-key");
    await writeRaw({ name, ciphertext: old.ciphertext, iv: old.iv, key_version: old.keyVersion });

    const before = await call(`/admin/secrets/${name}`);
    expect(((await before.json()) as SecretInfo).value).toBe("written-under-the-old-key");

    const rotate = await call("/admin/secrets/rotate", { method: "POST" });
    expect(rotate.status).toBe(200);
    const report = (await rotate.json()) as {
      rotated: string[];
      unchanged: number;
      failed: { name: string }[];
    };
    expect(report.rotated).toContain(name);

    const row = (await rawRow(name)) as RawRow;
    expect(row.key_version).toBe(current.keyVersion);
    expect(row.ciphertext).not.toBe(old.ciphertext);
    expect(
      await current.decrypt(name, { ciphertext: row.ciphertext, iv: row.iv, keyVersion: row.key_version }),
    ).toBe("written-under-the-old-key");
    const after = await call(`/admin/secrets/${name}`);
    expect(((await after.json()) as SecretInfo).value).toBe("written-under-the-old-key");

    const second = (await (await call("/admin/secrets/rotate", { method: "POST" })).json()) as {
      rotated: string[];
    };
    expect(second.rotated).not.toContain(name);
  });

  it("also re-encrypts webhook signing secrets (AAD webhook:<name>) under the current key", async () => {
    const previous = await createSecretCipher({ key: env.FLUX_ENCRYPTION_KEY_PREVIOUS });
    const current = await createSecretCipher({ key: env.FLUX_ENCRYPTION_KEY });
    const name = unique("hook").toLowerCase();
    const old = await previous.encrypt(`webhook:${name}`, "old-signing-secret");
    await env.DB.prepare(
      `INSERT INTO webhooks (name, workflow_name, secret_ciphertext, secret_iv, secret_key_version, header, tolerance_s)
       VALUES (?, 'hello_world', ?, ?, ?, 'X-Flux-Signature', 300)`,
    )
      .bind(name, old.ciphertext, old.iv, old.keyVersion)
      .run();
    const report = (await (await call("/admin/secrets/rotate", { method: "POST" })).json()) as { rotated: string[] };
    expect(report.rotated).toContain(`webhook:${name}`);
    const row = await env.DB.prepare("SELECT secret_ciphertext, secret_iv, secret_key_version FROM webhooks WHERE name = ?")
      .bind(name)
      .first<{ secret_ciphertext: string; secret_iv: string; secret_key_version: string }>();
    expect(row?.secret_key_version).toBe(current.keyVersion);
    const record = { ciphertext: row?.secret_ciphertext as string, iv: row?.secret_iv as string, keyVersion: row?.secret_key_version as string };
    expect(await current.decrypt(`webhook:${name}`, record)).toBe("old-signing-secret");
    await env.DB.prepare("DELETE FROM webhooks WHERE name = ?").bind(name).run();
  });

  it("reports rows it cannot rotate without failing the others", async () => {
    const foreign = await createSecretCipher({ key: "yet-another-unrelated-key-0123456789" });
    const name = unique("UNROTATABLE");
    const record = await foreign.encrypt(name, "cannot-be-rotated");
    await writeRaw({ name, ciphertext: record.ciphertext, iv: record.iv, key_version: record.keyVersion });
    const report = (await (await call("/admin/secrets/rotate", { method: "POST" })).json()) as {
      failed: { name: string; code: string }[];
    };
    expect(report.failed).toContainEqual(expect.objectContaining({ name, code: "secret_key_unknown" }));
    await call(`/admin/secrets/${name}`, { method: "DELETE" });
  });
});
