// hello_world (Flux examples/hello_world.py): one task. No input → FAILED(TypeError) from the body itself.
import { task, workflow, type ExecutionContext } from "flux";

export const sayHello = task("say_hello", async (name: string) => `Hello, ${name}`);

export const helloWorld = workflow("hello_world", async (ctx: ExecutionContext<string>) => {
  if (ctx.input === null || ctx.input === undefined) throw new TypeError("Input not provided");
  return await sayHello(ctx.input);
});
