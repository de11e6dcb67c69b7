// Engine benchmark (bundled and launched by bench/workloads/engine.js; see there for options).
// Measures the inline engine with no-op tasks: N sequential tasks (N = 1,000 and 10,000), 1,000 tasks
// through parallel(), and a cold replay of the 10k log (what a Durable Object does after eviction).
// Targets from the issue: ≤ 20 µs per task inline, and t(10k)/t(1k) ≤ 11 (linear scaling).
// Prints a table and appends one JSON line per result to bench/results/engine.jsonl.
import { appendFileSync, mkdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { arch, cpus, loadavg, platform } from "node:os";
import { parseArgs } from "node:util";
import {
  clearInlineExecutions,
  inlineHostPorts,
  parallel,
  task,
  workflow,
  WorkflowRun,
  type ExecutionContext,
  type ExecutionEvent,
} from "flux";

const TARGET_US_PER_TASK = 20;
const TARGET_RATIO = 11;

const { values: opts } = parseArgs({
  options: {
    trials: { type: "string", default: "7" },
    case: { type: "string", multiple: true },
    "no-save": { type: "boolean", default: false },
    // Skip the GC-bracketed heap pass (the profiler passes it: forced GCs would swamp the profile).
    "no-heap": { type: "boolean", default: false },
    results: { type: "string", default: "bench/results/engine.jsonl" },
  },
});
const trials = Math.max(3, Number(opts.trials));

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("Run with --expose-gc (npm run bench -- engine does)");

// --- workloads ---------------------------------------------------------------------------------------------

const noop = task("noop", (i: number) => i);

const sequential = workflow("bench_sequential", async (ctx: ExecutionContext<number>) => {
  let sum = 0;
  for (let i = 0; i < ctx.input; i++) sum += await noop(i);
  return sum;
});

const fanOut = workflow("bench_parallel", async (ctx: ExecutionContext<number>) => {
  const results = await parallel(...Array.from({ length: ctx.input }, (_, i) => noop(i)));
  return results.reduce((a, b) => a + b, 0);
});

const expectedSum = (n: number) => (n * (n - 1)) / 2;

// --- measurement -------------------------------------------------------------------------------------------

interface CaseResult {
  name: string;
  description: string;
  tasks: number;
  /** Wall time of each measured trial (the warm-up excluded). */
  ms: number[];
  /** Process CPU time (user + system, all threads) of each measured trial: less sensitive to a busy box. */
  cpuMs: number[];
  /** heapUsed after the run minus before, both after a full GC, with the run still reachable (its log). */
  retainedBytes: number;
  events: number;
}

function heapAfterGc(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

/**
 * One warm-up, then `trials` timed runs, then one untimed run bracketed by full GCs for the heap figure.
 * Timed runs are not preceded by a forced gc(): on V8 a forced full GC shrinks the young generation and
 * made the next ~1,000 tasks 2-5x slower, which measures the GC call rather than the engine.
 * `prepare` runs untimed before each run; `body` is what is timed.
 */
async function measure<P>(
  name: string,
  description: string,
  tasks: number,
  prepare: () => P,
  body: (prepared: P) => Promise<{ events: number; keep: unknown }>,
): Promise<CaseResult> {
  const ms: number[] = [];
  const cpuMs: number[] = [];
  let events = 0;
  for (let trial = 0; trial <= trials; trial++) {
    clearInlineExecutions();
    const prepared = prepare();
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const result = await body(prepared);
    const elapsed = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    if (trial > 0) {
      ms.push(elapsed);
      cpuMs.push((cpu.user + cpu.system) / 1000);
    }
    events = result.events;
  }
  clearInlineExecutions();
  if (opts["no-heap"]) return { name, description, tasks, ms, cpuMs, retainedBytes: NaN, events };
  const prepared = prepare();
  const before = heapAfterGc();
  let kept: unknown = (await body(prepared)).keep;
  const retainedBytes = heapAfterGc() - before;
  if (kept === undefined) throw new Error("unreachable"); // keeps the run reachable across the GC above
  kept = undefined;
  clearInlineExecutions();
  return { name, description, tasks, ms, cpuMs, retainedBytes, events };
}

async function runInline(wf: typeof sequential, n: number): Promise<{ events: number; keep: unknown }> {
  const ctx = await wf.run(n);
  if (!ctx.hasSucceeded || ctx.output !== expectedSum(n))
    throw new Error(`${wf.name}(${n}) ended ${ctx.state}`);
  return { events: ctx.events.length, keep: ctx };
}

/** The stored log of a finished 10k run, minus WORKFLOW_COMPLETED: a cold host must replay every task. */
async function recordedLog(n: number): Promise<{ executionId: string; events: ExecutionEvent[] }> {
  const ctx = await sequential.run(n);
  const events = ctx.events
    .filter((event) => event.type !== "WORKFLOW_COMPLETED")
    .map((event) => ({ ...event }));
  const executionId = ctx.executionId;
  clearInlineExecutions();
  return { executionId, events: structuredClone(events) };
}

async function replay(
  log: { executionId: string; events: ExecutionEvent[] },
  n: number,
): Promise<{ events: number; keep: unknown }> {
  const run = new WorkflowRun({
    executionId: log.executionId,
    workflow: sequential,
    ports: inlineHostPorts(),
    events: log.events,
  });
  const ctx = await run.execute();
  // Replay must not re-run anything: exactly one new event (WORKFLOW_COMPLETED) and the same output.
  if (!ctx.hasSucceeded || ctx.output !== expectedSum(n) || ctx.events.length !== log.events.length + 1) {
    throw new Error(`replay ended ${ctx.state} with ${ctx.events.length - log.events.length} new events`);
  }
  return { events: ctx.events.length, keep: run };
}

// --- report ------------------------------------------------------------------------------------------------

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

function gitCommit(): string | null {
  try {
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src/engine", "src/sdk"], {
      encoding: "utf8",
    }).trim();
    return dirty ? `${sha}+dirty` : sha;
  } catch {
    return null;
  }
}

const selected = (name: string) => !opts.case || opts.case.includes(name);
const results: CaseResult[] = [];
// JIT warm-up for the whole process (the per-case warm-up alone leaves seq-1k measuring tier-up).
await runInline(sequential, 10_000);
clearInlineExecutions();
const heapAtStart = heapAfterGc();

if (selected("seq-1k") || selected("seq-10k")) {
  results.push(
    await measure(
      "seq-1k",
      "sequential, inline",
      1_000,
      () => undefined,
      () => runInline(sequential, 1_000),
    ),
  );
  results.push(
    await measure(
      "seq-10k",
      "sequential, inline",
      10_000,
      () => undefined,
      () => runInline(sequential, 10_000),
    ),
  );
}
if (selected("parallel-1k")) {
  results.push(
    await measure(
      "parallel-1k",
      "parallel(), inline",
      1_000,
      () => undefined,
      () => runInline(fanOut, 1_000),
    ),
  );
}
if (selected("replay-10k")) {
  const log = await recordedLog(10_000);
  // Every trial replays the same stored log: WorkflowRun copies the array and never mutates the events.
  results.push(
    await measure(
      "replay-10k",
      "cold replay of the 10k log",
      10_000,
      () => log,
      (stored) => replay(stored, 10_000),
    ),
  );
}
clearInlineExecutions();
const leakBytes = heapAfterGc() - heapAtStart;

const env = {
  node: process.version,
  v8: process.versions.v8,
  platform: `${platform()}-${arch()}`,
  cpu: `${cpus().length}× ${cpus()[0]?.model ?? "unknown"}`,
  // The benchmark box may be shared: a load average above the core count means noisy figures.
  load1: loadavg()[0] ?? 0,
  commit: gitCommit(),
};
const rows = results.map((r) => {
  const ms = median(r.ms);
  return {
    case: r.name,
    description: r.description,
    tasks: r.tasks,
    trials: r.ms.length,
    median_ms: ms,
    min_ms: Math.min(...r.ms),
    max_ms: Math.max(...r.ms),
    us_per_task: (ms * 1000) / r.tasks,
    cpu_us_per_task: (median(r.cpuMs) * 1000) / r.tasks,
    events: r.events,
    heap_retained_bytes: r.retainedBytes,
  };
});
const byCase = new Map(rows.map((row) => [row.case, row]));
const t1k = byCase.get("seq-1k");
const t10k = byCase.get("seq-10k");
const ratio = t1k && t10k ? t10k.median_ms / t1k.median_ms : undefined;

const fmt = (x: number, digits = 1) => x.toFixed(digits);
const mb = (bytes: number) => (Number.isNaN(bytes) ? "n/a" : `${fmt(bytes / 2 ** 20, 1)} MB`);
console.log(
  `Flux engine benchmark — Node ${env.node} (V8 ${env.v8}), ${env.platform}, ${env.cpu}, commit ${env.commit ?? "?"}`,
);
console.log(`load average (1 min) at the end: ${fmt(env.load1, 2)}`);
console.log(
  `no-op tasks; 1 warm-up + ${trials} trials per case; medians (min–max); µs/task is wall time (the target)\n`,
);
const header = [
  "case",
  "tasks",
  "median ms",
  "min–max ms",
  "µs/task",
  "cpu µs/task",
  "events",
  "heap retained",
  "B/task",
];
const table = rows.map((row) => [
  row.case,
  String(row.tasks),
  fmt(row.median_ms),
  `${fmt(row.min_ms)}–${fmt(row.max_ms)}`,
  fmt(row.us_per_task, 2),
  fmt(row.cpu_us_per_task, 2),
  String(row.events),
  mb(row.heap_retained_bytes),
  Number.isNaN(row.heap_retained_bytes) ? "n/a" : fmt(row.heap_retained_bytes / row.tasks, 0),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((cells) => (cells[i] as string).length)));
const line = (cells: string[]) =>
  cells
    .map((cell, i) => (i < 2 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number)))
    .join("  ");
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const cells of table) console.log(line(cells));
console.log();

const inlineCases = rows.filter((row) => row.case !== "replay-10k");
const worst = Math.max(...inlineCases.map((row) => row.us_per_task));
const verdicts: string[] = [];
if (inlineCases.length > 0) {
  verdicts.push(
    `inline µs/task (worst case) ${fmt(worst, 2)} — target ≤ ${TARGET_US_PER_TASK}: ${worst <= TARGET_US_PER_TASK ? "PASS" : "FAIL"}`,
  );
}
if (ratio !== undefined) {
  verdicts.push(
    `scaling t(10k)/t(1k) ${fmt(ratio, 2)} — target ≤ ${TARGET_RATIO}: ${ratio <= TARGET_RATIO ? "PASS" : "FAIL"}`,
  );
}
verdicts.push(
  `heap after all cases and clearInlineExecutions(), vs after warm-up: ${leakBytes >= 0 ? "+" : ""}${mb(leakBytes)}`,
);
for (const verdict of verdicts) console.log(verdict);

if (!opts["no-save"]) {
  mkdirSync("bench/results", { recursive: true });
  const at = new Date().toISOString();
  const lines = rows.map((row) => JSON.stringify({ suite: "engine", at, ...row, ...env }));
  if (ratio !== undefined) {
    lines.push(
      JSON.stringify({
        suite: "engine",
        at,
        case: "scaling-ratio",
        ratio,
        target: TARGET_RATIO,
        us_per_task_target: TARGET_US_PER_TASK,
        ...env,
      }),
    );
  }
  lines.push(JSON.stringify({ suite: "engine", at, case: "heap-leak-check", heap_bytes: leakBytes, ...env }));
  appendFileSync(opts.results, lines.join("\n") + "\n");
  console.log(`\nappended ${lines.length} lines to ${opts.results}`);
}
