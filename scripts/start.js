#!/usr/bin/env node
// `npm start`: local Flux server. First start generates an admin token and an encryption key into .dev.vars
// (git-ignored) and the token into .flux/token (read by the CLI); every start applies local D1 migrations and
// runs `wrangler dev` with state persisted under .wrangler/state. Plain Node ESM, no TypeScript.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "node_modules", ".bin");
const devVarsPath = join(root, ".dev.vars");
const tokenPath = join(root, ".flux", "token");
const port = Number(process.env.PORT ?? 8787);
const host = "127.0.0.1";
const persistTo = join(root, ".wrangler", "state");

// node_modules/.bin first, so wrangler's `#!/usr/bin/env node` finds the project's Node 22.
const childEnv = {
  ...process.env,
  PATH: `${bin}${delimiter}${process.env.PATH ?? ""}`,
  WRANGLER_SEND_METRICS: "false",
};

function parseVars(text) {
  const vars = {};
  for (const line of text.split(/\r?\n/)) {
    const match = line.match(/^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"?(.*?)"?\s*$/);
    if (match) vars[match[1]] = match[2];
  }
  return vars;
}

/** Reads .dev.vars, adding any missing generated values; never overwrites what the user set. */
function ensureDevVars() {
  const existing = existsSync(devVarsPath) ? readFileSync(devVarsPath, "utf8") : "";
  const vars = parseVars(existing);
  const added = [];
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
    writeFileSync(devVarsPath, `${prefix}${added.join("\n")}\n`, { mode: 0o600 });
    console.log(`Generated ${added.map((l) => l.split("=")[0]).join(" and ")} into .dev.vars`);
  }
  mkdirSync(dirname(tokenPath), { recursive: true });
  writeFileSync(tokenPath, `${vars.FLUX_ADMIN_TOKEN}\n`, { mode: 0o600 });
  return vars;
}

function run(args) {
  const result = spawnSync(join(bin, "wrangler"), args, {
    cwd: root,
    env: childEnv,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (result.status !== 0) {
    console.error(`wrangler ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

const vars = ensureDevVars();
run(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo]);

const url = `http://${host}:${port}`;
const dev = spawn(
  join(bin, "wrangler"),
  [
    "dev",
    "--ip",
    host,
    "--port",
    String(port),
    "--persist-to",
    persistTo,
    "--show-interactive-dev-session=false",
  ],
  { cwd: root, env: childEnv, stdio: ["ignore", "pipe", "inherit"] },
);

let announced = false;
dev.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  if (!announced && chunk.toString().includes("Ready on")) {
    announced = true;
    console.log(
      [
        "",
        `Flux is running at ${url}`,
        `Admin token: ${vars.FLUX_ADMIN_TOKEN}  (also in .flux/token)`,
        `Try: curl -H "Authorization: Bearer ${vars.FLUX_ADMIN_TOKEN}" ${url}/workflows`,
        `API docs: ${url}/docs (OpenAPI: ${url}/openapi.json)`,
        "",
      ].join("\n"),
    );
  }
});

for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
