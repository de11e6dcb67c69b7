// Graph (SPEC §2.4): named nodes, edges with conditions, start and end nodes. Independent ready nodes run
// concurrently; each node runs at most once; a false edge skips its target and what is only reachable
// through it. The whole graph is one recorded task, `graph_{name}`.
import { AuthoringError } from "./errors.ts";
import { TaskCall, type TaskDefinition } from "./task.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- node actions take their upstream outputs, any shape
type NodeAction = (...upstream: any[]) => unknown;
type Condition = (upstreamOutput: unknown) => boolean | PromiseLike<boolean>;

interface Edge {
  from: string;
  to: string;
  condition?: Condition;
}

export class Graph {
  private readonly nodes = new Map<string, NodeAction>();
  private readonly edges: Edge[] = [];
  private readonly starts: string[] = [];
  private readonly ends: string[] = [];

  constructor(readonly name: string) {
    if (typeof name !== "string" || name === "") throw new AuthoringError("A Graph needs a name");
  }

  addNode(name: string, action: NodeAction): this {
    if (this.nodes.has(name)) throw new AuthoringError(`Graph ${this.name}: node "${name}" already exists`);
    if (typeof action !== "function") throw new AuthoringError(`Graph ${this.name}: node "${name}" needs a task or function`);
    this.nodes.set(name, action);
    return this;
  }

  addEdge(from: string, to: string, options: { condition?: Condition } = {}): this {
    this.edges.push({ from, to, condition: options.condition });
    return this;
  }

  startWith(node: string): this {
    this.starts.push(node);
    return this;
  }

  endWith(node: string): this {
    this.ends.push(node);
    return this;
  }

  validate(): this {
    const fail = (message: string): never => {
      throw new AuthoringError(`Graph ${this.name}: ${message}`);
    };
    if (this.starts.length === 0) fail("no start node (use startWith)");
    if (this.ends.length === 0) fail("no end node (use endWith)");
    for (const node of [...this.starts, ...this.ends]) if (!this.nodes.has(node)) fail(`unknown node "${node}"`);
    for (const edge of this.edges) {
      if (!this.nodes.has(edge.from)) fail(`edge from unknown node "${edge.from}"`);
      if (!this.nodes.has(edge.to)) fail(`edge to unknown node "${edge.to}"`);
      if (this.starts.includes(edge.to)) fail(`start node "${edge.to}" cannot have incoming edges`);
    }
    const cycleNode = this.findCycle();
    if (cycleNode) fail(`contains a cycle involving node "${cycleNode}"`);
    const reached = new Set<string>();
    const visit = (node: string) => {
      if (reached.has(node)) return;
      reached.add(node);
      for (const edge of this.edges) if (edge.from === node) visit(edge.to);
    };
    this.starts.forEach(visit);
    for (const node of this.nodes.keys()) if (!reached.has(node)) fail(`node "${node}" is unreachable from the start`);
    return this;
  }

  /** Run the graph as the task `graph_{name}`; validates first. */
  run<T = unknown>(input?: unknown): TaskCall<T> {
    this.validate();
    const definition: TaskDefinition = {
      options: { name: `graph_${this.name}` },
      fn: (value: unknown) => this.execute(value),
    };
    return new TaskCall<T>(definition, [input ?? null]);
  }

  private findCycle(): string | undefined {
    const color = new Map<string, "grey" | "black">();
    const visit = (node: string): string | undefined => {
      color.set(node, "grey");
      for (const edge of this.edges) {
        if (edge.from !== node) continue;
        const state = color.get(edge.to);
        if (state === "grey") return edge.to;
        if (state === undefined) {
          const found = visit(edge.to);
          if (found) return found;
        }
      }
      color.set(node, "black");
      return undefined;
    };
    for (const node of this.nodes.keys()) {
      if (!color.has(node)) {
        const found = visit(node);
        if (found) return found;
      }
    }
    return undefined;
  }

  private async execute(input: unknown): Promise<unknown> {
    const outputs = new Map<string, unknown>();
    const skipped = new Set<string>();
    const edgeOpen = new Map<Edge, boolean>();
    const launched = new Set<string>();
    const inFlight = new Set<Promise<void>>();
    let failure: { error: unknown } | undefined;

    const incoming = (node: string) => this.edges.filter((edge) => edge.to === node);
    const settled = (node: string) => outputs.has(node) || skipped.has(node);

    const consider = (node: string): void => {
      if (launched.has(node) || failure) return;
      const edges = incoming(node);
      if (!edges.every((edge) => settled(edge.from) && edgeOpen.has(edge))) return;
      launched.add(node);
      if (edges.some((edge) => !edgeOpen.get(edge))) return markSkipped(node);
      launch(node, edges.map((edge) => outputs.get(edge.from)));
    };

    const markSkipped = (node: string): void => {
      skipped.add(node);
      for (const edge of this.edges) if (edge.from === node) edgeOpen.set(edge, false);
      for (const edge of this.edges) if (edge.from === node) consider(edge.to);
    };

    const launch = (node: string, args: unknown[]): void => {
      const action = this.nodes.get(node) as NodeAction;
      const job = (async () => {
        const output = await action(...args);
        outputs.set(node, output);
        // Each condition is evaluated once, on this node's output.
        for (const edge of this.edges) {
          if (edge.from === node) edgeOpen.set(edge, edge.condition ? Boolean(await edge.condition(output)) : true);
        }
        for (const edge of this.edges) if (edge.from === node) consider(edge.to);
      })().catch((error: unknown) => {
        failure ??= { error };
      });
      inFlight.add(job);
      void job.finally(() => inFlight.delete(job));
    };

    for (const start of this.starts) {
      launched.add(start);
      launch(start, [input]);
    }
    while (inFlight.size > 0) await Promise.all([...inFlight]);
    if (failure) throw failure.error;
    if (this.ends.length === 1) return outputs.get(this.ends[0] as string) ?? null;
    const result: Record<string, unknown> = {};
    for (const end of this.ends) if (outputs.has(end)) result[end] = outputs.get(end);
    return result;
  }
}
