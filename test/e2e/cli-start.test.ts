// `flux start server`: applies local migrations, runs `wrangler dev` with the project's config, writes the
// admin token to .flux/token — after which the CLI needs no --token for that local server.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./harness";
import { buildCli, flux, FLUX_BIN, ROOT } from "./cli-run";

let child: ChildProcess | undefined;
let persistDir: string;
let output = "";

async function waitForHealth(url: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child?.exitCode !== null) throw new Error(`flux start server exited early:\n${output}`);
    try {
      if ((await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) })).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`flux start server never became healthy:\n${output}`);
}

describe("flux start server", () => {
  let url: string;
  beforeAll(async () => {
    buildCli();
    persistDir = mkdtempSync(join(tmpdir(), "flux-cli-start-"));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${join(ROOT, "node_modules", ".bin")}${delimiter}${process.env.PATH ?? ""}`,
    };
    for (const key of Object.keys(env)) if (key.startsWith("FLUX_")) delete env[key];
    const args = ["start", "server", "--port", String(port), "--persist-to", persistDir];
    args.push("--inspector-port", String(await freePort()));
    child = spawn(process.execPath, [FLUX_BIN, ...args], {
      cwd: ROOT,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
    await waitForHealth(url);
  });
  afterAll(async () => {
    if (child?.pid !== undefined && child.exitCode === null) {
      const exited = new Promise((r) => child!.once("exit", r));
      process.kill(-child.pid, "SIGTERM");
      const timer = setTimeout(() => process.kill(-child!.pid!, "SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
      try {
        process.kill(-child.pid, "SIGKILL"); // workerd may outlive wrangler briefly
      } catch {
        // the group is gone
      }
    }
    rmSync(persistDir, { recursive: true, force: true });
  });

  it("migrates, serves, and the CLI finds its token in .flux/token", async () => {
    expect(output).toContain("Migrations");
    const token = readFileSync(join(ROOT, ".flux", "token"), "utf8").trim();
    expect(token.length).toBeGreaterThan(10);
    const list = await flux(["workflow", "list", "--server-url", url, "-f", "json"]);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toContainEqual(expect.objectContaining({ name: "hello_world" }));
    const run = await flux(["workflow", "run", "hello_world", "Zoe", "--server-url", url]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Output:\s+Hello, Zoe/);
  });
});
