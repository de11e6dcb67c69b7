// progress_workflow: one task that reports progress() between short steps, for SSE `task.progress` frames.
// Progress is ephemeral (never stored or replayed), so only a client attached while it runs sees the frames.
import { progress, task, workflow, type ExecutionContext } from "flux";

const countUp = task("count_up", async (steps: number) => {
  for (let step = 1; step <= steps; step++) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    progress({ step, of: steps });
  }
  return steps;
});

export const progressWorkflow = workflow.withOptions(
  { name: "progress_workflow", description: "Reports progress for `steps` steps (default 3)" },
  async (ctx: ExecutionContext<{ steps?: number } | null>) => {
    const steps = Math.min(Math.max(Math.trunc(ctx.input?.steps ?? 3), 1), 20);
    return { steps: await countUp(steps) };
  },
);
