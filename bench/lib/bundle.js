// Bundle a TypeScript benchmark entry for plain Node, with `flux` aliased to the SDK entry like vitest does.
//
// Why esbuild rather than `node --experimental-strip-types`: type stripping does not resolve the `flux`
// alias (it needs a loader hook or an import map), rejects TS-only syntax that the engine may use (parameter
// properties, enums: see TaskExecution's constructor), and is still experimental on Node 22. esbuild is
// already a dependency, bundles in ~100 ms, and a sourcemap lets the profiler map hot spots back to src/.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** Bundle `entry` (relative to the repo root) into a fresh temp dir; returns the .mjs path. */
export async function bundle(entry, { outName = "bundle.mjs" } = {}) {
  const outfile = join(mkdtempSync(join(tmpdir(), "flux-bench-")), outName);
  await build({
    entryPoints: [join(repoRoot, entry)],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    // Linked sourcemap: the bundle stays readable and CPU profiles map back to src/engine file:line.
    sourcemap: "linked",
    alias: { flux: join(repoRoot, "src/sdk/index.ts") },
    // Bundled CommonJS dependencies may call require(); give ESM output one.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    logLevel: "warning",
  });
  return outfile;
}
