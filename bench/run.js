// Benchmark dispatcher: `npm run bench -- <suite> [suite options]`. Suites are discovered, not listed here:
// every `bench/workloads/<name>.js` is one suite and exports `description` (one line) and `run(args)`.
// Adding a suite (http, the Cloudflare Workflows comparison...) means adding a file, never editing this one.
// With no suite, it prints the list and runs DEFAULT_SUITE. Benchmarks are not part of `npm test`.
import { readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const DEFAULT_SUITE = "compare";
const workloadsDir = fileURLToPath(new URL("./workloads/", import.meta.url));

async function loadSuites() {
  const files = readdirSync(workloadsDir)
    .filter((file) => file.endsWith(".js"))
    .sort();
  const suites = new Map();
  for (const file of files) {
    const module = await import(pathToFileURL(workloadsDir + file).href);
    if (typeof module.run !== "function") throw new Error(`bench/workloads/${file} must export run(args)`);
    suites.set(file.slice(0, -".js".length), { description: module.description ?? "", run: module.run });
  }
  return suites;
}

function printSuites(suites) {
  console.log("Benchmark suites (npm run bench -- <suite> [options]; <suite> --help for options):");
  for (const [name, { description }] of suites) {
    console.log(`  ${name.padEnd(12)} ${description}${name === DEFAULT_SUITE ? "  (default)" : ""}`);
  }
}

const [requested, ...args] = process.argv.slice(2);
const suites = await loadSuites();
if (requested === "list" || requested === "--list" || requested === "-h" || requested === "--help") {
  printSuites(suites);
} else {
  if (requested === undefined) {
    printSuites(suites);
    console.log(`\nNo suite given: running "${DEFAULT_SUITE}".\n`);
  }
  const name = requested ?? DEFAULT_SUITE;
  const suite = suites.get(name);
  if (!suite) {
    console.error(`Unknown benchmark suite "${name}".`);
    printSuites(suites);
    process.exit(2);
  }
  process.exitCode = (await suite.run(args)) ?? 0;
}
