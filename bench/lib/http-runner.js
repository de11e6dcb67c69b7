// Runs the HTTP workloads (bench/lib/workloads.js) on one or more engines (bench/lib/engines.js): a fresh server
// with empty state per workload and engine, one warm-up and N measured trials, runtime CPU and peak RSS of the
// workerd process from /proc, medians, targets, a table on stdout and JSON lines in bench/results/<suite>.jsonl.
import { execFileSync } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg, cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "./bundle.js";
import { startProfiler } from "./inspector.js";
import { printHotSpots } from "./profile.js";
import { miniflareVersion, wranglerVersion } from "./engines.js";
import { RUNTIME_METRICS, WORKLOADS } from "./workloads.js";

export const HTTP_OPTIONS_HELP = `  --trials N     measured trials per workload (default 3, after 1 warm-up)
  --quick        1 trial, no warm-up (a smoke run; results are not saved)
  --only W1,W4   run only these workloads
  --cap-s S      if an engine's warm-up takes longer than S seconds (default 90), report it alone
  --no-save      do not append to bench/results/
  --cpu-prof     CPU-profile the Worker (workerd inspector) during the measured trials of each workload and
                 print the hot spots mapped to src/ (implies --no-save; profiling slows the runtime)`;

export function parseHttpArgs(args) {
  const { values } = parseArgs({
    args,
    options: {
      trials: { type: "string", default: "3" },
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      "cap-s": { type: "string", default: "90" },
      "no-save": { type: "boolean", default: false },
      "cpu-prof": { type: "boolean", default: false },
      top: { type: "string", default: "25" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  return {
    help: values.help,
    trials: values.quick ? 1 : Math.max(1, Number(values.trials)),
    warmup: values.quick ? 0 : 1,
    quick: values.quick,
    only: values.only ? new Set(values.only.split(",").map((s) => s.trim().toUpperCase())) : undefined,
    capMs: Number(values["cap-s"]) * 1000,
    save: !values["no-save"] && !values.quick && !values["cpu-prof"],
    cpuProf: values["cpu-prof"],
    top: Number(values.top),
  };
}

export const median = (xs) => {
  const s = [...xs].filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

function git(...args) {
  try {
    return execFileSync("git", args, { cwd: repoRoot, encoding: "utf8" }).trim();
  } catch {
    return "?";
  }
}

/** workerd names the Worker's script by its bare file name; point it at the bundle so its .map is found. */
function mapToBundle(path, bundleDir) {
  const profile = JSON.parse(readFileSync(path, "utf8"));
  for (const node of profile.nodes) {
    const url = node.callFrame.url;
    if (url && !url.includes(":")) node.callFrame.url = `file://${join(bundleDir, url)}`;
  }
  writeFileSync(path, JSON.stringify(profile));
}

/** Runs one workload on one engine (fresh server); returns { values: {metric: [..]}, cpu, peakMiB, notes }. */
async function measure(workload, engineDef, ctx) {
  const notes = [];
  const engine = await engineDef.start();
  ctx.versions[engineDef.name] ??= engine.versions();
  const values = {};
  const cpu = [];
  let capped = false;
  try {
    for (let i = 0; i < ctx.options.warmup; i++) {
      const started = Date.now();
      const result = await workload.trial(engine, { suite: ctx.suite, warmup: true, notes });
      const took = Date.now() - started;
      if (took > ctx.options.capMs) {
        capped = true;
        notes.push(
          `${workload.id} ${engineDef.label}: warm-up took ${(took / 1000).toFixed(1)} s > cap; reported from it alone`,
        );
        for (const [key, value] of Object.entries(result)) values[key] = [value];
      }
    }
    const profiler =
      ctx.options.cpuProf && !capped ? await startProfiler(engine.server.inspectorUrl) : undefined;
    for (let i = 0; i < ctx.options.trials && !capped; i++) {
      const before = engine.stats().cpuMs;
      const result = await workload.trial(engine, {
        suite: ctx.suite,
        warmup: i === 0 && ctx.options.warmup === 0,
        notes,
      });
      cpu.push(engine.stats().cpuMs - before);
      for (const [key, value] of Object.entries(result)) (values[key] ??= []).push(value);
    }
    if (profiler) {
      const path = await profiler.stop(
        join(mkdtempSync(join(tmpdir(), "flux-bench-prof-")), `${workload.id}-${engineDef.name}.cpuprofile`),
      );
      if (engine.bundleDir) mapToBundle(path, engine.bundleDir);
      console.log(`\n=== CPU profile of the Worker, ${workload.id} ${engineDef.label}, measured trials ===`);
      printHotSpots(path, { top: ctx.options.top });
    }
    return { values, cpu, peakMiB: engine.stats().hwmKb / 1024, notes, capped };
  } finally {
    await engine.stop();
  }
}

function fmt(value, digits) {
  if (value === undefined || !Number.isFinite(value)) return "—";
  return value.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function targetText(t) {
  if (!t) return "";
  return t.kind === "ratio" ? `≥ ${t.value}× CF` : `${t.op} ${t.value}`;
}

/** How many times better Flux is than Cloudflare on this metric (>1 = Flux better). */
function advantage(metric, flux, cf) {
  if (!Number.isFinite(flux) || !Number.isFinite(cf) || flux === 0 || cf === 0) return NaN;
  return metric.better === "lower" ? cf / flux : flux / cf;
}

function judge(target, flux, cf, metric) {
  if (!target || !Number.isFinite(flux)) return undefined;
  if (target.kind === "ratio") {
    const adv = advantage(metric, flux, cf);
    return Number.isFinite(adv) ? adv >= target.value : undefined;
  }
  return target.op === "<=" ? flux <= target.value : flux >= target.value;
}

function renderTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells.map((c, i) => (i < 2 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join("  ");
  const md = (cells) => `| ${cells.join(" | ")} |`;
  return {
    text: [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n"),
    markdown: [md(header), md(header.map((_, i) => (i < 2 ? "---" : "---:"))), ...rows.map(md)].join("\n"),
  };
}

/**
 * suite: "http" | "compare"; engines: engine definitions (Flux first); targets: [{ workload, metric, kind:
 * "abs" | "ratio", op, value }]. Returns the exit code (0 even when targets miss: the table says which).
 */
export async function runHttpSuite({ suite, engines, targets, options, onMarkdown }) {
  const started = Date.now();
  const commit = git("rev-parse", "--short", "HEAD");
  const dirty = git("status", "--porcelain", "--", "src", "bench").length > 0;
  const ctx = { suite, options, versions: {} };
  const workloads = WORKLOADS.filter((w) => !options.only || options.only.has(w.id)).filter((w) =>
    engines.some((e) => w.engines.includes(e.name)),
  );
  const load0 = loadavg()[0];
  console.log(
    `${suite}: ${workloads.map((w) => w.id).join(" ")} on ${engines.map((e) => e.label).join(" and ")}; ` +
      `${options.warmup} warm-up + ${options.trials} trial(s), a fresh server with empty state per workload and engine\n` +
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")} on ${cpus().length} CPUs`,
  );
  for (const e of engines) e.prepare();
  const results = []; // { workload, engine, metric, values, median }
  const notes = [];
  try {
    for (const workload of workloads) {
      for (const engineDef of engines.filter((e) => workload.engines.includes(e.name))) {
        const t = Date.now();
        process.stdout.write(`  ${workload.id} ${engineDef.label.padEnd(13)}`);
        try {
          const r = await measure(workload, engineDef, ctx);
          notes.push(...r.notes);
          for (const metric of [...workload.metrics(suite), ...RUNTIME_METRICS]) {
            const values =
              metric.key === "cpu_ms"
                ? r.cpu
                : metric.key === "peak_rss_mib"
                  ? [r.peakMiB]
                  : (r.values[metric.key] ?? []);
            results.push({
              workload,
              engine: engineDef,
              metric,
              values,
              median: median(values),
              capped: r.capped,
            });
          }
          const main =
            workload.metrics(suite).at(-1).key === "wall_ms_1000"
              ? "us_per_task_1000"
              : workload.metrics(suite)[0].key;
          console.log(
            ` ${main} ${(r.values[main] ?? []).map((v) => fmt(v, 1)).join(", ")}  (${((Date.now() - t) / 1000).toFixed(1)} s)`,
          );
        } catch (error) {
          console.log(` FAILED: ${error.message.split("\n")[0]}`);
          notes.push(`${workload.id} ${engineDef.label} failed: ${error.message.split("\n")[0]}`);
        }
      }
    }
  } finally {
    for (const e of engines) e.dispose();
  }

  const compare = engines.length > 1;
  const header = compare
    ? ["Workload", "Metric", "Flux", "CF Workflows", "Flux/CF", "Flux advantage", "Target", "Pass"]
    : ["Workload", "Metric", "Flux", "Target", "Pass"];
  const rows = [];
  const verdicts = [];
  for (const workload of workloads) {
    for (const metric of [...workload.metrics(suite), ...RUNTIME_METRICS]) {
      const find = (name) =>
        results.find((r) => r.workload === workload && r.engine.name === name && r.metric.key === metric.key);
      const flux = find("flux");
      const cf = find("cloudflare");
      if (!flux && !cf) continue;
      const target = targets.find((t) => t.workload === workload.id && t.metric === metric.key);
      const pass = judge(target, flux?.median, cf?.median, metric);
      if (target) verdicts.push({ workload: workload.id, metric: metric.key, pass });
      const label = `${metric.label}${metric.unit && !metric.label.includes(metric.unit) ? ` (${metric.unit})` : ""}`;
      const passText = pass === undefined ? (target ? "n/a" : "") : pass ? "PASS" : "FAIL";
      const cfCell = cf
        ? fmt(cf.median, metric.digits) + (cf.capped ? "*" : "")
        : workload.engines.includes("cloudflare")
          ? "failed"
          : "—";
      if (compare) {
        const ratio = flux && cf ? flux.median / cf.median : NaN;
        const adv = advantage(metric, flux?.median, cf?.median);
        rows.push([
          workload.id,
          label,
          fmt(flux?.median, metric.digits),
          cfCell,
          fmt(ratio, ratio < 0.1 ? 4 : 2),
          Number.isFinite(adv) ? `${fmt(adv, adv < 10 ? 2 : 1)}×` : "—",
          targetText(target),
          passText,
        ]);
      } else {
        rows.push([workload.id, label, fmt(flux?.median, metric.digits), targetText(target), passText]);
      }
      for (const r of [flux, cf].filter(Boolean)) {
        r.line = {
          suite,
          time: new Date().toISOString(),
          commit,
          dirty,
          engine: r.engine.name,
          workload: workload.id,
          metric: metric.key,
          unit: metric.unit,
          median: r.median,
          values: r.values,
          trials: options.trials,
          warmup: options.warmup,
          capped: r.capped || undefined,
          target: r.engine.name === "flux" && target ? targetText(target) : undefined,
          pass: r.engine.name === "flux" ? pass : undefined,
          flux_over_cf: r.engine.name === "flux" && flux && cf ? flux.median / cf.median : undefined,
        };
      }
    }
  }
  const table = renderTable(header, rows);
  const versions = {
    node: process.version,
    wrangler: wranglerVersion(),
    miniflare: miniflareVersion(),
    workerd: ctx.versions.flux?.workerd ?? ctx.versions.cloudflare?.workerd,
    flux: ctx.versions.flux?.flux,
  };
  const versionText = `Versions: Flux ${versions.flux ?? "?"} (commit ${commit}${dirty ? "+dirty" : ""}), wrangler ${versions.wrangler}, miniflare ${versions.miniflare}, ${versions.workerd ?? "workerd ?"}, Node ${versions.node}`;
  const load1 = loadavg()[0];
  console.log(`\n${table.text}\n`);
  if (compare)
    console.log(
      "Flux/CF = Flux median ÷ CF median; Flux advantage = how many times better Flux is (> 1 = Flux better).",
    );
  if (results.some((r) => r.capped)) console.log("* capped: one (warm-up) run only.");
  console.log(versionText);
  console.log(
    `Load average ${load0.toFixed(2)} → ${load1.toFixed(2)} on ${cpus().length} CPUs; ${((Date.now() - started) / 1000).toFixed(0)} s.`,
  );
  for (const note of notes) console.log(`Note: ${note}`);
  const passed = verdicts.filter((v) => v.pass === true).length;
  console.log(
    `Targets: ${passed}/${verdicts.length} pass${
      verdicts.some((v) => v.pass === false)
        ? ` (fail: ${verdicts
            .filter((v) => v.pass === false)
            .map((v) => `${v.workload} ${v.metric}`)
            .join(", ")})`
        : ""
    }.`,
  );

  if (options.save) {
    const dir = join(repoRoot, "bench", "results");
    mkdirSync(dir, { recursive: true });
    const extra = { ...versions, loadavg: [load0, load1], cpus: cpus().length };
    const lines = results.filter((r) => r.line).map((r) => JSON.stringify({ ...r.line, ...extra }));
    appendFileSync(join(dir, `${suite}.jsonl`), `${lines.join("\n")}\n`);
    console.log(`Appended ${lines.length} results to bench/results/${suite}.jsonl`);
    onMarkdown?.({
      table: table.markdown,
      versionText,
      notes,
      load: [load0, load1],
      date: new Date().toISOString().slice(0, 10),
    });
  }
  return 0;
}

export function writeMarkdown(path, text) {
  writeFileSync(join(repoRoot, path), text);
  console.log(`Wrote ${path}`);
}
