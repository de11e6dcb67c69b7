// The workflow authoring API (SPEC §2.2): workflow(name, fn), workflow(fn), workflow.withOptions(options, fn),
// and inline runs (`wf.run(input)`, `wf.resume(id, input)`) against an in-memory store in this process.
import { canonicalForm } from "./canonical.ts";
import { AuthoringError, ExecutionNotFoundError, InputValidationError } from "./errors.ts";
import type { ExecutionContext } from "./execution-context.ts";
import type { HostPorts } from "./ports.ts";
import { WorkflowRun } from "./run.ts";
import type { WorkflowDefinition, WorkflowOptions } from "./workflow-definition.ts";

export interface Workflow<I = unknown, O = unknown> extends WorkflowDefinition {
  readonly fn: (ctx: ExecutionContext<I, O>) => O | Promise<O>;
  /** Run inline (in this process) and return the final context; an existing id continues that execution. */
  run(input?: I, options?: { executionId?: string; ports?: Partial<HostPorts> }): Promise<ExecutionContext<I, Awaited<O>>>;
  /** Resume an inline PAUSED execution with `input`. */
  resume(executionId: string, input?: unknown): Promise<ExecutionContext<I, Awaited<O>>>;
  /** Cancel an inline execution (running, sleeping or paused). */
  cancel(executionId: string): Promise<ExecutionContext<I, Awaited<O>>>;
}

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

let inlinePorts: HostPorts | undefined;
const inlineRuns = new Map<string, WorkflowRun>();
/** Every workflow defined in this process, by name (the last definition wins): `call("name")` finds it. */
const definedWorkflows = new Map<string, Workflow<never, unknown>>();

export function findWorkflow(name: string): Workflow<never, unknown> | undefined {
  return definedWorkflows.get(name);
}

/** Installed by the SDK entry point (clock, random, timers for inline runs in this process). */
export function configureInlineHost(ports: HostPorts): void {
  inlinePorts = ports;
}

/** Forget inline executions (tests and long-lived scripts). */
export function clearInlineExecutions(): void {
  inlineRuns.clear();
}

function makeWorkflow<I, O>(fn: (ctx: ExecutionContext<I, O>) => O | Promise<O>, options: WorkflowOptions): Workflow<I, O> {
  if (typeof fn !== "function") throw new AuthoringError("workflow() needs a function");
  const name = options.name ?? (fn.name || undefined);
  if (!name) throw new AuthoringError("A workflow needs a name: use workflow(name, fn), a named function, or the `name` option");
  if (!NAME_PATTERN.test(name)) {
    throw new AuthoringError(`Workflow name "${name}" must start with a letter or digit and use only letters, digits, _ . -`);
  }
  const definition = {
    name,
    namespace: options.namespace ?? "default",
    options: Object.freeze({ ...options, name }),
    fn,
    [canonicalForm]: () => `${options.namespace ?? "default"}/${name}`,
  };

  const ports = (extra?: Partial<HostPorts>): HostPorts => {
    if (!inlinePorts) throw new AuthoringError("No inline host installed: import the SDK from 'flux'");
    return { ...inlinePorts, ...extra };
  };
  const existing = (executionId: string): WorkflowRun => {
    const run = inlineRuns.get(executionId);
    if (!run || run.workflow.name !== name) throw new ExecutionNotFoundError(`No execution ${executionId} of workflow ${name}`);
    return run;
  };
  type Ctx = ExecutionContext<I, Awaited<O>>;

  const created: Workflow<I, O> = {
    ...definition,
    async run(input, runOptions = {}) {
      const id = runOptions.executionId;
      const known = id === undefined ? undefined : inlineRuns.get(id);
      if (known) return (await known.execute()) as unknown as Ctx;
      const checked = validateInput(definition, input);
      const host = ports(runOptions.ports);
      const run = new WorkflowRun({ executionId: id ?? host.random.uuid().replace(/-/g, ""), workflow: definition, ports: host });
      inlineRuns.set(run.executionId, run);
      return (await run.execute(checked)) as unknown as Ctx;
    },
    async resume(executionId, input) {
      const run = existing(executionId);
      run.requestResume(input ?? null);
      return (await run.execute()) as unknown as Ctx;
    },
    async cancel(executionId) {
      const run = existing(executionId);
      const running = run.isExecuting ? run.execute() : undefined;
      run.cancel();
      await running;
      return run.context as unknown as Ctx;
    },
  };
  definedWorkflows.set(name, created as unknown as Workflow<never, unknown>);
  return created;
}

/** Validate against `inputSchema` before anything is created (SPEC §2.2). Returns the parsed input. */
export function validateInput(definition: WorkflowDefinition, input: unknown): unknown {
  const schema = definition.options.inputSchema;
  if (!schema) return input;
  const result = schema.safeParse(input);
  if (result.success) return "data" in result ? result.data : input;
  throw new InputValidationError(
    `Input for workflow ${definition.name} is invalid: ${result.error.message ?? "schema mismatch"}`,
    result.error.issues,
  );
}

interface WorkflowFactory {
  <I = unknown, O = unknown>(name: string, fn: (ctx: ExecutionContext<I, O>) => O | Promise<O>): Workflow<I, O>;
  <I = unknown, O = unknown>(fn: (ctx: ExecutionContext<I, O>) => O | Promise<O>): Workflow<I, O>;
  withOptions<I = unknown, O = unknown>(options: WorkflowOptions, fn: (ctx: ExecutionContext<I, O>) => O | Promise<O>): Workflow<I, O>;
}

export const workflow: WorkflowFactory = Object.assign(
  <I, O>(nameOrFn: string | ((ctx: ExecutionContext<I, O>) => O | Promise<O>), maybeFn?: (ctx: ExecutionContext<I, O>) => O | Promise<O>) => {
    if (typeof nameOrFn === "string") {
      if (!maybeFn) throw new AuthoringError(`workflow("${nameOrFn}") needs a function as its second argument`);
      return makeWorkflow(maybeFn, { name: nameOrFn });
    }
    return makeWorkflow(nameOrFn, {});
  },
  {
    withOptions: <I, O>(options: WorkflowOptions, fn: (ctx: ExecutionContext<I, O>) => O | Promise<O>) => makeWorkflow(fn, options),
  },
);

export function isWorkflow(value: unknown): value is Workflow {
  return typeof value === "object" && value !== null && typeof (value as Workflow).fn === "function" && typeof (value as Workflow).run === "function";
}
