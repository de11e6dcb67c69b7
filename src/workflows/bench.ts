// Benchmark workflows (bench/workloads/http.js and compare.js; the Cloudflare Workflows twins are in
// bench/cf-workflows/src/index.ts and must stay step-for-step identical). Not examples: they exist so the
// drivers can measure the engine over HTTP without polling error.
//
// Each returns `{ end }` = the time right after its last task, and where a delay is measured, `before` = the
// time just before it. Clock caveat: inside workerd Date.now() only advances when control returns to the event
// loop (I/O, timers); the Durable Object's SQLite writes are synchronous, so after 1,000 tasks a bare Date.now()
// was measured ~230 ms stale. `clock()` reads it after one setTimeout(0) turn, which brings it up to date (the
// Cloudflare twin does the same). bench/README.md, "Clocks", has the measurement.
import { parallel, pause, sleep, task, taskContext, workflow, type ExecutionContext } from "flux";

type N = { n?: number } | null;
const count = (ctx: ExecutionContext<N>, fallback: number): number => ctx.input?.n ?? fallback;

/** Date.now() after one event-loop turn, so the clock has caught up (see the header). */
const clock = (): Promise<number> => new Promise((resolve) => setTimeout(() => resolve(Date.now()), 0));

const noop = task("bench_noop", (i: number) => i);
const stamp = task("bench_stamp", () => clock());

export const benchSequential = workflow("bench_sequential", async (ctx: ExecutionContext<N>) => {
  const n = count(ctx, 1000);
  for (let i = 0; i < n; i++) await noop(i);
  return { end: await clock(), tasks: n };
});

export const benchParallel = workflow("bench_parallel", async (ctx: ExecutionContext<N>) => {
  const n = count(ctx, 100);
  await parallel(...Array.from({ length: n }, (_, i) => noop(i)));
  return { end: await clock(), tasks: n };
});

export const benchSleep = workflow(
  "bench_sleep",
  async (ctx: ExecutionContext<{ seconds?: number } | null>) => {
    const before = await stamp();
    await sleep(ctx.input?.seconds ?? 1);
    await noop(1);
    return { before, end: await clock() };
  },
);

// The first failure time per execution: the retry delay is measured from the end of the first attempt.
const firstFailure = new Map<string, { at: number; failures: number }>();

const flaky = task.withOptions(
  { name: "bench_flaky", retryMaxAttempts: 2, retryDelay: "100ms", retryBackoff: 1 },
  async () => {
    const { executionId } = taskContext();
    const seen = firstFailure.get(executionId) ?? { at: await clock(), failures: 0 };
    if (seen.failures < 2) {
      firstFailure.set(executionId, { at: seen.at, failures: seen.failures + 1 });
      throw new Error(`bench_flaky attempt ${seen.failures + 1} fails on purpose`);
    }
    firstFailure.delete(executionId);
    return seen.at;
  },
);

export const benchRetry = workflow("bench_retry", async () => {
  const before = await flaky();
  return { before, end: await clock() };
});

const payload = task("bench_payload_task", (i: number, size: number) => `${i}:`.padEnd(size, "x"));

export const benchPayload = workflow(
  "bench_payload",
  async (ctx: ExecutionContext<{ n?: number; size?: number } | null>) => {
    const n = ctx.input?.n ?? 200;
    const size = ctx.input?.size ?? 10_240;
    let bytes = 0;
    for (let i = 0; i < n; i++) bytes += (await payload(i, size)).length;
    return { end: await clock(), tasks: n, bytes };
  },
);

export const benchPauseMany = workflow("bench_pause_many", async (ctx: ExecutionContext<N>) => {
  const n = count(ctx, 5000);
  for (let i = 0; i < n; i++) await noop(i);
  await pause("bench_resume");
  return { end: await clock(), tasks: n };
});

export const benchWorkflows = [
  benchSequential,
  benchParallel,
  benchSleep,
  benchRetry,
  benchPayload,
  benchPauseMany,
] as const;
