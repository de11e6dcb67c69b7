// Builds src/cli (TypeScript) into dist/cli.js with esbuild; used by `npm run build:cli` and, on demand, by
// bin/flux.js. npm dependencies stay imports (they are installed next to the project), so the build is tiny
// and fast (~50 ms). The output is written to a temp file and renamed, so concurrent builds never expose a
// half-written dist/cli.js. Plain Node ESM, no TypeScript.
import { mkdirSync, readdirSync, renameSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const SRC_DIR = join(ROOT, "src", "cli");
export const OUT_FILE = join(ROOT, "dist", "cli.js");

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** True when dist/cli.js is missing or older than a file under src/cli (or this script). */
export function isStale() {
  let built;
  try {
    built = statSync(OUT_FILE).mtimeMs;
  } catch {
    return true;
  }
  let sources;
  try {
    sources = Math.max(newestMtime(SRC_DIR), statSync(fileURLToPath(import.meta.url)).mtimeMs);
  } catch {
    return false; // no sources shipped (an installed package): use the build as it is
  }
  return sources > built;
}

export async function buildCli() {
  const { build } = await import("esbuild");
  mkdirSync(dirname(OUT_FILE), { recursive: true });
  const tmp = `${OUT_FILE}.${process.pid}.tmp`;
  await build({
    entryPoints: [join(SRC_DIR, "index.ts")],
    outfile: tmp,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    packages: "external",
    sourcemap: "inline",
    logLevel: "warning",
  });
  renameSync(tmp, OUT_FILE);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildCli();
  console.log(`built ${OUT_FILE}`);
}
