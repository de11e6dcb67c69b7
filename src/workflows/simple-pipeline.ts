// simple_pipeline (Flux examples/simple_pipeline.py): ×2, +3, square. 5 → 169.
import { pipeline, task, workflow, type ExecutionContext } from "flux";

const multiplyByTwo = task("multiply_by_two", (x: number) => x * 2);
const addThree = task("add_three", (x: number) => x + 3);
const square = task("square", (x: number) => x * x);

export const simplePipeline = workflow("simple_pipeline", async (ctx: ExecutionContext<number>) => {
  if (typeof ctx.input !== "number") throw new TypeError("Input must be a number");
  return await pipeline<number>([multiplyByTwo, addThree, square], ctx.input);
});
