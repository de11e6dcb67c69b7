// Suite "http" (issue #3): Flux alone over HTTP against `wrangler dev` of this project (a snapshot bundle, see
// bench/lib/server.js), workloads W1–W7 of bench/lib/workloads.js with absolute targets.
//
//   npm run bench -- http [--trials 3] [--quick] [--only W1,W4] [--cap-s 90] [--no-save]
import { fluxEngine } from "../lib/engines.js";
import { HTTP_OPTIONS_HELP, parseHttpArgs, runHttpSuite } from "../lib/http-runner.js";

export const description =
  "Flux over HTTP (wrangler dev): W1–W7 µs/task, executions/s, wake/retry excess, resume";

const TARGETS = [
  { workload: "W1", metric: "us_per_task_1000", op: "<=", value: 100 },
  { workload: "W2", metric: "executions_per_s", op: ">=", value: 500 },
  { workload: "W3", metric: "wall_ms", op: "<=", value: 30 },
  { workload: "W4", metric: "wake_excess_ms", op: "<=", value: 3 },
  { workload: "W5", metric: "retry_excess_ms", op: "<=", value: 3 },
  { workload: "W7", metric: "resume_ms", op: "<=", value: 50 },
].map((t) => ({ kind: "abs", ...t }));

export async function run(args) {
  const options = parseHttpArgs(args);
  if (options.help) {
    console.log(`npm run bench -- http [options]\n${HTTP_OPTIONS_HELP}`);
    return 0;
  }
  options.only ??= new Set(["W1", "W2", "W3", "W4", "W5", "W6", "W7"]);
  return runHttpSuite({ suite: "http", engines: [fluxEngine()], targets: TARGETS, options });
}
