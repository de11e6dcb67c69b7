// Reference §6.1–§6.3: the deterministic Flux examples, ported with their outputs, failure types and event
// sequences. Workflows in src/workflows/ are used where they exist; the others are defined here.
import { beforeEach, describe, expect, it } from "vitest";
import {
  clearInlineExecutions,
  ExecutionError,
  ExecutionTimeoutError,
  inMemoryCache,
  now,
  randint,
  randrange,
  task,
  taskContext,
  uuid4,
  workflow,
  type ExecutionContext,
  type HostPorts,
} from "flux";
import { cancellable } from "../../src/workflows/cancellation.ts";
import { helloWorld } from "../../src/workflows/hello-world.ts";
import { parallelTasks } from "../../src/workflows/parallel-tasks.ts";
import {
  conditionalPause,
  multipleInputPause,
  pauseWithInput,
} from "../../src/workflows/pause-with-input.ts";
import { simpleGraph } from "../../src/workflows/simple-graph.ts";
import { simplePipeline } from "../../src/workflows/simple-pipeline.ts";
import { taskFallback, taskFallbackAfterRetry } from "../../src/workflows/task-fallback.ts";
import { taskRetries } from "../../src/workflows/task-retries.ts";
import { taskRollback } from "../../src/workflows/task-rollback.ts";
import { taskNestedTimeout, taskTimeout } from "../../src/workflows/task-timeout.ts";
import { strip, taskTrace, types, until, VirtualTime } from "./helpers.ts";

beforeEach(() => clearInlineExecutions());

const retryValue = (e: { value: unknown }) => e.value as { current_attempt: number; current_delay: number };

describe("§6.1 core examples", () => {
  it("hello_world: Joe → 'Hello, Joe'", async () => {
    const ctx = await helloWorld.run("Joe");
    expect(ctx.output).toBe("Hello, Joe");
    expect(ctx.hasSucceeded).toBe(true);
    expect(types(ctx)).toEqual(["WORKFLOW_STARTED", "TASK_STARTED", "TASK_COMPLETED", "WORKFLOW_COMPLETED"]);
    expect(ctx.events[1]).toMatchObject({ name: "say_hello", value: ["Joe"] });
    expect(ctx.events[0]).toMatchObject({
      source_id: `hello_world_${ctx.executionId}`,
      name: "hello_world",
      value: "Joe",
    });
  });

  it("hello_world: no input → FAILED with the body's TypeError, unwrapped", async () => {
    const ctx = await helloWorld.run();
    expect(ctx.state).toBe("FAILED");
    expect(ctx.hasFailed).toBe(true);
    expect(ctx.output).toBeInstanceOf(TypeError);
    expect((ctx.output as unknown as Error).message).toBe("Input not provided");
    expect(ctx.events.at(-1)?.value).toEqual({ type: "TypeError", message: "Input not provided" });
  });

  it("hello_world: a second run with the same executionId returns the same ctx without re-running", async () => {
    let calls = 0;
    const counted = task("say_hello", async (name: string) => {
      calls++;
      return `Hello, ${name}`;
    });
    const wf = workflow(
      "hello_world_counted",
      async (ctx: ExecutionContext<string>) => await counted(ctx.input),
    );
    const first = await wf.run("Joe", { executionId: "exec-hello-1" });
    const second = await wf.run("Someone else", { executionId: "exec-hello-1" });
    expect(second.output).toBe("Hello, Joe");
    expect(second.executionId).toBe(first.executionId);
    expect(second.events).toHaveLength(first.events.length);
    expect(calls).toBe(1);
  });

  it("simple_pipeline: 5 → 169; no input → FAILED(TypeError)", async () => {
    const ctx = await simplePipeline.run(5);
    expect(ctx.output).toBe(169);
    expect(ctx.events.filter((e) => e.type === "TASK_STARTED").map((e) => e.name)).toEqual([
      "pipeline",
      "multiply_by_two",
      "add_three",
      "square",
    ]);
    const failed = await simplePipeline.run();
    expect(failed.state).toBe("FAILED");
    expect(failed.output).toBeInstanceOf(TypeError);
  });

  it("parallel_tasks: results in input order", async () => {
    const ctx = await parallelTasks.run("Joe");
    expect(ctx.output).toEqual(["Hi, Joe", "Hello, Joe", "Ola, Joe", "Hola, Joe"]);
    const started = ctx.events.filter((e) => e.type === "TASK_STARTED").map((e) => e.name);
    expect(started).toEqual(["parallel", "say_hi", "say_hello", "diga_ola", "saluda"]);
    expect(ctx.events.at(-2)).toMatchObject({ type: "TASK_COMPLETED", name: "parallel" });
  });

  it("nested_tasks: repeated identical calls get ~1, ~2 occurrence ids", async () => {
    const third = task("third_task", async () => "third");
    const second = task("second_task", async () => ["result", await third()]);
    const first = task("first_task", async () => await third());
    const threeLevels = task("three_levels_task", async () => ["three_levels", ...(await second())]);
    const wf = workflow("nested_tasks_workflow", async () => {
      await first();
      await second();
      const out = await threeLevels();
      expect(out).toEqual(["three_levels", "result", "third"]);
      return null;
    });
    const ctx = await wf.run();
    expect(ctx.output).toBeNull();
    const ids = ctx.events.filter((e) => e.type === "TASK_STARTED").map((e) => e.source_id);
    const suffixes = ids.map((id) => `${strip(id)}${/~\d+$/.exec(id)?.[0] ?? ""}`);
    expect(suffixes).toEqual([
      "first_task",
      "third_task",
      "second_task",
      "third_task~1",
      "three_levels_task",
      "second_task~1",
      "third_task~2",
    ]);
    // Occurrences share the bare id.
    expect(ids[3]).toBe(`${ids[1]}~1`);
    expect(ids[6]).toBe(`${ids[1]}~2`);
  });

  it("determinism: now/uuid4/randint/randrange/now are recorded and identical on replay", async () => {
    const vt = new VirtualTime();
    const wf = workflow("determinism", async () => {
      const start = await now();
      const id = await uuid4();
      const a = await randint(1, 5);
      const b = await randrange(1, 10);
      const end = await now();
      return { elapsed: end.getTime() - start.getTime(), id, a, b, start };
    });
    const ctx = await wf.run(null, { ports: vt.ports() });
    const out = ctx.output as { elapsed: number; id: string; a: number; b: number; start: Date };
    expect(out.elapsed).toBeGreaterThanOrEqual(0);
    expect(out.start).toBeInstanceOf(Date);
    expect(out.a).toBeGreaterThanOrEqual(1);
    expect(out.a).toBeLessThanOrEqual(5);
    expect(out.b).toBeGreaterThanOrEqual(1);
    expect(out.b).toBeLessThan(10);
    const nowIds = ctx.events
      .filter((e) => e.type === "TASK_STARTED" && e.name === "now")
      .map((e) => e.source_id);
    expect(nowIds[1]).toBe(`${nowIds[0]}~1`);

    // Replay the log (minus the final event) with a different clock and random source: same output.
    const { WorkflowRun } = await import("flux");
    const other = new VirtualTime();
    other.now += 86_400_000;
    const replay = new WorkflowRun({
      executionId: ctx.executionId,
      workflow: wf,
      ports: other.ports({ random: { random: () => 0.01, uuid: () => "different" } }) as HostPorts,
      events: ctx.events.slice(0, -1),
    });
    const again = await replay.execute();
    expect(again.output).toEqual(ctx.output);
  });

  it("fibo_benchmark: name functions give sum_fibo_0, sum_fibo_1", async () => {
    const fib = (n: number): number => (n < 2 ? n : fib(n - 1) + fib(n - 2));
    const sumFibo = task.withOptions(
      { name: (iteration: number) => `sum_fibo_${iteration}` },
      (_iteration: number, n: number) => fib(n),
    );
    const wf = workflow("fibo_benchmark", async (ctx: ExecutionContext<[number, number]>) => {
      const [iterations, n] = ctx.input;
      const result: Record<string, number> = {};
      for (let i = 0; i < iterations; i++) result[`Iteration #${i}`] = await sumFibo(i, n);
      return result;
    });
    const ctx = await wf.run([2, 7]);
    expect(ctx.output).toEqual({ "Iteration #0": 13, "Iteration #1": 13 });
    const started = ctx.events.filter((e) => e.type === "TASK_STARTED");
    expect(started.map((e) => e.name)).toEqual(["sum_fibo_0", "sum_fibo_1"]);
    expect(started[0]?.source_id).toMatch(/^sum_fibo_0_[0-9a-f]{16}$/);
  });

  it("simple_graph: Joe → 'Hello, Joe'; no input → FAILED(TypeError)", async () => {
    const ctx = await simpleGraph.run("Joe");
    expect(ctx.output).toBe("Hello, Joe");
    expect(ctx.events.filter((e) => e.type === "TASK_STARTED").map((e) => e.name)).toEqual([
      "graph_hello_world",
      "get_name",
      "say_hello",
    ]);
    const failed = await simpleGraph.run();
    expect(failed.state).toBe("FAILED");
    expect(failed.output).toBeInstanceOf(TypeError);
  });
});

describe("§6.2 task options examples", () => {
  it("task_cache: [6,6,6], the body runs once, also across executions", async () => {
    let calls = 0;
    const multiply = task.withOptions({ name: "multiply", cache: true }, (a: number, b: number) => {
      calls++;
      return a * b;
    });
    const wf = workflow(
      "workflow_with_cached_task",
      async (ctx: ExecutionContext<[number, number, number]>) => {
        const input = ctx.input;
        if (!Array.isArray(input) || input.length !== 3)
          throw new Error("The input should be a tuple of three integers.");
        const [a, b, times] = input;
        const out: number[] = [];
        for (let i = 0; i < times; i++) out.push(await multiply(a, b));
        return out;
      },
    );
    const vt = new VirtualTime();
    const cache = inMemoryCache(() => vt.now);
    const ctx = await wf.run([2, 3, 3], { ports: vt.ports({ cache }) });
    expect(ctx.output).toEqual([6, 6, 6]);
    expect(calls).toBe(1);
    // A cache hit still records TASK_STARTED/TASK_COMPLETED (ids ~1, ~2).
    expect(taskTrace(ctx)).toEqual(Array(3).fill(["TASK_STARTED", "TASK_COMPLETED"]).flat());
    const second = await wf.run([2, 3, 3], { ports: vt.ports({ cache }) });
    expect(second.output).toEqual([6, 6, 6]);
    expect(calls).toBe(1);
    const failed = await wf.run(undefined, { ports: vt.ports({ cache }) });
    expect(failed.state).toBe("FAILED");
    expect((failed.output as unknown as Error).message).toBe(
      "The input should be a tuple of three integers.",
    );
  });

  it("task_cache: ttl expires", async () => {
    let calls = 0;
    const multiply = task.withOptions({ name: "multiply_ttl", cache: { ttl: "1m" } }, (a: number) => {
      calls++;
      return a * 2;
    });
    const wf = workflow("cache_ttl", async () => await multiply(4));
    const vt = new VirtualTime();
    const cache = inMemoryCache(() => vt.now);
    await wf.run(null, { ports: vt.ports({ cache }) });
    await wf.run(null, { ports: vt.ports({ cache }) });
    expect(calls).toBe(1);
    vt.now += 61_000;
    await wf.run(null, { ports: vt.ports({ cache }) });
    expect(calls).toBe(2);
  });

  it("task_fallback: tasks #1 and #3 fall back to null", async () => {
    const ctx = await taskFallback.run();
    expect(ctx.state).toBe("COMPLETED");
    expect(ctx.output).toBeNull();
    const byTask = new Map<string, string[]>();
    for (const e of ctx.events.filter((x) => x.type.startsWith("TASK_"))) {
      byTask.set(e.source_id, [...(byTask.get(e.source_id) ?? []), e.type]);
    }
    const traces = [...byTask.values()];
    const fellBack = ["TASK_STARTED", "TASK_FALLBACK_STARTED", "TASK_FALLBACK_COMPLETED", "TASK_COMPLETED"];
    expect(traces).toEqual([fellBack, ["TASK_STARTED", "TASK_COMPLETED"], fellBack]);
    expect(ctx.events.filter((e) => e.type === "TASK_FALLBACK_COMPLETED").map((e) => e.value)).toEqual([
      null,
      null,
    ]);
  });

  it("task_fallback_after_retry: retries used up, then the fallback", async () => {
    const vt = new VirtualTime();
    const ctx = await taskFallbackAfterRetry.run(null, { ports: vt.ports() });
    expect(ctx.output).toEqual(["fallback for bad_task #1 succeed", "bad_task #2 succeed"]);
    const first = ctx.events.filter((e) => e.source_id === ctx.events[1]?.source_id).map((e) => e.type);
    expect(first).toEqual([
      "TASK_STARTED",
      "TASK_RETRY_FAILED",
      "TASK_RETRY_STARTED",
      "TASK_RETRY_FAILED",
      "TASK_RETRY_STARTED",
      "TASK_RETRY_FAILED",
      "TASK_FALLBACK_STARTED",
      "TASK_FALLBACK_COMPLETED",
      "TASK_COMPLETED",
    ]);
    // Waits of 1 s and 2 s (virtual).
    expect(
      vt.waits.filter((w) => w.reason === "retry").map((w) => w.at - Date.parse("2026-01-01T00:00:00Z")),
    ).toEqual([1000, 3000]);
  });

  it("task_map: count.map(range(n)) → n; no input → FAILED(TypeError)", async () => {
    const count = task("count", (to: number) => Array.from({ length: to + 1 }, (_, i) => i));
    const wf = workflow("task_map", async (ctx: ExecutionContext<number>) => {
      if (typeof ctx.input !== "number")
        throw new TypeError("'NoneType' object cannot be interpreted as an integer");
      const results = await count.map(Array.from({ length: ctx.input }, (_, i) => i));
      expect(results).toEqual(
        Array.from({ length: ctx.input }, (_, i) => Array.from({ length: i + 1 }, (_, j) => j)),
      );
      return results.length;
    });
    expect((await wf.run(4)).output).toBe(4);
    const ten = await wf.run(10);
    expect(ten.output).toBe(10);
    // No wrapper task for map: ten count tasks with distinct ids.
    const ids = ten.events.filter((e) => e.type === "TASK_STARTED").map((e) => e.source_id);
    expect(new Set(ids).size).toBe(10);
    expect(ids.every((id) => strip(id) === "count")).toBe(true);
    const failed = await wf.run();
    expect(failed.output).toBeInstanceOf(TypeError);
  });

  it("task_retries: bad_task(1) fails twice, the 3rd attempt succeeds; delays 1 s then 2 s", async () => {
    const vt = new VirtualTime();
    const ctx = await taskRetries.run(null, { ports: vt.ports() });
    expect(ctx.output).toBeNull();
    const firstId = ctx.events[1]?.source_id;
    const first = ctx.events.filter((e) => e.source_id === firstId);
    expect(first.map((e) => e.type)).toEqual([
      "TASK_STARTED",
      "TASK_RETRY_FAILED",
      "TASK_RETRY_STARTED",
      "TASK_RETRY_FAILED",
      "TASK_RETRY_STARTED",
      "TASK_RETRY_COMPLETED",
      "TASK_COMPLETED",
    ]);
    expect(
      first.slice(1, 6).map((e) => [retryValue(e).current_attempt, retryValue(e).current_delay]),
    ).toEqual([
      [0, 0],
      [1, 1],
      [1, 1],
      [2, 2],
      [2, 2],
    ]);
    const second = ctx.events
      .filter((e) => e.type.startsWith("TASK_") && e.source_id !== firstId)
      .map((e) => e.type);
    expect(second).toEqual(["TASK_STARTED", "TASK_COMPLETED"]);
  });

  it("task_rollback: FAILED(ExecutionError(Error)) after bad_task(3) rolls back", async () => {
    const ctx = await taskRollback.run();
    expect(ctx.state).toBe("FAILED");
    expect(ctx.output).toBeInstanceOf(ExecutionError);
    const error = ctx.output as unknown as ExecutionError;
    expect(error.inner).toBeInstanceOf(Error);
    expect(error.inner?.message).toBe("bad_task #3 failed");
    const third = ctx.events.filter((e) => e.source_id === ctx.events.at(-2)?.source_id).map((e) => e.type);
    expect(third).toEqual([
      "TASK_STARTED",
      "TASK_ROLLBACK_STARTED",
      "TASK_ROLLBACK_COMPLETED",
      "TASK_FAILED",
    ]);
    expect(ctx.events.find((e) => e.type === "TASK_ROLLBACK_COMPLETED")?.value).toBe(
      "rolled back bad_task #3",
    );
  });

  it.each([
    ["task_timeout", taskTimeout],
    ["task_nested_timeout", taskNestedTimeout],
  ])("%s: FAILED(ExecutionTimeoutError) without extra wrapping", async (_name, wf) => {
    const vt = new VirtualTime();
    const ctx = await wf.run(null, { ports: vt.ports() });
    expect(ctx.state).toBe("FAILED");
    expect(ctx.output).toBeInstanceOf(ExecutionTimeoutError);
    const id = ctx.events.find((e) => e.name === "long_task")?.source_id as string;
    expect(id).toMatch(/^long_task_[0-9a-f]{16}$/);
    expect((ctx.output as unknown as Error).message).toBe(`Task long_task (${id}) timed out (1s).`);
    expect(ctx.events.at(-1)?.value).toMatchObject({
      type: "ExecutionTimeoutError",
      message: `Task long_task (${id}) timed out (1s).`,
    });
  });
});

describe("§6.3 pause / resume / cancellation examples", () => {
  it("pause_workflow: PAUSED with {name, output: null}, then resume → processed; earlier tasks not re-run", async () => {
    let processed = 0;
    const vt = new VirtualTime();
    const inner = task("inner_sleep", async () => {
      await vt.delay(10);
      return "slept";
    });
    const procesData = task("proces_data", async () => {
      processed++;
      return await inner();
    });
    const wf = workflow("pause_workflow", async () => {
      await procesData();
      const { pause } = await import("flux");
      await pause("wait_for_approval");
      return "Data processed and approved";
    });
    const ctx = await wf.run(null, { ports: vt.ports() });
    expect(ctx.state).toBe("PAUSED");
    expect(ctx.isPaused).toBe(true);
    expect(ctx.output).toBeNull();
    expect(ctx.events.at(-1)).toMatchObject({
      type: "WORKFLOW_PAUSED",
      value: { name: "wait_for_approval", output: null },
    });
    const resumed = await wf.resume(ctx.executionId);
    expect(resumed.output).toBe("Data processed and approved");
    expect(processed).toBe(1);
  });

  it.each([
    [{ multiplier: 5, note: "x" }, 11],
    [null, 7],
    [{}, 7],
    [{ multiplier: 10 }, 16],
  ])("pause_with_input: resume with %j → result %i", async (input, result) => {
    const ctx = await pauseWithInput.run();
    expect(ctx.state).toBe("PAUSED");
    expect(ctx.summary().output).toEqual({ stage: "initial", data: [1, 2, 3] });
    const done = await pauseWithInput.resume(ctx.executionId, input);
    expect(done.output).toEqual({
      stage: "processed",
      initial_data: { stage: "initial", data: [1, 2, 3] },
      user_input: input,
      result,
    });
    expect(done.events.filter((e) => e.type === "WORKFLOW_RESUMING").map((e) => e.value)).toEqual([input]);
    expect(done.events.filter((e) => e.type === "TASK_RESUMED").map((e) => e.value)).toEqual([
      { name: "waiting_for_user_input", input },
    ]);
    expect(done.events.filter((e) => e.name === "initial_data" && e.type === "TASK_STARTED")).toHaveLength(1);
  });

  it("multiple_input_pause_workflow: three resumes, inputs in order", async () => {
    const values = [{ debug: true }, { rate: 3 }, { approved: true }];
    let ctx = await multipleInputPause.run();
    for (const value of values) {
      expect(ctx.state).toBe("PAUSED");
      ctx = await multipleInputPause.resume(ctx.executionId, value);
    }
    expect(ctx.output).toEqual({
      stage: "completed",
      inputs: [
        { step: 1, type: "config", value: values[0] },
        { step: 2, type: "parameters", value: values[1] },
        { step: 3, type: "approval", value: values[2] },
      ],
    });
    expect(
      ctx.events.filter((e) => e.type === "WORKFLOW_PAUSED").map((e) => (e.value as { name: string }).name),
    ).toEqual(["waiting_for_config", "waiting_for_parameters", "waiting_for_approval"]);
  });

  it("conditional_pause_workflow: no pause when not required; pause then decision otherwise", async () => {
    const direct = await conditionalPause.run({ requires_approval: false });
    expect(direct.output).toEqual({ approved: true, message: "No approval required" });
    for (const approved of [true, false]) {
      const paused = await conditionalPause.run({ requires_approval: true });
      expect(paused.state).toBe("PAUSED");
      expect((paused.events.at(-1)?.value as { name: string }).name).toBe("approval_required");
      const done = await conditionalPause.resume(paused.executionId, { approved });
      expect(done.output).toEqual({ approved, message: "Approval processed" });
    }
  });

  it("cancellable_workflow: 1 iteration completes with [0]", async () => {
    const ctx = await cancellable.run({ iterations: 1 });
    expect(ctx.output).toEqual([0]);
  });

  it("cancellable_workflow: cancelled mid-way → CANCELLED", async () => {
    const running = cancellable.run({ iterations: 10 }, { executionId: "cancel-me" });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const ctx = await cancellable.cancel("cancel-me");
    await running;
    expect(ctx.state).toBe("CANCELLED");
    expect(ctx.isCancelled).toBe(true);
    expect(ctx.events.filter((e) => e.type === "TASK_CANCELLED")).toHaveLength(1);
    expect(types(ctx).slice(-1)).toEqual(["WORKFLOW_CANCELLED"]);
  });

  it("cancellation: rollback runs, fallback does not; the task body sees its signal abort", async () => {
    const vt = new VirtualTime();
    let fallbacks = 0;
    let sawAbort = false;
    const quick = task("quick", () => 1);
    const longt = task.withOptions(
      {
        name: "longt",
        rollback: () => "rb",
        fallback: () => {
          fallbacks++;
          return "fb";
        },
      },
      async (_x: number) => {
        const { signal } = taskContext();
        signal.addEventListener("abort", () => (sawAbort = true));
        await vt.delay(60_000, signal);
        return "done";
      },
    );
    const wf = workflow("cancel_wf", async () => [await quick(), await longt(1)]);
    const running = wf.run(null, { ports: vt.ports(), executionId: "cancel-rb" });
    await until(() => vt.waits.some((w) => w.key === "test-delay"));
    const ctx = await wf.cancel("cancel-rb");
    await running;
    expect(ctx.state).toBe("CANCELLED");
    expect(sawAbort).toBe(true);
    expect(fallbacks).toBe(0);
    expect(types(ctx)).toEqual([
      "WORKFLOW_STARTED",
      "TASK_STARTED",
      "TASK_COMPLETED",
      "TASK_STARTED",
      "WORKFLOW_CANCELLING",
      "TASK_CANCELLED",
      "TASK_ROLLBACK_STARTED",
      "TASK_ROLLBACK_COMPLETED",
      "WORKFLOW_CANCELLED",
    ]);
  });
});
