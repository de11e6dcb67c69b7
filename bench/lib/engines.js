// The two engines behind one driver interface, over loopback HTTP only:
//   start() → running engine { name, stats(), versions(), run(kind, params), runMany(kind, params, count),
//                              pauseThenResume(n), stop() }
// `run` starts one execution and waits until it finishes; it returns { t0, output, clientMs } where t0 is the
// driver's clock just before the create request and output is the workflow's own return value ({ end, ... },
// stamped inside the runtime right after the last task): wall time = output.end - t0, no polling error.
// Flux: POST /workflows/bench_<kind>/run/sync. Cloudflare Workflows (bench/cf-workflows): POST /run/<kind>, then
// GET /wait/<kind>/<id>, which polls instance.status() inside the Worker (the poll interval only costs CPU).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./bundle.js";
import { removeSnapshot, snapshotFlux, snapshotWorker, startFlux, startWrangler } from "./server.js";

const RUN_TIMEOUT_MS = 300_000;

async function json(res, what) {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

function packageVersion(path) {
  try {
    return JSON.parse(readFileSync(join(repoRoot, path), "utf8")).version;
  } catch {
    return "?";
  }
}

/** Flux. `prepare()` bundles once (shared by every fresh server); `start()` serves it with empty state. */
export function fluxEngine() {
  let snapshot;
  return {
    name: "flux",
    label: "Flux",
    prepare() {
      snapshot ??= snapshotFlux();
    },
    dispose() {
      if (snapshot) removeSnapshot(snapshot);
      snapshot = undefined;
    },
    async start() {
      this.prepare();
      const server = await startFlux({ snapshot });
      const headers = { Authorization: `Bearer ${server.token}`, "content-type": "application/json" };
      const post = (path, body) =>
        fetch(`${server.url}${path}`, {
          method: "POST",
          headers,
          body: JSON.stringify(body ?? null),
          signal: AbortSignal.timeout(RUN_TIMEOUT_MS),
        });
      const finished = (view, what) => {
        if (view.state !== "COMPLETED" && view.state !== "PAUSED") {
          throw new Error(
            `${what}: execution ${view.execution_id} ended ${view.state}: ${JSON.stringify(view.output).slice(0, 300)}`,
          );
        }
        return view;
      };
      const run = async (kind, params) => {
        const t0 = Date.now();
        const view = finished(
          await json(await post(`/workflows/bench_${kind}/run/sync`, params), `run ${kind}`),
          kind,
        );
        return {
          t0,
          clientMs: Date.now() - t0,
          output: view.output,
          id: view.execution_id,
          state: view.state,
        };
      };
      return {
        server,
        bundleDir: snapshot.dir,
        stats: server.stats,
        versions: () => ({ flux: packageVersion("package.json"), workerd: server.workerdVersion() }),
        run,
        /** `count` executions at once; t0 before the first request. */
        async runMany(kind, params, count) {
          const t0 = Date.now();
          const results = await Promise.all(Array.from({ length: count }, () => run(kind, params)));
          return { t0, clientMs: Date.now() - t0, outputs: results.map((r) => r.output) };
        },
        /** Run n tasks then pause; returns the resume round trip (client ms) and the log size. */
        async pauseThenResume(n, { countEvents = false } = {}) {
          const paused = await run("pause_many", { n });
          if (paused.state !== "PAUSED")
            throw new Error(`bench_pause_many ended ${paused.state}, not PAUSED`);
          let events;
          if (countEvents) {
            const res = await fetch(
              `${server.url}/workflows/bench_pause_many/status/${paused.id}?detailed=true`,
              { headers },
            );
            events = (await json(res, "status")).events?.length;
          }
          const t0 = Date.now();
          const view = finished(
            await json(await post(`/workflows/bench_pause_many/resume/${paused.id}/sync`, {}), "resume"),
            "resume",
          );
          const resumeMs = Date.now() - t0;
          if (view.state !== "COMPLETED") throw new Error(`resume ended ${view.state}`);
          return { resumeMs, events, pauseRunMs: paused.clientMs };
        },
        stop: () => server.stop(),
      };
    },
  };
}

/** Cloudflare Workflows, emulated locally by wrangler dev (bench/cf-workflows). */
export function cloudflareEngine() {
  let snapshot;
  return {
    name: "cloudflare",
    label: "CF Workflows",
    prepare() {
      snapshot ??= snapshotWorker("bench/cf-workflows/wrangler.toml");
    },
    dispose() {
      if (snapshot) removeSnapshot(snapshot);
      snapshot = undefined;
    },
    async start() {
      this.prepare();
      const server = await startWrangler({ config: snapshot.config });
      const run = async (kind, params, { poll = 20 } = {}) => {
        const t0 = Date.now();
        const created = await json(
          await fetch(`${server.url}/run/${kind}`, {
            method: "POST",
            body: JSON.stringify(params ?? {}),
            signal: AbortSignal.timeout(RUN_TIMEOUT_MS),
          }),
          `create ${kind}`,
        );
        const status = await json(
          await fetch(`${server.url}/wait/${kind}/${created.id}?poll=${poll}`, {
            signal: AbortSignal.timeout(RUN_TIMEOUT_MS),
          }),
          `wait ${kind}`,
        );
        if (status.status !== "complete")
          throw new Error(
            `${kind}: instance ${created.id} ended ${status.status}: ${JSON.stringify(status.error)}`,
          );
        return { t0, clientMs: Date.now() - t0, output: status.output, id: created.id, state: status.status };
      };
      return {
        server,
        bundleDir: snapshot.dir,
        stats: server.stats,
        versions: () => ({ workerd: server.workerdVersion() }),
        run,
        async runMany(kind, params, count) {
          const t0 = Date.now();
          // A slower poll: 200 waiters at 20 ms would themselves load the runtime being measured.
          const results = await Promise.all(
            Array.from({ length: count }, () => run(kind, params, { poll: 100 })),
          );
          return { t0, clientMs: Date.now() - t0, outputs: results.map((r) => r.output) };
        },
        stop: () => server.stop(),
      };
    },
  };
}

export function wranglerVersion() {
  return packageVersion("node_modules/wrangler/package.json");
}

export function miniflareVersion() {
  return packageVersion("node_modules/miniflare/package.json");
}
