// A `wrangler dev` process on loopback for the HTTP benchmarks, with its own fresh persist dir, plus the
// workerd process's CPU and memory from /proc. Plain JS twin of test/e2e/harness.ts (that one is TypeScript
// and tied to Flux's vars); this one serves any wrangler config (Flux, bench/cf-workflows).
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, dirname, isAbsolute, join } from "node:path";
import { repoRoot } from "./bundle.js";

const BIN = join(repoRoot, "node_modules", ".bin");
const HOST = "127.0.0.1";
const READY_TIMEOUT_MS = 120_000;
const CLK_TCK = 100; // Linux USER_HZ; /proc/<pid>/stat times are in these ticks
const PAGE_KB = 4;

function childEnv() {
  return {
    ...process.env,
    // node_modules/.bin first, so wrangler's `#!/usr/bin/env node` runs the project's Node 22.
    PATH: `${BIN}${delimiter}${process.env.PATH ?? ""}`,
    WRANGLER_SEND_METRICS: "false",
    CI: "1",
  };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function wranglerVersion() {
  const out = spawnSync(join(BIN, "wrangler"), ["--version"], { env: childEnv(), encoding: "utf8" });
  return (out.stdout ?? "").trim().split("\n").pop();
}

/** Direct children of `pid`, from /proc/<pid>/task/<tid>/children. */
function childrenOf(pid) {
  const kids = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim();
      if (text) kids.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    // The process is gone.
  }
  return kids;
}

function commOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
}

function cmdlineOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  } catch {
    return [];
  }
}

/**
 * The workerd processes in the tree under `root`. wrangler dev runs two: a proxy that listens on the dev port
 * and the runtime that runs the Worker and its Durable Objects (started with an inspector, entry on port 0).
 * Returns { runtime, all }.
 */
export function findWorkerd(root) {
  const all = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift();
    if (pid !== root && commOf(pid).startsWith("workerd")) all.push(pid);
    queue.push(...childrenOf(pid));
  }
  const runtime =
    all.find((pid) => cmdlineOf(pid).some((arg) => arg.startsWith("--inspector-addr"))) ?? all.at(-1);
  return { runtime, all };
}

/** CPU (user+system, ms), RSS and peak RSS (VmHWM, KiB) of `pid`. */
export function procStats(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the ")" that ends comm: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const cpuMs = ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? NaN);
  const statm = readFileSync(`/proc/${pid}/statm`, "utf8").split(" ");
  return { cpuMs, rssKb: Number(statm[1]) * PAGE_KB, hwmKb: kb("VmHWM") };
}

async function waitReady(url, path, child, logs) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`wrangler dev exited early (${child.exitCode ?? child.signalCode}):\n${logs()}`);
    }
    try {
      const res = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`wrangler dev not ready after ${READY_TIMEOUT_MS} ms:\n${logs()}`);
}

/**
 * Start `wrangler dev` for `config` (a wrangler.toml relative to the repo root) on a free loopback port with
 * a fresh persist dir. `migrate` applies the D1 migrations first (Flux). Returns {url, pid, workerdPid,
 * stats(), logs(), stop()}. `template`: a persist dir to start from (copied).
 */
export async function startWrangler({
  config = "wrangler.toml",
  vars = {},
  migrate = false,
  template,
  readyPath = "/health",
} = {}) {
  const persistDir = mkdtempSync(join(tmpdir(), "flux-bench-state-"));
  // A copy of an already-migrated, never-served state dir: empty state without a migrations run each time.
  if (template) cpSync(template, persistDir, { recursive: true });
  const port = await freePort();
  const url = `http://${HOST}:${port}`;
  const inspectorPort = await freePort();
  const configPath = isAbsolute(config) ? config : join(repoRoot, config);
  if (migrate) {
    const out = spawnSync(
      join(BIN, "wrangler"),
      ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistDir, "-c", configPath],
      { cwd: repoRoot, env: childEnv(), encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
    if (out.status !== 0)
      throw new Error(`wrangler d1 migrations apply failed:\n${out.stdout}\n${out.stderr}`);
  }
  const args = [
    "dev",
    "-c",
    configPath,
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
  let output = "";
  const child = spawn(join(BIN, "wrangler"), args, {
    cwd: repoRoot,
    env: childEnv(),
    detached: true, // own process group: stop() ends wrangler and workerd together, nothing else
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (c) => (output += c));
  child.stderr.on("data", (c) => (output += c));
  const logs = () => output;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }, 8_000);
      await exited;
      clearTimeout(timer);
    }
    try {
      process.kill(-child.pid, "SIGKILL"); // workerd may outlive wrangler briefly
    } catch {
      // group gone
    }
    rmSync(persistDir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, readyPath, child, logs);
  } catch (error) {
    await stop();
    throw error;
  }
  const workerd = findWorkerd(child.pid);
  const workerdPid = workerd.runtime;
  const none = { cpuMs: NaN, rssKb: NaN, hwmKb: NaN };
  const safeStats = (pid) => {
    try {
      return procStats(pid);
    } catch {
      return none;
    }
  };
  return {
    url,
    inspectorUrl: `http://${HOST}:${inspectorPort}`,
    pid: child.pid,
    workerdPid,
    workerdPids: workerd.all,
    /** The runtime workerd's binary version (`workerd --version` of /proc/<pid>/exe). */
    workerdVersion: () => {
      const out = spawnSync(`/proc/${workerdPid}/exe`, ["--version"], { encoding: "utf8" });
      return (out.stdout ?? "").trim();
    },
    persistDir,
    logs,
    /** Runtime workerd: CPU ms, RSS and peak RSS (KiB); `proxyCpuMs` is the dev proxy's CPU. */
    stats: () => {
      const runtime = workerdPid ? safeStats(workerdPid) : none;
      const proxyCpuMs = workerd.all
        .filter((pid) => pid !== workerdPid)
        .reduce((sum, pid) => sum + safeStats(pid).cpuMs, 0);
      return { ...runtime, proxyCpuMs };
    },
    stop,
  };
}

/**
 * Bundle a Worker once (`wrangler deploy --dry-run`) into a temp dir and write a config that serves that bundle
 * as is (`no_bundle`). Why: `wrangler dev` of a source tree watches it, and Flux's [build] step (and every other
 * engineer's test server) rewrites src/generated/sandbox-modules.ts, which restarts the server mid-run ("Your
 * worker restarted mid-request"). The snapshot is the same code, bundled by the same wrangler, with nothing to
 * watch. `migrate`: also apply the D1 migrations to an empty state dir that each server starts from a copy of.
 * Returns { config, dir, template? }.
 */
export function snapshotWorker(config = "wrangler.toml", { migrate = false } = {}) {
  const source = isAbsolute(config) ? config : join(repoRoot, config);
  const sourceDir = dirname(source);
  const dir = mkdtempSync(join(tmpdir(), "flux-bench-bundle-"));
  const out = spawnSync(join(BIN, "wrangler"), ["deploy", "--dry-run", "--outdir", dir, "-c", source], {
    cwd: sourceDir,
    env: childEnv(),
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (out.status !== 0)
    throw new Error(`wrangler deploy --dry-run -c ${config} failed:\n${out.stdout}\n${out.stderr}`);
  const lines = [];
  let skipping = false;
  for (const line of readFileSync(source, "utf8").split("\n")) {
    const header = /^\s*\[\[?([^\]]+)\]\]?/.exec(line);
    if (header) skipping = header[1] === "build" || header[1] === "alias";
    if (skipping) continue;
    if (/^main\s*=/.test(line)) lines.push('main = "index.js"', "no_bundle = true");
    else if (/^migrations_dir\s*=/.test(line)) {
      const relative = JSON.parse(line.split("=")[1].trim());
      lines.push(`migrations_dir = ${JSON.stringify(join(sourceDir, relative))}`);
    } else lines.push(line);
  }
  const snapshotConfig = join(dir, "wrangler.toml");
  writeFileSync(snapshotConfig, lines.join("\n"));
  if (!migrate) return { config: snapshotConfig, dir };
  const template = join(dir, "state");
  const migrated = spawnSync(
    join(BIN, "wrangler"),
    ["d1", "migrations", "apply", "DB", "--local", "--persist-to", template, "-c", snapshotConfig],
    { cwd: repoRoot, env: childEnv(), encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
  if (migrated.status !== 0)
    throw new Error(`wrangler d1 migrations apply failed:\n${migrated.stdout}\n${migrated.stderr}`);
  return { config: snapshotConfig, dir, template };
}

/** The Flux snapshot: this project's wrangler.toml, migrated. */
export const snapshotFlux = () => snapshotWorker("wrangler.toml", { migrate: true });

export function removeSnapshot(snapshot) {
  rmSync(snapshot.dir, { recursive: true, force: true });
}

/** Start Flux (a snapshot bundle of this project) with an admin token. */
export async function startFlux({ snapshot } = {}) {
  const token = `bench_${randomBytes(24).toString("base64url")}`;
  const snap = snapshot ?? snapshotFlux();
  const server = await startWrangler({
    config: snap.config,
    template: snap.template,
    vars: { FLUX_ADMIN_TOKEN: token, FLUX_ENCRYPTION_KEY: randomBytes(32).toString("base64") },
  });
  return { ...server, token };
}
