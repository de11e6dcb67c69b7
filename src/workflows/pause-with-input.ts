// pause_with_input_workflow, multiple_input_pause_workflow, conditional_pause_workflow
// (Flux examples/pause_with_input.py).
import { pause, task, workflow, type ExecutionContext } from "flux";

type Data = { stage: string; data: number[] };

const initialData = task("initial_data", (): Data => ({ stage: "initial", data: [1, 2, 3] }));
const processData = task("process_data", (data: Data, userInput: { multiplier?: number } | null) => {
  const multiplier = userInput?.multiplier ?? 1;
  const sum = data.data.reduce((a, b) => a + b, 0);
  return { stage: "processed", initial_data: data, user_input: userInput, result: sum + multiplier };
});

export const pauseWithInput = workflow("pause_with_input_workflow", async () => {
  const data = await initialData();
  const userInput = await pause<{ multiplier?: number } | null>("waiting_for_user_input", { output: data });
  return await processData(data, userInput);
});

export const multipleInputPause = workflow("multiple_input_pause_workflow", async () => {
  const inputs: { step: number; type: string; value: unknown }[] = [];
  const steps = ["config", "parameters", "approval"] as const;
  for (const [i, type] of steps.entries()) {
    const value = await pause(`waiting_for_${type}`, { output: { step: i + 1, waiting_for: type } });
    inputs.push({ step: i + 1, type, value });
  }
  return { stage: "completed", inputs };
});

export const conditionalPause = workflow(
  "conditional_pause_workflow",
  async (ctx: ExecutionContext<{ requires_approval?: boolean }>) => {
    if (!ctx.input?.requires_approval) return { approved: true, message: "No approval required" };
    const decision = await pause<{ approved?: boolean } | null>("approval_required", { output: ctx.input });
    return { approved: Boolean(decision?.approved), message: "Approval processed" };
  },
);
