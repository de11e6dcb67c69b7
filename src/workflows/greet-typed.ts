// greet_typed: a workflow with a zod `inputSchema` (SPEC §2.2). Invalid input is refused with 400 before an
// execution exists; the schema is published in the registry metadata as JSON Schema.
import { task, workflow, type ExecutionContext } from "flux";
import { z } from "zod";

const GreetInput = z.object({
  name: z.string().min(1),
  times: z.number().int().min(1).max(5).optional(),
});
type GreetInput = z.infer<typeof GreetInput>;

const greet = task("greet", (name: string, times: number) =>
  Array.from({ length: times }, () => `Hello, ${name}`).join(" "),
);

export const greetTyped = workflow.withOptions(
  { name: "greet_typed", description: "Greets `name`, `times` times (typed input)", inputSchema: GreetInput },
  async (ctx: ExecutionContext<GreetInput>) => await greet(ctx.input.name, ctx.input.times ?? 1),
);
