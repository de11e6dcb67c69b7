// Summarise a V8 .cpuprofile (node --cpu-prof): self time per function, mapped through the bundle's
// sourcemap back to the original file:line (src/engine/..., node_modules/...). Node's own SourceMap class
// does the mapping, so no dependency is needed.
import { readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { repoRoot } from "./bundle.js";

const maps = new Map();

function sourceMapFor(url) {
  if (!url.startsWith("file://")) return undefined;
  if (!maps.has(url)) {
    const file = fileURLToPath(url);
    let map;
    try {
      map = { dir: dirname(file), map: new SourceMap(JSON.parse(readFileSync(`${file}.map`, "utf8"))) };
    } catch {
      map = undefined;
    }
    maps.set(url, map);
  }
  return maps.get(url);
}

function locate(frame) {
  const { url, lineNumber, columnNumber, functionName } = frame;
  const name = functionName || "(anonymous)";
  if (!url) return { name, where: "(native/V8)" };
  const sm = sourceMapFor(url);
  const entry = sm?.map.findEntry(lineNumber, columnNumber);
  if (entry?.originalSource) {
    const original = relative(repoRoot, join(sm.dir, entry.originalSource.replace(/^file:\/\//, "")));
    return { name, where: `${original}:${entry.originalLine + 1}` };
  }
  return { name, where: `${url.replace(/^file:\/\//, "")}:${lineNumber + 1}` };
}

export function printHotSpots(path, { top = 25 } = {}) {
  const profile = JSON.parse(readFileSync(path, "utf8"));
  const dt = new Map();
  // timeDeltas[i] is the time before samples[i]; attribute it to that sample's node.
  profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...dt.values()].reduce((a, b) => a + b, 0);
  const byKey = new Map();
  for (const node of profile.nodes) {
    const self = dt.get(node.id) ?? 0;
    if (self === 0) continue;
    const { name, where } = locate(node.callFrame);
    const key = `${name} ${where}`;
    const row = byKey.get(key) ?? { name, where, self: 0 };
    row.self += self;
    byKey.set(key, row);
  }
  const rows = [...byKey.values()].sort((a, b) => b.self - a.self).slice(0, top);
  const byFile = new Map();
  for (const row of byKey.values()) {
    const file = row.where.replace(/:\d+$/, "");
    byFile.set(file, (byFile.get(file) ?? 0) + row.self);
  }
  console.log(
    `\nCPU profile ${path}\ntotal sampled ${(total / 1000).toFixed(0)} ms. Top ${top} by self time:`,
  );
  for (const row of rows) {
    console.log(
      `  ${((100 * row.self) / total).toFixed(1).padStart(5)}%  ${row.name.slice(0, 40).padEnd(40)} ${row.where}`,
    );
  }
  console.log("Self time by file (top 12):");
  for (const [file, self] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
    console.log(`  ${((100 * self) / total).toFixed(1).padStart(5)}%  ${file}`);
  }
}
