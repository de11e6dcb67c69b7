// simple_graph (Flux examples/graph/simple_graph.py): get_name → say_hello.
import { Graph, task, workflow, type ExecutionContext } from "flux";

const getName = task("get_name", async (input: string) => {
  if (input === null || input === undefined) throw new TypeError("Input not provided");
  return input;
});
const sayHello = task("say_hello", async (name: string) => `Hello, ${name}`);

export const simpleGraph = workflow("simple_graph", async (ctx: ExecutionContext<string>) => {
  if (ctx.input === null || ctx.input === undefined) throw new TypeError("Input not provided");
  const graph = new Graph("hello_world")
    .addNode("get_name", getName)
    .addNode("say_hello", sayHello)
    .addEdge("get_name", "say_hello")
    .startWith("get_name")
    .endWith("say_hello");
  return await graph.run(ctx.input);
});
