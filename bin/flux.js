#!/usr/bin/env node
// `flux` launcher: runs the CLI bundle dist/cli.js, building it from src/cli first when it is missing or older
// than the sources — so a fresh `npm ci` clone works without a build step and an edited source is never run
// stale. The check is a few stat calls; the rebuild (~50 ms) happens only after a change.
import { pathToFileURL } from "node:url";
import { buildCli, isStale, OUT_FILE } from "./build-cli.js";

if (isStale()) {
  try {
    await buildCli();
  } catch (error) {
    process.stderr.write(
      `flux: cannot build the CLI (${error instanceof Error ? error.message : error}) — run \`npm ci\`\n`,
    );
    process.exit(3);
  }
}
const { main } = await import(pathToFileURL(OUT_FILE).href);
await main(process.argv);
