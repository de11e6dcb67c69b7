// Graph execution (SPEC §2.4): AND-joins with positional upstream outputs, conditions evaluated once,
// skipped nodes propagate, independent nodes run concurrently (differs), several ends → object (differs).
import { describe, expect, it } from "vitest";
import { ExecutionError, Graph, task, taskContext, workflow, type ExecutionContext } from "flux";
import { VirtualTime } from "./helpers.ts";

const run = async (graph: Graph, input: unknown, ports?: object) =>
  workflow(`wf_${graph.name}`, async (ctx: ExecutionContext<unknown>) => await graph.run(ctx.input)).run(
    input,
    ports ? { ports } : {},
  );

describe("Graph execution", () => {
  it("conditions are evaluated once per edge, on the upstream output (async conditions too)", async () => {
    let evaluations = 0;
    const graph = new Graph("once")
      .addNode("a", (x: number) => x * 2)
      .addNode("b", (x: number) => x + 1)
      .addNode("c", (x: number) => x - 1)
      .addNode("d", (b: number, c: number) => [b, c])
      .addEdge("a", "b", {
        condition: async (x) => {
          evaluations++;
          return (x as number) > 0;
        },
      })
      .addEdge("a", "c")
      .addEdge("b", "d")
      .addEdge("c", "d")
      .startWith("a")
      .endWith("d");
    expect((await run(graph, 5)).output).toEqual([11, 9]);
    expect(evaluations).toBe(1);
  });

  it("a skipped node skips what is only reachable through it, and an AND-join that needs it", async () => {
    const ran: string[] = [];
    const node = (name: string) => (x: unknown) => {
      ran.push(name);
      return x;
    };
    const graph = new Graph("skips")
      .addNode("start", node("start"))
      .addNode("gated", node("gated"))
      .addNode("after_gated", node("after_gated"))
      .addNode("other", node("other"))
      .addNode("join", node("join"))
      .addEdge("start", "gated", { condition: () => false })
      .addEdge("gated", "after_gated")
      .addEdge("start", "other")
      .addEdge("after_gated", "join")
      .addEdge("other", "join")
      .startWith("start")
      .endWith("join")
      .endWith("other");
    expect((await run(graph, "in")).output).toEqual({ other: "in" });
    expect(ran.sort()).toEqual(["other", "start"]);
  });

  it("independent nodes run concurrently (differs from Flux's sequential DFS)", async () => {
    const vt = new VirtualTime();
    const slow = (name: string) =>
      task(name, async (x: number) => {
        await vt.delay(1000, taskContext().signal);
        return x;
      });
    const graph = new Graph("fan")
      .addNode("src", (x: number) => x)
      .addNode("l", slow("left"))
      .addNode("r", slow("right"))
      .addNode("sum", (l: number, r: number) => l + r)
      .addEdge("src", "l")
      .addEdge("src", "r")
      .addEdge("l", "sum")
      .addEdge("r", "sum")
      .startWith("src")
      .endWith("sum");
    const ctx = await run(graph, 2, vt.ports());
    expect(ctx.output).toBe(4);
    expect(vt.now - Date.parse("2026-01-01T00:00:00Z")).toBe(1000);
  });

  it("several start nodes each receive the graph input", async () => {
    const graph = new Graph("two_starts")
      .addNode("a", (x: number) => x + 1)
      .addNode("b", (x: number) => x * 10)
      .addNode("join", (a: number, b: number) => ({ a, b }))
      .addEdge("a", "join")
      .addEdge("b", "join")
      .startWith("a")
      .startWith("b")
      .endWith("join");
    expect((await run(graph, 3)).output).toEqual({ a: 4, b: 30 });
  });

  it("a failing node fails the graph task and the workflow with that ExecutionError", async () => {
    const bad = task("bad_node", () => {
      throw new RangeError("node broke");
    });
    const graph = new Graph("failing")
      .addNode("a", (x: number) => x)
      .addNode("b", bad)
      .addEdge("a", "b")
      .startWith("a")
      .endWith("b");
    const ctx = await run(graph, 1);
    expect(ctx.state).toBe("FAILED");
    expect(ctx.output).toBeInstanceOf(ExecutionError);
    expect((ctx.output as unknown as ExecutionError).inner).toBeInstanceOf(RangeError);
    expect(ctx.events.filter((e) => e.type === "TASK_FAILED").map((e) => e.name)).toEqual([
      "bad_node",
      "graph_failing",
    ]);
  });

  it("a graph can run more than once; each run is its own graph task occurrence", async () => {
    const graph = new Graph("again")
      .addNode("a", (x: number) => x + 1)
      .startWith("a")
      .endWith("a");
    const wf = workflow("graph_twice", async () => [
      await graph.run(1),
      await graph.run(1),
      await graph.run(2),
    ]);
    const ctx = await wf.run();
    expect(ctx.output).toEqual([2, 2, 3]);
    const ids = ctx.events.filter((e) => e.type === "TASK_STARTED").map((e) => e.source_id);
    expect(ids[1]).toBe(`${ids[0]}~1`);
    expect(ids[2]).not.toContain("~");
  });

  it("no input → the start node gets null", async () => {
    const graph = new Graph("nullable")
      .addNode("a", (x: unknown) => x ?? "was null")
      .startWith("a")
      .endWith("a");
    expect((await run(graph, undefined)).output).toBe("was null");
  });
});
