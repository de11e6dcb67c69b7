// E2E harness: a real `wrangler dev` process on a free loopback port with its own persisted state.
// Tests (e2e, CLI) talk to it over HTTP only. Node only; never import this from workerd tests.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(ROOT, "node_modules", ".bin");
const HOST = "127.0.0.1";
const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 10_000;

export interface StartOptions {
  /** Reuse state across servers; default: a fresh temp dir, removed by `stop()`. */
  persistDir?: string;
  /** Default: a free port. */
  port?: number;
  /** Extra Worker vars (e.g. FLUX_MAX_BODY_BYTES). */
  vars?: Record<string, string>;
  /** Echo wrangler output to this process's stderr (debugging). */
  verbose?: boolean;
}

export interface FluxServer {
  url: string;
  token: string;
  persistDir: string;
  /** Authenticated fetch against the server: `server.fetch("/workflows")`. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Everything wrangler printed so far (for failure messages). */
  logs(): string;
  /** Stops the process (and removes the temp persist dir if the harness created it). */
  stop(): Promise<void>;
  /** Stops and starts again on the same port, token and persist dir; state must survive. */
  restart(): Promise<void>;
}

/** Child env: node_modules/.bin first so wrangler's `#!/usr/bin/env node` runs the project's Node 22. */
function childEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${BIN}${delimiter}${process.env.PATH ?? ""}`,
    WRANGLER_SEND_METRICS: "false",
    CI: "1",
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function applyMigrations(persistDir: string): void {
  const result = spawnSync(
    join(BIN, "wrangler"),
    ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistDir],
    {
      cwd: ROOT,
      env: childEnv(),
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  if (result.status !== 0) {
    throw new Error(
      `wrangler d1 migrations apply failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

/** Kills the whole process group (wrangler + workerd), escalating to SIGKILL. */
async function killGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // The group is already gone.
    }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), STOP_TIMEOUT_MS);
  await exited(child);
  clearTimeout(timer);
  // workerd may outlive wrangler briefly; make sure nothing in the group keeps the port.
  signal("SIGKILL");
}

async function waitForHealth(url: string, child: ChildProcess, logs: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`wrangler dev exited early (${child.exitCode ?? child.signalCode}):\n${logs()}`);
    }
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev not healthy after ${READY_TIMEOUT_MS}ms:\n${logs()}`);
}

export async function startServer(options: StartOptions = {}): Promise<FluxServer> {
  const ownsDir = options.persistDir === undefined;
  const persistDir = options.persistDir ?? mkdtempSync(join(tmpdir(), "flux-e2e-"));
  const port = options.port ?? (await freePort());
  const token = `e2e_${randomBytes(24).toString("base64url")}`;
  const url = `http://${HOST}:${port}`;
  const vars = {
    FLUX_ADMIN_TOKEN: token,
    FLUX_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    ...options.vars,
  };
  let output = "";
  let child: ChildProcess | undefined;

  applyMigrations(persistDir);

  async function launch(): Promise<void> {
    const inspectorPort = await freePort();
    const args = [
      "dev",
      "--ip",
      HOST,
      "--port",
      String(port),
      "--inspector-port",
      String(inspectorPort),
      "--persist-to",
      persistDir,
      "--show-interactive-dev-session=false",
      ...Object.entries(vars).flatMap(([key, value]) => ["--var", `${key}:${value}`]),
    ];
    const proc = spawn(join(BIN, "wrangler"), args, {
      cwd: ROOT,
      env: childEnv(),
      detached: true, // own process group, so stop() can kill wrangler and workerd together
      stdio: ["ignore", "pipe", "pipe"],
    });
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
      if (options.verbose) process.stderr.write(chunk);
    };
    proc.stdout?.on("data", collect);
    proc.stderr?.on("data", collect);
    child = proc;
    try {
      await waitForHealth(url, proc, () => output);
    } catch (error) {
      await killGroup(proc);
      throw error;
    }
  }

  await launch();

  return {
    url,
    token,
    persistDir,
    fetch: (path, init = {}) => {
      const headers = new Headers(init.headers);
      if (!headers.has("Authorization")) headers.set("Authorization", `Bearer ${token}`);
      return fetch(`${url}${path}`, { ...init, headers });
    },
    logs: () => output,
    async stop() {
      if (child) await killGroup(child);
      child = undefined;
      if (ownsDir) rmSync(persistDir, { recursive: true, force: true });
    },
    async restart() {
      if (child) await killGroup(child);
      await launch();
    },
  };
}
