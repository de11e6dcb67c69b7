// `flux start server`: a local Flux server for the project — `wrangler dev` with the project's wrangler config,
// state under .wrangler/state (the same place `npm start` uses). First start generates the admin token and the
// encryption key into .dev.vars (never overwriting what is there) and the token into .flux/token, where the CLI
// finds it; every start applies the local D1 migrations first. `start worker` / `start mcp` come later.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { Command } from "commander";
import { findUp } from "../config";
import { CliError, ExitCode, usageError } from "../errors";
import { positiveInt } from "../options";

const WRANGLER_CONFIGS = ["wrangler.toml", "wrangler.jsonc", "wrangler.json"];

interface ServerOptions {
  host: string;
  port: number;
  persistTo?: string;
  inspectorPort?: number;
}

function projectRoot(): string {
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    if (WRANGLER_CONFIGS.some((name) => existsSync(join(dir, name)))) return dir;
    if (dirname(dir) === dir)
      throw usageError("no wrangler.toml here or above — run this inside a Flux project");
  }
}

function parseDevVars(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"?(.*?)"?\s*$/.exec(line);
    if (match) vars[match[1]!] = match[2]!;
  }
  return vars;
}

/** Adds a generated admin token / encryption key to .dev.vars when missing; writes the token to .flux/token. */
function ensureDevVars(root: string): string {
  const path = join(root, ".dev.vars");
  const existing = existsSync(path) ? readFileSync(path, "utf8") : "";
  const vars = parseDevVars(existing);
  const added: string[] = [];
  if (!vars.FLUX_ADMIN_TOKEN) {
    vars.FLUX_ADMIN_TOKEN = `flux_${randomBytes(32).toString("base64url")}`;
    added.push(`FLUX_ADMIN_TOKEN=${vars.FLUX_ADMIN_TOKEN}`);
  }
  if (!vars.FLUX_ENCRYPTION_KEY) {
    vars.FLUX_ENCRYPTION_KEY = randomBytes(32).toString("base64");
    added.push(`FLUX_ENCRYPTION_KEY=${vars.FLUX_ENCRYPTION_KEY}`);
  }
  if (added.length > 0) {
    const prefix = existing === "" || existing.endsWith("\n") ? existing : `${existing}\n`;
    writeFileSync(path, `${prefix}${added.join("\n")}\n`, { mode: 0o600 });
    console.log(`Generated ${added.map((l) => l.split("=")[0]).join(" and ")} into .dev.vars`);
  }
  mkdirSync(join(root, ".flux"), { recursive: true });
  writeFileSync(join(root, ".flux", "token"), `${vars.FLUX_ADMIN_TOKEN}\n`, { mode: 0o600 });
  return vars.FLUX_ADMIN_TOKEN;
}

async function startServer(opts: ServerOptions): Promise<void> {
  const root = projectRoot();
  const binDir = findUp(root, join("node_modules", ".bin", "wrangler"));
  if (binDir === undefined) throw usageError("wrangler is not installed — run `npm install` in the project");
  const bin = join(binDir, "node_modules", ".bin");
  const wrangler = join(bin, "wrangler");
  // node_modules/.bin first, so wrangler's `#!/usr/bin/env node` finds the project's Node.
  const env = {
    ...process.env,
    PATH: `${bin}${delimiter}${process.env.PATH ?? ""}`,
    WRANGLER_SEND_METRICS: "false",
  };
  const persistTo = opts.persistTo ?? join(root, ".wrangler", "state");

  const token = ensureDevVars(root);
  const migrate = spawnSync(
    wrangler,
    ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo],
    {
      cwd: root,
      env: { ...env, CI: "1" },
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
  if (migrate.status !== 0) {
    throw new CliError(
      `applying local D1 migrations failed (exit ${migrate.status ?? migrate.signal})`,
      ExitCode.server,
    );
  }

  const url = `http://${opts.host}:${opts.port}`;
  const args = ["dev", "--ip", opts.host, "--port", String(opts.port), "--persist-to", persistTo];
  if (opts.inspectorPort !== undefined) args.push("--inspector-port", String(opts.inspectorPort));
  args.push("--show-interactive-dev-session=false");
  const dev = spawn(wrangler, args, { cwd: root, env, stdio: ["ignore", "pipe", "inherit"] });
  let announced = false;
  dev.stdout.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    if (!announced && chunk.toString().includes("Ready on")) {
      announced = true;
      console.log(
        [
          "",
          `Flux is running at ${url}`,
          `Admin token (also in .flux/token): ${token}`,
          `API docs: ${url}/docs (Swagger UI; authorize with the token)`,
          "Try it:",
          `  curl -H "Authorization: Bearer ${token}" ${url}/workflows`,
          `  curl -X POST -H "Authorization: Bearer ${token}" -H "content-type: application/json" -d '"World"' ${url}/workflows/hello_world/run/sync`,
          "",
        ].join("\n"),
      );
    }
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => dev.kill(signal));
  const code = await new Promise<number>((resolve) =>
    dev.on("exit", (exit, signal) => resolve(exit ?? (signal ? 0 : 1))),
  );
  if (code !== 0) throw new CliError(`wrangler dev exited with ${code}`, ExitCode.server);
}

export function startCommand(): Command {
  const cmd = new Command("start").description("Run Flux processes locally");
  cmd
    .command("server")
    .description(
      "Run a local server: apply local D1 migrations, then `wrangler dev` with the project's config",
    )
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option(
      "-p, --port <port>",
      "port to listen on (default: $PORT or 8787)",
      positiveInt,
      Number(process.env.PORT ?? 8787),
    )
    .option("--persist-to <dir>", "local state folder (default: .wrangler/state)")
    .option(
      "--inspector-port <port>",
      "wrangler's devtools inspector port (default: wrangler's)",
      positiveInt,
    )
    .action(startServer);
  return cmd;
}
