// The workflows bundled into the Worker (served by `npm start`). Uploaded workflows live in D1 instead.
import type { Workflow } from "flux";
import { benchWorkflows } from "./bench.ts";
import { cancellable } from "./cancellation.ts";
import { greetTyped } from "./greet-typed.ts";
import { helloWorld } from "./hello-world.ts";
import { parallelTasks } from "./parallel-tasks.ts";
import { conditionalPause, multipleInputPause, pauseWithInput } from "./pause-with-input.ts";
import { progressWorkflow } from "./progress.ts";
import { simpleGraph } from "./simple-graph.ts";
import { simplePipeline } from "./simple-pipeline.ts";
import { sleepWorkflow } from "./sleep.ts";
import { approvalWithReminder, boundedApproval } from "./deadlines.ts";
import { childDouble, childFail, childPause, childSleep, parentCallsChild } from "./subworkflows.ts";
import { taskFallback, taskFallbackAfterRetry } from "./task-fallback.ts";
import { taskRetries } from "./task-retries.ts";
import { taskRollback } from "./task-rollback.ts";
import { taskNestedTimeout, taskTimeout } from "./task-timeout.ts";
import { usingSecrets } from "./using-secrets.ts";

export const bundledWorkflows: readonly Workflow<never, unknown>[] = [
  helloWorld,
  simplePipeline,
  parallelTasks,
  simpleGraph,
  taskRetries,
  taskFallback,
  taskFallbackAfterRetry,
  taskRollback,
  taskTimeout,
  taskNestedTimeout,
  pauseWithInput,
  multipleInputPause,
  conditionalPause,
  sleepWorkflow,
  cancellable,
  approvalWithReminder,
  boundedApproval,
  childDouble,
  childPause,
  childFail,
  childSleep,
  parentCallsChild,
  greetTyped,
  progressWorkflow,
  usingSecrets,
  // Benchmark workloads (bench/workloads/http.js, compare.js).
  ...benchWorkflows,
] as unknown as readonly Workflow<never, unknown>[];
