// Authoring mistakes fail early (at definition, or at the call before anything is recorded) with messages
// that say what to do.
import { describe, expect, it } from "vitest";
import {
  AuthoringError,
  ExecutionError,
  Graph,
  InputValidationError,
  parallel,
  pause,
  pipeline,
  sleep,
  task,
  taskContext,
  toMilliseconds,
  workflow,
  type InputSchema,
} from "flux";

const noop = (x: unknown) => x;

describe("tasks", () => {
  it("a task without a name", () => {
    expect(() =>
      task(
        (
          () => (x: number) =>
            x
        )(),
      ),
    ).toThrow(AuthoringError);
    expect(() =>
      task(
        (
          () => (x: number) =>
            x
        )(),
      ),
    ).toThrow(/A task needs a name/);
    expect(() => task.withOptions({ name: "" }, noop)).toThrow(/needs a name/);
    expect(() => task.withOptions({ name: 5 as never }, noop)).toThrow(/string or a function/);
    expect(() => (task as unknown as (n: string) => unknown)("lonely")).toThrow(
      /needs a function as its second argument/,
    );
    expect(() => task("x", "not a function" as never)).toThrow(/needs a function/);
  });

  it("a named function gives the task its name", async () => {
    const t = task(function addOne(x: number) {
      return x + 1;
    });
    expect(t.taskName).toBe("addOne");
    const ctx = await workflow("named_fn", async () => await t(1)).run();
    expect(ctx.events[1]?.name).toBe("addOne");
  });

  it.each<[string, object, RegExp]>([
    [
      "negative retryMaxAttempts",
      { retryMaxAttempts: -1 },
      /retryMaxAttempts must be a non-negative integer/,
    ],
    [
      "fractional retryMaxAttempts",
      { retryMaxAttempts: 1.5 },
      /retryMaxAttempts must be a non-negative integer/,
    ],
    ["zero retryBackoff", { retryBackoff: 0 }, /retryBackoff must be a positive number/],
    ["NaN retryBackoff", { retryBackoff: NaN }, /retryBackoff must be a positive number/],
    ["bad retryDelay string", { retryDelay: "soon" }, /retryDelay "soon" is not a duration/],
    ["negative retryDelay", { retryDelay: -1 }, /retryDelay must be a non-negative number/],
    ["bad timeout", { timeout: "5 weeks" }, /timeout "5 weeks" is not a duration/],
    ["bad cache ttl", { cache: { ttl: "forever" } }, /cache ttl "forever" is not a duration/],
    ["fallback not a function", { fallback: "plan b" }, /fallback must be a function/],
    ["rollback not a function", { rollback: 1 }, /rollback must be a function/],
  ])("bad option: %s", (_name, options, message) => {
    expect(() => task.withOptions({ name: "t", ...options } as never, noop)).toThrow(AuthoringError);
    expect(() => task.withOptions({ name: "t", ...options } as never, noop)).toThrow(message);
  });

  it("a name function that returns no string fails the call", async () => {
    const t = task.withOptions({ name: () => "" }, noop);
    const ctx = await workflow("bad_name_fn", async () => await t(1)).run();
    expect(ctx.output).toBeInstanceOf(AuthoringError);
    expect((ctx.output as unknown as Error).message).toMatch(/name function must return a non-empty string/);
  });

  it("calling a task outside a workflow", async () => {
    const t = task("outside", () => 1);
    await expect(t()).rejects.toThrow(ExecutionError);
    await expect(t()).rejects.toThrow(/No active workflow execution/);
  });

  it("taskContext() outside a task", async () => {
    expect(() => taskContext()).toThrow(/only available inside a running task/);
    const ctx = await workflow("ctx_outside", async () => taskContext().taskId).run();
    expect(ctx.output).toBeInstanceOf(AuthoringError);
  });

  it("map with maxConcurrent < 1", async () => {
    const t = task("m", noop);
    const ctx = await workflow("bad_map", async () => await t.map([1, 2], { maxConcurrent: 0 })).run();
    expect((ctx.output as unknown as Error).message).toMatch(/maxConcurrent must be an integer ≥ 1, got 0/);
  });
});

describe("workflows", () => {
  it("names", () => {
    expect(() =>
      workflow(
        (
          () => async () =>
            null
        )(),
      ),
    ).toThrow(/A workflow needs a name/);
    expect(() => workflow("has space", async () => null)).toThrow(/must start with a letter or digit/);
    expect(() => (workflow as unknown as (n: string) => unknown)("no_fn")).toThrow(/needs a function/);
    expect(() => workflow("x", 1 as never)).toThrow(/needs a function/);
    const named = workflow(async function namedWorkflow() {
      return 1;
    });
    expect(named.name).toBe("namedWorkflow");
    expect(workflow.withOptions({ name: "ns_wf", namespace: "billing" }, async () => 1).namespace).toBe(
      "billing",
    );
  });

  it("inputSchema (anything with safeParse) validates before anything is created", async () => {
    const schema: InputSchema = {
      safeParse: (value) =>
        typeof value === "object" && value !== null && typeof (value as { n?: unknown }).n === "number"
          ? { success: true, data: { n: (value as { n: number }).n, defaulted: true } }
          : { success: false, error: { message: "n must be a number", issues: [{ path: ["n"] }] } },
    };
    const wf = workflow.withOptions({ name: "validated", inputSchema: schema }, async (ctx) => ctx.input);
    const bad = wf.run({ n: "x" }, { executionId: "validated-bad" });
    await expect(bad).rejects.toThrow(InputValidationError);
    await expect(wf.run({ n: "x" })).rejects.toThrow(
      /Input for workflow validated is invalid: n must be a number/,
    );
    await expect(wf.resume("validated-bad")).rejects.toThrow(/No execution validated-bad/);
    const ok = await wf.run({ n: 2 });
    expect(ok.output).toEqual({ n: 2, defaulted: true });
    const issues = await wf.run(null).catch((e: InputValidationError) => e.issues);
    expect(issues).toEqual([{ path: ["n"] }]);
  });
});

describe("built-ins", () => {
  it("parallel with maxConcurrent < 1 or a non-task argument", () => {
    const t = task("p", noop);
    expect(() => parallel(t(1), { maxConcurrent: 0 })).toThrow(AuthoringError);
    expect(() => parallel(t(1), { maxConcurrent: 0.5 })).toThrow(/maxConcurrent must be an integer ≥ 1/);
    expect(() => parallel(t(1), 42 as never)).toThrow(/argument 1 is not a task call/);
  });

  it("pause arguments", () => {
    expect(() => pause("p", { after: 5, until: new Date() })).toThrow(
      /takes at most one of 'after' and 'until'/,
    );
    expect(() => pause("p", { after: 0 })).toThrow(/'after' must be greater than 0/);
    expect(() => pause("p", { until: "not a date" })).toThrow(/'until' is not a valid date/);
    expect(() => pause("")).toThrow(/needs a non-empty name/);
  });

  it("pipeline arguments", () => {
    expect(() => pipeline("nope" as never, 1)).toThrow(/needs an array of steps/);
    expect(() => pipeline([noop, 3 as never], 1)).toThrow(/step 1 is not a function or task/);
  });

  it("sleep durations", () => {
    expect(() => sleep("a while")).toThrow(/sleep duration "a while" is not a duration/);
    expect(() => sleep(-1)).toThrow(/must be a non-negative number/);
  });

  it("duration strings", () => {
    expect(toMilliseconds("500ms")).toBe(500);
    expect(toMilliseconds("5s")).toBe(5000);
    expect(toMilliseconds("2m")).toBe(120_000);
    expect(toMilliseconds("1h")).toBe(3_600_000);
    expect(toMilliseconds("7d")).toBe(604_800_000);
    expect(toMilliseconds(" 1.5 s ")).toBe(1500);
    expect(toMilliseconds(2)).toBe(2000);
    expect(() => toMilliseconds(Infinity)).toThrow(AuthoringError);
  });
});

describe("Graph", () => {
  const build = () => new Graph("g").addNode("a", noop).addNode("b", noop);

  it.each<[string, () => Graph, RegExp]>([
    ["no start", () => build().addEdge("a", "b").endWith("b"), /Graph g: no start node \(use startWith\)/],
    ["no end", () => build().addEdge("a", "b").startWith("a"), /Graph g: no end node \(use endWith\)/],
    ["unknown start node", () => build().addEdge("a", "b").startWith("x").endWith("b"), /unknown node "x"/],
    ["unknown end node", () => build().addEdge("a", "b").startWith("a").endWith("y"), /unknown node "y"/],
    [
      "edge from an unknown node",
      () => build().addEdge("z", "b").startWith("a").endWith("b"),
      /edge from unknown node "z"/,
    ],
    [
      "edge to an unknown node",
      () => build().addEdge("a", "z").startWith("a").endWith("b"),
      /edge to unknown node "z"/,
    ],
    [
      "a cycle (names a node on it)",
      () =>
        build()
          .addNode("c", noop)
          .addEdge("a", "b")
          .addEdge("b", "c")
          .addEdge("c", "b")
          .startWith("a")
          .endWith("c"),
      /contains a cycle involving node "(b|c)"/,
    ],
    [
      "an unreachable node",
      () => build().addNode("c", noop).addEdge("a", "b").startWith("a").endWith("b"),
      /node "c" is unreachable/,
    ],
    [
      "an edge into the start node",
      () => build().addEdge("a", "b").addEdge("b", "a").startWith("a").endWith("b"),
      /start node "a" cannot have incoming edges/,
    ],
  ])("validate() rejects %s", (_name, make, message) => {
    expect(() => make().validate()).toThrow(AuthoringError);
    expect(() => make().validate()).toThrow(message);
    expect(() => make().run(1)).toThrow(message);
  });

  it("rejects a duplicate node, a node without an action and a graph without a name", () => {
    expect(() => build().addNode("a", noop)).toThrow(/node "a" already exists/);
    expect(() => build().addNode("c", "x" as never)).toThrow(/node "c" needs a task or function/);
    expect(() => new Graph("")).toThrow(/A Graph needs a name/);
  });

  it("a valid graph validates", () => {
    expect(build().addEdge("a", "b").startWith("a").endWith("b").validate()).toBeInstanceOf(Graph);
  });
});
