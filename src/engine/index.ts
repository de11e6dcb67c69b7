// The engine's public surface. Hosts (SDK entry, Durable Object, isolate, Node worker) import from here only.
export { task, TaskCall, type Task, type TaskOptions, type TaskDefinition } from "./task.ts";
export { workflow, findWorkflow, configureInlineHost, clearInlineExecutions, validateInput, isWorkflow, type Workflow } from "./workflow.ts";
export type { WorkflowDefinition, WorkflowOptions, InputSchema } from "./workflow-definition.ts";
export { ExecutionContext, type ExecutionSummary } from "./execution-context.ts";
export { WorkflowRun, type RunOptions } from "./run.ts";
export { taskContext, installContextStorage, type TaskContext, type Scope } from "./scope.ts";
export { now, uuid4, choice, randint, randrange } from "./builtins/random.ts";
export { sleep } from "./builtins/sleep.ts";
export { pause, type PauseOptions } from "./builtins/pause.ts";
export { parallel, pipeline, type ParallelOptions } from "./builtins/parallel.ts";
export { progress } from "./builtins/progress.ts";
export { call, childExecutionId, type CallMode } from "./builtins/call.ts";
export { Graph } from "./graph.ts";
export {
  FluxError,
  ExecutionError,
  RetryError,
  ExecutionTimeoutError,
  WorkflowNotFoundError,
  CancelledError,
  NonDeterminismError,
  AuthoringError,
  InvalidStateError,
  ExecutionNotFoundError,
  InputValidationError,
  toErrorRecord,
  fromErrorRecord,
  type ErrorRecord,
} from "./errors.ts";
export { encode, decode, type Json } from "./codec.ts";
export { canonicalJson, taskIdFor } from "./canonical.ts";
export { toMilliseconds, toSeconds, type Duration } from "./duration.ts";
export {
  stateOf,
  nextState,
  isTerminal,
  TerminalStates,
  ExecutionStates,
  WorkflowEvents,
  TaskEvents,
  type ExecutionEvent,
  type EventType,
  type ExecutionState,
} from "./events.ts";
export type { HostPorts, Clock, Random, Timers, TimerReason, Secrets, TaskCache, Journal, ProgressUpdate, ContextStorage, ChildWorkflows, ChildCallRequest } from "./ports.ts";
