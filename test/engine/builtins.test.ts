// Built-in tasks (SPEC §2.3): recorded randomness and time, durable sleep, pause wakes, parallel, pipeline.
import { beforeEach, describe, expect, it } from "vitest";
import {
  choice,
  clearInlineExecutions,
  encode,
  ExecutionError,
  now,
  parallel,
  pause,
  pipeline,
  randint,
  randrange,
  sleep,
  task,
  taskContext,
  uuid4,
  workflow,
  WorkflowRun,
  type HostPorts,
} from "flux";
import { sleepWorkflow } from "../../src/workflows/sleep.ts";
import { until, VirtualTime } from "./helpers.ts";

beforeEach(() => clearInlineExecutions());

const T0 = Date.parse("2026-01-01T00:00:00Z");

/** Random values from `values` in turn; uuids uuid-0, uuid-1... (pass executionId so none is used for it). */
const withRandom = (vt: VirtualTime, values: number[]) => {
  let r = 0;
  let u = 0;
  return vt.ports({
    random: { random: () => values[r++ % values.length] as number, uuid: () => `uuid-${u++}` },
  });
};

describe("recorded values", () => {
  it("now() is a Date from the clock port, recorded as a tagged Date (UTC)", async () => {
    const vt = new VirtualTime();
    const ctx = await workflow("now_wf", async () => await now()).run(null, { ports: vt.ports() });
    expect(ctx.output).toEqual(new Date(T0));
    expect(ctx.events[2]?.value).toEqual({ $flux: "Date", v: "2026-01-01T00:00:00.000Z" });
  });

  it("uuid4() and choice() come from the random port", async () => {
    const vt = new VirtualTime();
    const wf = workflow("rand_wf", async () => [await uuid4(), await choice(["a", "b", "c", "d"])]);
    const ctx = await wf.run(null, { ports: withRandom(vt, [0.6]), executionId: "rand-1" });
    expect(ctx.output).toEqual(["uuid-0", "c"]);
    const empty = await workflow("choice_empty", async () => await choice([])).run(null, {
      ports: vt.ports(),
    });
    expect(empty.output).toBeInstanceOf(ExecutionError);
    expect((empty.output as unknown as Error).message).toMatch(/non-empty array/);
  });

  it("randint(a, b) is inclusive on both ends", async () => {
    const vt = new VirtualTime();
    const wf = workflow("randint_wf", async () => [await randint(1, 6), await randint(1, 6)]);
    expect((await wf.run(null, { ports: withRandom(vt, [0, 0.9999]) })).output).toEqual([1, 6]);
    const bad = await workflow("randint_bad", async () => await randint(5, 1)).run(null, {
      ports: vt.ports(),
    });
    expect((bad.output as unknown as Error).message).toMatch(/needs integers a ≤ b/);
  });

  it("randrange(stop) and randrange(start, stop, step) follow Python", async () => {
    const vt = new VirtualTime();
    const wf = workflow("randrange_wf", async () => [
      await randrange(10),
      await randrange(1, 10),
      await randrange(0, 10, 3),
      await randrange(10, 0, -2),
    ]);
    expect((await wf.run(null, { ports: withRandom(vt, [0.9999]) })).output).toEqual([9, 9, 9, 2]);
    expect((await wf.run(null, { ports: withRandom(vt, [0]) })).output).toEqual([0, 1, 0, 10]);
    const empty = await workflow("randrange_empty", async () => await randrange(5, 5)).run(null, {
      ports: vt.ports(),
    });
    expect((empty.output as unknown as Error).message).toMatch(/empty range/);
    const zero = await workflow("randrange_zero", async () => await randrange(0, 5, 0)).run(null, {
      ports: vt.ports(),
    });
    expect((zero.output as unknown as Error).message).toMatch(/non-zero step/);
  });

  it("replays return the recorded values, not new ones", async () => {
    const vt = new VirtualTime();
    const wf = workflow("rand_replay", async () => {
      const a = await randint(1, 1_000_000);
      const b = await uuid4();
      const gate = await pause("gate");
      return [a, b, gate];
    });
    let draws = 0;
    const ports = vt.ports({ random: { random: () => (++draws % 10) / 10, uuid: () => `u${++draws}` } });
    const paused = await wf.run(null, { ports, executionId: "rr" });
    const before = draws;
    const done = await wf.resume(paused.executionId, "go");
    expect(draws).toBe(before);
    expect(done.output).toEqual([100_001, "u2", "go"]);
  });
});

describe("sleep (durable timer)", () => {
  it("sleep_workflow: 2 s + 5 s + 3.5 s of virtual time, woken at TASK_STARTED + duration", async () => {
    const vt = new VirtualTime();
    const ctx = await sleepWorkflow.run(null, { ports: vt.ports() });
    expect(ctx.output).toBeNull();
    expect(vt.now - T0).toBe(10_500);
    const sleeps = ctx.events.filter((e) => e.name === "sleep" && e.type === "TASK_STARTED");
    expect(sleeps.map((e) => e.value)).toEqual([[2], [5], [3.5]]);
    const waits = vt.waits.filter((w) => w.reason === "sleep");
    expect(waits.map((w, i) => w.at - Date.parse(sleeps[i]?.time as string))).toEqual([2000, 5000, 3500]);
    expect(waits.map((w) => w.key)).toEqual(sleeps.map((e) => e.source_id));
  });

  it("a replay after a restart wakes at the originally recorded instant", async () => {
    const wf = workflow("sleep_restart", async () => {
      await sleep("1h");
      return "woke";
    });
    const first = new VirtualTime();
    const run = new WorkflowRun({ executionId: "s1", workflow: wf, ports: first.ports() as HostPorts });
    void run.execute();
    await until(() => first.waits.length > 0);
    const prefix = run.events.slice(); // WORKFLOW_STARTED, TASK_STARTED(sleep): the host "died" here
    run.cancel();
    const later = new VirtualTime();
    later.now = T0 + 20 * 60_000; // restarted 20 minutes later
    const replay = new WorkflowRun({
      executionId: "s1",
      workflow: wf,
      ports: later.ports() as HostPorts,
      events: prefix,
    });
    const ctx = await replay.execute();
    expect(ctx.output).toBe("woke");
    expect(later.waits.find((w) => w.reason === "sleep")?.at).toBe(T0 + 3_600_000);
    expect(ctx.events.filter((e) => e.type === "TASK_STARTED")).toHaveLength(1);
  });
});

describe("pause wakes", () => {
  it("after: wake_at = the pause's TASK_STARTED time + after", async () => {
    const vt = new VirtualTime();
    const ctx = await workflow("pause_after", async () => await pause("nap", { after: "5m" })).run(null, {
      ports: vt.ports(),
    });
    expect(ctx.events.at(-1)?.value).toEqual({
      name: "nap",
      output: null,
      wake_at: new Date(T0 + 300_000).toISOString(),
    });
  });

  it("until: wake_at = that time", async () => {
    const until = "2026-02-01T10:00:00.000Z";
    const ctx = await workflow(
      "pause_until",
      async () => await pause("deadline", { until: new Date(until), output: 1 }),
    ).run();
    expect(ctx.events.at(-1)?.value).toEqual({ name: "deadline", output: 1, wake_at: until });
  });

  it("a pause's output goes through the codec", async () => {
    const ctx = await workflow(
      "pause_codec",
      async () => await pause("p", { output: { at: new Date(0) } }),
    ).run();
    expect((ctx.events.at(-1)?.value as { output: unknown }).output).toEqual({ at: encode(new Date(0)) });
  });
});

describe("parallel and pipeline", () => {
  it("maxConcurrent is honoured and results stay in input order", async () => {
    const vt = new VirtualTime();
    let running = 0;
    let peak = 0;
    const work = task("work", async (ms: number) => {
      running++;
      peak = Math.max(peak, running);
      await vt.delay(ms, taskContext().signal);
      running--;
      return ms;
    });
    const wf = workflow(
      "bounded",
      async () => await parallel(work(50), work(10), work(40), work(20), work(30), { maxConcurrent: 2 }),
    );
    const ctx = await wf.run(null, { ports: vt.ports() });
    expect(ctx.output).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
    const mapped = workflow("bounded_map", async () => await work.map([5, 6, 7, 8], { maxConcurrent: 3 }));
    peak = 0;
    expect((await mapped.run(null, { ports: vt.ports() })).output).toEqual([5, 6, 7, 8]);
    expect(peak).toBe(3);
  });

  it("a failure aborts running siblings: their signal fires and they record TASK_CANCELLED", async () => {
    const vt = new VirtualTime();
    let siblingAborted = false;
    const slow = task("slow_sibling", async () => {
      const { signal } = taskContext();
      signal.addEventListener("abort", () => (siblingAborted = true));
      await vt.delay(1000, signal);
    });
    const boom = task("boom", async () => {
      await vt.delay(10);
      throw new Error("boom");
    });
    const wf = workflow("abort_siblings", async () => await parallel(slow(), boom(), slow()));
    const ctx = await wf.run(null, { ports: vt.ports() });
    expect(siblingAborted).toBe(true);
    const cancelled = ctx.events.filter((e) => e.type === "TASK_CANCELLED").map((e) => e.source_id);
    expect(cancelled).toHaveLength(2);
    expect(cancelled[1]).toBe(`${cancelled[0]}~1`);
    expect((ctx.output as unknown as ExecutionError).message).toBe("boom");
  });

  it("parallel accepts plain thunks; map with an empty list", async () => {
    const t = task("t", (x: number) => x);
    const wf = workflow("thunks", async () => [
      await parallel(t(1), (() => Promise.resolve("plain")) as never),
      await t.map([]),
    ]);
    expect((await wf.run()).output).toEqual([[1, "plain"], []]);
  });

  it("pipeline steps may be plain functions (no events for them)", async () => {
    const inc = task("inc", (x: number) => x + 1);
    const ctx = await workflow(
      "mixed_pipeline",
      async () => await pipeline([inc, (x: number) => x * 10, inc], 1),
    ).run();
    expect(ctx.output).toBe(21);
    expect(ctx.events.filter((e) => e.type === "TASK_STARTED").map((e) => e.name)).toEqual([
      "pipeline",
      "inc",
      "inc",
    ]);
  });

  it("a completed parallel replays its stored list without starting its children", async () => {
    let calls = 0;
    const t = task("counted", (x: number) => {
      calls++;
      return x;
    });
    const wf = workflow("parallel_replay", async () => {
      const values = await parallel(t(1), t(2));
      await pause("gate");
      return values;
    });
    const paused = await wf.run();
    const done = await wf.resume(paused.executionId);
    expect(done.output).toEqual([1, 2]);
    expect(calls).toBe(2);
  });
});
