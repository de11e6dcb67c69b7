// End-to-end against a real `wrangler dev`: public health, auth, and D1 state surviving a restart.
import { spawnSync } from "node:child_process";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type FluxServer } from "./harness";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(ROOT, "node_modules", ".bin");

/** Runs SQL against the server's local D1 through wrangler (same persist dir). */
function d1(persistDir: string, command: string): string {
  const result = spawnSync(
    join(BIN, "wrangler"),
    ["d1", "execute", "DB", "--local", "--persist-to", persistDir, "--json", "--command", command],
    {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, PATH: `${BIN}${delimiter}${process.env.PATH ?? ""}`, CI: "1" },
    },
  );
  if (result.status !== 0) throw new Error(result.stderr || result.stdout);
  return result.stdout;
}

describe("wrangler dev server", () => {
  let server: FluxServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("serves /health without a token", async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: "ok" });
  });

  it("rejects missing and bad tokens with 401 JSON", async () => {
    const missing = await fetch(`${server.url}/openapi.json`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { code: "unauthorized" } });
    const bad = await fetch(`${server.url}/openapi.json`, { headers: { Authorization: "Bearer nope" } });
    expect(bad.status).toBe(401);
    const good = await server.fetch("/openapi.json");
    expect(good.status).toBe(200);
  });

  it("keeps D1 data across a restart", async () => {
    // The migrations ledger and a row written while the server runs must both survive.
    d1(server.persistDir, "INSERT INTO workflows (name, latest_version) VALUES ('persisted', 1)");
    await server.restart();
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const out = d1(server.persistDir, "SELECT name FROM workflows; SELECT name FROM d1_migrations");
    expect(out).toContain("persisted");
    expect(out).toContain("0000_init.sql");
    expect(
      (await fetch(`${server.url}/openapi.json`, { headers: { Authorization: `Bearer ${server.token}` } }))
        .status,
    ).toBe(200);
  });
});
