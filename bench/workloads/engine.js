// Suite "engine": the pure engine inline, no I/O (bench/engine.ts). It is bundled with esbuild and run in a
// child Node process so it gets --expose-gc (heap figures), a fresh heap, and optionally --cpu-prof.
//
//   npm run bench -- engine [--trials 7] [--case seq-1k --case seq-10k|parallel-1k|replay-10k] [--no-save]
//                           [--no-heap] [--cpu-prof [--top 25]]
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { bundle, repoRoot } from "../lib/bundle.js";
import { printHotSpots } from "../lib/profile.js";

export const description =
  "inline engine: µs per no-op task (1k/10k sequential, 1k parallel), 10k replay, heap";

export async function run(args) {
  const { values } = parseArgs({
    args,
    options: {
      "cpu-prof": { type: "boolean", default: false },
      top: { type: "string", default: "25" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: false,
  });
  if (values.help) {
    console.log(
      "npm run bench -- engine [--trials N (≥3, default 7)] [--case NAME ...] [--no-save] [--no-heap] [--cpu-prof [--top N]]\n" +
        "  cases: seq-1k seq-10k parallel-1k replay-10k (seq-1k and seq-10k always run together)\n" +
        "  --no-heap   skip the GC-bracketed heap measurement\n" +
        "  --cpu-prof  profile the run (implies --no-heap) and print the hottest functions mapped to src/ file:line",
    );
    return 0;
  }
  const entry = await bundle("bench/engine.ts", { outName: "engine.mjs" });
  // Forward everything except the options handled here.
  const childArgs = values["cpu-prof"] ? ["--no-heap"] : [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--cpu-prof") continue;
    if (args[i] === "--top") {
      i++;
      continue;
    }
    childArgs.push(args[i]);
  }
  const profileDir = values["cpu-prof"] ? mkdtempSync(join(tmpdir(), "flux-bench-prof-")) : undefined;
  const nodeFlags = ["--expose-gc", "--enable-source-maps"];
  if (profileDir) nodeFlags.push("--cpu-prof", "--cpu-prof-dir", profileDir);
  const child = spawnSync(process.execPath, [...nodeFlags, entry, ...childArgs], {
    cwd: repoRoot,
    stdio: "inherit",
  });
  if (child.status !== 0) return child.status ?? 1;
  if (profileDir) {
    const profile = readdirSync(profileDir).find((file) => file.endsWith(".cpuprofile"));
    if (!profile) throw new Error(`no .cpuprofile written to ${profileDir}`);
    printHotSpots(join(profileDir, profile), { top: Number(values.top) });
  }
  return 0;
}
