// Executors: where a pinned workflow version's code comes from. Bundled workflows run in this Durable Object;
// uploaded ones (Worker Loader isolates) and external workers plug in behind the same interface.
import type { WorkflowDefinition } from "../engine/index.ts";
import { bundledWorkflows } from "../workflows/index.ts";

export interface WorkflowResolver {
  /** The definition for `name` at `version`, or undefined when this executor does not know it. */
  resolve(name: string, version: number): Promise<WorkflowDefinition | undefined>;
}

const byName = new Map<string, WorkflowDefinition>(bundledWorkflows.map((wf) => [wf.name, wf as WorkflowDefinition]));

export const bundledResolver: WorkflowResolver = {
  async resolve(name) {
    return byName.get(name);
  },
};

export function bundledWorkflow(name: string): WorkflowDefinition | undefined {
  return byName.get(name);
}
