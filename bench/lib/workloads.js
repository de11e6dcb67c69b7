// The HTTP workloads, shared by the `http` (Flux alone, absolute targets) and `compare` (Flux vs Cloudflare
// Workflows) suites. A workload runs one trial against a started engine and returns named metric values;
// bench/lib/http-runner.js adds warm-up, trials, fresh servers, runtime CPU/RSS and medians.
//
// Every wall time is output.end - t0: t0 is the driver's clock before the create request, output.end is
// stamped by the workflow right after its last task (same host clock, so no polling error). Wake and retry
// excess are measured inside the workflow: end - before - configured delay.

/** metric: { key, label, unit, better: "lower" | "higher", digits } */
const m = (key, label, unit, better, digits = 0) => ({ key, label, unit, better, digits });

const wall = (r) => r.output.end - r.t0;

export const WORKLOADS = [
  {
    id: "W1",
    title: "sequential no-op tasks in one execution",
    engines: ["flux", "cloudflare"],
    sizes: { http: [1000], compare: [100, 1000] },
    metrics: (suite) =>
      (suite === "http" ? [1000] : [100, 1000]).flatMap((n) => [
        m(`us_per_task_${n}`, `N=${n.toLocaleString("en")}: µs per task`, "µs", "lower", 0),
        m(`wall_ms_${n}`, `N=${n.toLocaleString("en")}: wall`, "ms", "lower", 0),
      ]),
    async trial(engine, { suite }) {
      const out = {};
      for (const n of suite === "http" ? [1000] : [100, 1000]) {
        const r = await engine.run("sequential", { n });
        out[`wall_ms_${n}`] = wall(r);
        out[`us_per_task_${n}`] = (wall(r) * 1000) / n;
      }
      return out;
    },
  },
  {
    id: "W2",
    title: "200 executions × 10 tasks, started at once",
    engines: ["flux", "cloudflare"],
    metrics: () => [
      m("executions_per_s", "executions/s", "/s", "higher", 0),
      m("wall_ms", "wall (all 200)", "ms", "lower", 0),
    ],
    async trial(engine) {
      const r = await engine.runMany("sequential", { n: 10 }, 200);
      const last = Math.max(...r.outputs.map((o) => o.end));
      const ms = last - r.t0;
      return { executions_per_s: (200 * 1000) / ms, wall_ms: ms };
    },
  },
  {
    id: "W3",
    title: "100 tasks at once (parallel / Promise.all)",
    engines: ["flux", "cloudflare"],
    metrics: () => [m("wall_ms", "wall", "ms", "lower", 1)],
    async trial(engine) {
      return { wall_ms: wall(await engine.run("parallel", { n: 100 })) };
    },
  },
  {
    id: "W4",
    title: "1 s durable sleep between two tasks",
    engines: ["flux", "cloudflare"],
    metrics: () => [
      m("wake_excess_ms", "wake excess over 1 s", "ms", "lower", 1),
      m("wall_excess_ms", "wall − 1 s (incl. create)", "ms", "lower", 1),
    ],
    async trial(engine) {
      const r = await engine.run("sleep", { seconds: 1 });
      return { wake_excess_ms: r.output.end - r.output.before - 1000, wall_excess_ms: wall(r) - 1000 };
    },
  },
  {
    id: "W5",
    title: "task fails twice then succeeds, 100 ms constant retry delay",
    engines: ["flux", "cloudflare"],
    metrics: () => [
      m("retry_excess_ms", "retry excess over 200 ms", "ms", "lower", 1),
      m("wall_excess_ms", "wall − 200 ms (incl. create)", "ms", "lower", 1),
    ],
    async trial(engine) {
      const r = await engine.run("retry", {});
      return { retry_excess_ms: r.output.end - r.output.before - 200, wall_excess_ms: wall(r) - 200 };
    },
  },
  {
    id: "W6",
    title: "200 tasks each returning a distinct 10 KB string",
    engines: ["flux", "cloudflare"],
    metrics: () => [
      m("us_per_task", "µs per task", "µs", "lower", 0),
      m("rss_growth_kib", "runtime RSS growth per run", "KiB", "lower", 0),
    ],
    async trial(engine) {
      const before = engine.stats().rssKb;
      const r = await engine.run("payload", { n: 200, size: 10_240 });
      if (r.output.bytes !== 200 * 10_240) throw new Error(`payload bytes ${r.output.bytes}`);
      return { us_per_task: (wall(r) * 1000) / 200, rss_growth_kib: engine.stats().rssKb - before };
    },
  },
  {
    id: "W7",
    title: "resume of a paused execution holding 10,000 events",
    engines: ["flux"],
    metrics: () => [m("resume_ms", "resume round trip", "ms", "lower", 1)],
    // 5,000 no-op tasks write 2 events each (+ start/pause events): ≈ 10,004 events, checked in the warm-up.
    async trial(engine, { warmup, notes }) {
      const r = await engine.pauseThenResume(5000, { countEvents: warmup });
      if (warmup) notes.push(`W7: the paused execution held ${r.events} events`);
      return { resume_ms: r.resumeMs };
    },
  },
  {
    id: "W8",
    title: "scaling: t(10,000 tasks) / t(1,000 tasks)",
    engines: ["flux"],
    metrics: () => [
      m("ratio", "t(10k) / t(1k)", "×", "lower", 2),
      m("us_per_task_10000", "N=10,000: µs per task", "µs", "lower", 0),
    ],
    async trial(engine) {
      const small = wall(await engine.run("sequential", { n: 1000 }));
      const big = wall(await engine.run("sequential", { n: 10_000 }));
      return { ratio: big / small, us_per_task_10000: (big * 1000) / 10_000 };
    },
  },
];

/** Per workload and engine, added by the runner: runtime CPU per trial and peak RSS of the workerd process. */
export const RUNTIME_METRICS = [
  m("cpu_ms", "runtime CPU per trial", "ms", "lower", 0),
  m("peak_rss_mib", "runtime peak RSS", "MiB", "lower", 0),
];
