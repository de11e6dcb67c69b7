// Replay (SPEC §3.1): a host that stops after ANY event and rebuilds the run from the stored log must end
// with the same output and the same log as a run that never stopped (modulo `time`/`id`): no duplicate
// TASK_STARTED, no re-recorded events, and completed task bodies are never run again.
import { describe, expect, it } from "vitest";
import {
  Graph,
  now,
  parallel,
  pause,
  task,
  taskContext,
  workflow,
  WorkflowRun,
  type ExecutionEvent,
  type HostPorts,
  type Workflow,
} from "flux";
import { parallelTasks } from "../../src/workflows/parallel-tasks.ts";
import { multipleInputPause, pauseWithInput } from "../../src/workflows/pause-with-input.ts";
import { simpleGraph } from "../../src/workflows/simple-graph.ts";
import { simplePipeline } from "../../src/workflows/simple-pipeline.ts";
import { taskFallbackAfterRetry } from "../../src/workflows/task-fallback.ts";
import { shape, VirtualTime } from "./helpers.ts";

const EXECUTION_ID = "replay-exec";

interface Scenario {
  wf: Workflow<never, unknown>;
  input?: unknown;
  /** Inputs for successive resumes of a pausing workflow. */
  resumes?: unknown[];
}

const freshPorts = () => new VirtualTime().ports() as HostPorts;

async function drive(run: WorkflowRun, scenario: Scenario): Promise<WorkflowRun> {
  await run.execute(scenario.input);
  const resumes = scenario.resumes ?? [];
  let used = run.events.filter((e) => e.type === "WORKFLOW_RESUMING").length;
  while (run.state === "PAUSED" && used < resumes.length) {
    run.requestResume(resumes[used++]);
    await run.execute();
  }
  return run;
}

async function straight(scenario: Scenario): Promise<WorkflowRun> {
  return drive(
    new WorkflowRun({ executionId: EXECUTION_ID, workflow: scenario.wf, ports: freshPorts() }),
    scenario,
  );
}

async function fromPrefix(scenario: Scenario, prefix: readonly ExecutionEvent[]): Promise<WorkflowRun> {
  const run = new WorkflowRun({
    executionId: EXECUTION_ID,
    workflow: scenario.wf,
    ports: freshPorts(),
    events: prefix,
  });
  return drive(run, scenario);
}

function startedTwice(events: readonly ExecutionEvent[]): string[] {
  const seen = new Set<string>();
  const dupes: string[] = [];
  for (const e of events.filter((x) => x.type === "TASK_STARTED")) {
    if (seen.has(e.source_id)) dupes.push(e.source_id);
    seen.add(e.source_id);
  }
  return dupes;
}

async function expectReplayable(scenario: Scenario): Promise<WorkflowRun> {
  const reference = await straight(scenario);
  expect(reference.context.hasFinished).toBe(true);
  expect(startedTwice(reference.events)).toEqual([]);
  const expected = shape(reference.events);
  for (let cut = 0; cut <= reference.events.length; cut++) {
    const prefix = reference.events.slice(0, cut);
    const replayed = await fromPrefix(scenario, prefix);
    const context = `replay from a prefix of ${cut} events (last: ${prefix.at(-1)?.type ?? "none"})`;
    expect(shape(replayed.events), context).toEqual(expected);
    expect(replayed.context.output, context).toEqual(reference.context.output);
    expect(replayed.state, context).toBe(reference.state);
  }
  return reference;
}

// Deterministic flaky task: fails on attempts 0 and 1 (by attempt number, so replays behave the same).
const flaky = task.withOptions({ name: "flaky", retryMaxAttempts: 3, retryDelay: 1 }, (x: number) => {
  if (taskContext().attempt < 2) throw new Error(`attempt ${taskContext().attempt} failed`);
  return x * 10;
});

const third = task("third_task", async () => "third");
const second = task("second_task", async () => ["result", await third()]);
const first = task("first_task", async () => await third());
const threeLevels = task("three_levels_task", async () => ["three_levels", ...(await second())]);
const nestedTasks = workflow("nested_tasks_workflow", async () => {
  await first();
  await second();
  return await threeLevels();
});

// The same call nested in a task and then made by the workflow itself (e.g. now() in a task and at the top):
// a replay where the task returns its recorded result must not hand the nested call's id to the top-level one.
const stamp = task("stamp", () => "t");
const wrapper = task("wrapper", async () => await stamp());
const nestedThenTopLevel = workflow("nested_then_top_level", async () => {
  const a = await wrapper();
  const b = await stamp();
  return [a, b, await now(), await task("uses_now", async () => await now())()];
});
const concurrentIdentical = workflow(
  "concurrent_identical",
  async () => await Promise.all([wrapper(), stamp(), stamp()]),
);

const nestedPause = workflow("nested_pause", async () => {
  const outer = task("outer", async () => `got ${String(await pause("inner_gate", { output: { ask: 1 } }))}`);
  return [await outer(), await third()];
});

const branchy = new Graph("branchy")
  .addNode(
    "a",
    task("a", (x: number) => x),
  )
  .addNode(
    "b",
    task("b", (x: number) => x + 1),
  )
  .addNode(
    "c",
    task("c", (x: number) => x * 2),
  )
  .addNode(
    "skip",
    task("skip", (x: number) => -x),
  )
  .addNode(
    "join",
    task("join", (x: number, y: number) => x + y),
  )
  .addEdge("a", "b")
  .addEdge("a", "c")
  .addEdge("a", "skip", { condition: (x) => (x as number) > 100 })
  .addEdge("b", "join")
  .addEdge("c", "join")
  .startWith("a")
  .endWith("join")
  .endWith("skip");
const graphWorkflow = workflow("branchy_graph", async () => await branchy.run(5));

const rollbackFails = workflow("rollback_fails", async () => {
  const t = task.withOptions(
    {
      name: "charge",
      rollback: () => {
        throw new RangeError("refund failed");
      },
    },
    (_order: string) => {
      throw new Error("card declined");
    },
  );
  return await t("o-1");
});

const fallbackFails = workflow("fallback_fails", async () => {
  const t = task.withOptions(
    {
      name: "fetch_quote",
      retryMaxAttempts: 1,
      retryDelay: "500ms",
      fallback: () => {
        throw new Error("no cached quote");
      },
    },
    (_symbol: string) => {
      throw new Error("feed down");
    },
  );
  try {
    return await t("FLUX");
  } catch (error) {
    return `caught: ${(error as Error).message}`;
  }
});

const mixed = workflow("mixed", async () => {
  const values = await parallel(flaky(1), flaky(2), { maxConcurrent: 1 });
  return [values, await taskFallbackAfterRetry.fn({} as never)];
});

describe("replay from every prefix of the log", () => {
  it.each<[string, Scenario]>([
    ["pipeline", { wf: simplePipeline as never, input: 5 }],
    ["parallel", { wf: parallelTasks as never, input: "Joe" }],
    ["nested tasks with occurrences", { wf: nestedTasks as never }],
    ["an identical call nested in a task, then at the top level", { wf: nestedThenTopLevel as never }],
    ["identical calls awaited together at the top level", { wf: concurrentIdentical as never }],
    ["retries then success", { wf: workflow("flaky_wf", async () => await flaky(2)) as never }],
    ["retries used up → fallback", { wf: taskFallbackAfterRetry as never }],
    ["parallel of retrying tasks + fallback", { wf: mixed as never }],
    ["rollback that fails (its error replaces the original)", { wf: rollbackFails as never }],
    ["retry then a fallback that fails, caught by the workflow", { wf: fallbackFails as never }],
    ["graph (concurrent branches, skipped node)", { wf: graphWorkflow as never }],
    ["simple graph", { wf: simpleGraph as never, input: "Joe" }],
    ["pause / resume with input", { wf: pauseWithInput as never, resumes: [{ multiplier: 5 }] }],
    ["three pauses", { wf: multipleInputPause as never, resumes: ["c", { p: 2 }, true] }],
    ["pause inside a nested task", { wf: nestedPause as never, resumes: ["yes"] }],
  ])("%s", async (_name, scenario) => {
    await expectReplayable(scenario);
  });

  it("a workflow body failure replays to the same FAILED log", async () => {
    const reference = await expectReplayable({ wf: simplePipeline as never, input: "not a number" });
    expect(reference.state).toBe("FAILED");
  });
});

describe("completed task bodies never run again on replay", () => {
  it("counts body calls for every prefix", async () => {
    const calls = new Map<string, number>();
    const counted = (name: string, fn: (x: number) => number) =>
      task(name, (x: number) => {
        calls.set(name, (calls.get(name) ?? 0) + 1);
        return fn(x);
      });
    const steps = [
      counted("double", (x) => x * 2),
      counted("inc", (x) => x + 1),
      counted("square", (x) => x * x),
    ];
    const wf = workflow("counted_pipeline", async () => {
      let x = 3;
      for (const step of steps) x = await step(x);
      return x;
    });
    const reference = await straight({ wf: wf as never });
    expect(reference.context.output).toBe(49);
    for (let cut = 0; cut <= reference.events.length; cut++) {
      calls.clear();
      const prefix = reference.events.slice(0, cut);
      await fromPrefix({ wf: wf as never }, prefix);
      for (const name of ["double", "inc", "square"]) {
        const completed = prefix.some((e) => e.type === "TASK_COMPLETED" && e.name === name);
        const finished = prefix.some((e) => e.type === "WORKFLOW_COMPLETED");
        expect(calls.get(name) ?? 0, `${name} after ${cut} events`).toBe(completed || finished ? 0 : 1);
      }
    }
  });

  it("a finished execution does not run its body at all", async () => {
    let bodies = 0;
    const wf = workflow("once", async () => ++bodies);
    const reference = await straight({ wf: wf as never });
    await fromPrefix({ wf: wf as never }, reference.events);
    expect(bodies).toBe(1);
  });
});

describe("journal and stored state", () => {
  it("the journal sees every new event once, in order, and is checkpointed after results and at the end", async () => {
    const appended: ExecutionEvent[] = [];
    let checkpoints = 0;
    const journal = {
      append: (e: ExecutionEvent) => appended.push(e),
      checkpoint: async () => void checkpoints++,
    };
    const run = new WorkflowRun({
      executionId: EXECUTION_ID,
      workflow: simplePipeline as never,
      ports: freshPorts(),
      journal,
    });
    await run.execute(5);
    expect(appended).toEqual(run.events);
    expect(appended.map((e) => e.id)).toEqual(appended.map((_, i) => i + 1));
    expect(checkpoints).toBe(5); // four TASK_COMPLETED + the end of the run
    const replay = new WorkflowRun({
      executionId: EXECUTION_ID,
      workflow: simplePipeline as never,
      ports: freshPorts(),
      events: run.events.slice(0, 4),
      journal: { append: (e) => appended.push(e) },
    });
    appended.length = 0;
    await replay.execute();
    expect(appended.map((e) => e.id)).toEqual([5, 6, 7, 8, 9, 10]);
  });

  it("a terminal state is final even if the stored log has writes after it", () => {
    const at = new Date(0).toISOString();
    const event = (id: number, type: ExecutionEvent["type"]): ExecutionEvent => ({
      id,
      type,
      source_id: "s",
      name: "n",
      value: null,
      time: at,
    });
    const run = new WorkflowRun({
      executionId: "x",
      workflow: simplePipeline as never,
      ports: freshPorts(),
      events: [event(1, "WORKFLOW_STARTED"), event(2, "WORKFLOW_COMPLETED"), event(3, "WORKFLOW_PAUSED")],
    });
    expect(run.state).toBe("COMPLETED");
    run.append("WORKFLOW_FAILED", "s", "n", null);
    expect(run.state).toBe("COMPLETED");
  });
});
