// main.js of a sandboxed isolate: discovers the uploaded module's workflows and runs one execution with the
// engine, wired to the ExecutionDO through the host bridge (timers, secrets, progress, checkpoints, cancel).
// Built to JavaScript by scripts/build-sandbox.js with "flux" and "./workflow.js" left as imports.
import { WorkerEntrypoint } from "cloudflare:workers";
import { decode, encode, InputValidationError, isWorkflow, validateInput, type Json, WorkflowRun, type ExecutionEvent, type Timers, type Workflow } from "flux";
// Evaluated after the loop tick is installed: esbuild keeps this import, and ESM evaluates imports first,
// so the module is loaded lazily below instead.
import { createLoopBudget, LOOP_TICK } from "./loop-budget.ts";
import type { HostBridgeApi, InputVerdict, IsolateRunRequest, WorkflowDescription } from "./protocol.ts";

/** Loop iterations one run (or module discovery) may spend; see loop-guard.ts. */
const LOOP_BUDGET = 50_000_000;
const budget = createLoopBudget(LOOP_BUDGET);
(globalThis as Record<string, unknown>)[LOOP_TICK] = budget.tick;

async function workflows(): Promise<Workflow[]> {
  const uploaded = (await import("./workflow.js")) as Record<string, unknown>;
  return Object.values(uploaded).filter(isWorkflow);
}

function describeSchema(schema: unknown): unknown {
  const withJson = schema as { toJSONSchema?: () => unknown } | undefined;
  return typeof withJson?.toJSONSchema === "function" ? withJson.toJSONSchema() : null;
}

function bridgeTimers(bridge: HostBridgeApi): Timers {
  return {
    waitUntil(at, reason, key, signal) {
      if (signal.aborted) return Promise.reject(signal.reason as Error);
      return new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          bridge.clearTimer(reason, key);
          reject(signal.reason as Error);
        };
        signal.addEventListener("abort", onAbort, { once: true });
        bridge.waitUntil(at, reason, key).then(
          () => {
            signal.removeEventListener("abort", onAbort);
            resolve();
          },
          (error: unknown) => reject(error as Error),
        );
      });
    },
  };
}

export default class FluxSandbox extends WorkerEntrypoint {
  async describe(): Promise<WorkflowDescription[]> {
    budget.reset();
    return (await workflows()).map((wf) => ({
      name: wf.name,
      namespace: wf.namespace,
      description: wf.options.description ?? null,
      secret_requests: [...(wf.options.secretRequests ?? [])],
      timeout: wf.options.timeout ?? null,
      input_schema: describeSchema(wf.options.inputSchema),
      schedule: wf.options.schedule === undefined ? null : JSON.parse(JSON.stringify(wf.options.schedule)),
      has_input_schema: wf.options.inputSchema !== undefined,
    }));
  }

  /** The workflow's own inputSchema, applied before anything is created (SPEC §2.2). */
  async validate(workflowName: string, input: Json): Promise<InputVerdict> {
    budget.reset();
    const definition = (await workflows()).find((wf) => wf.name === workflowName);
    if (!definition) throw new Error(`The uploaded module has no workflow named ${workflowName}`);
    try {
      return { ok: true, input: encode(validateInput(definition, input)) };
    } catch (error) {
      if (!(error instanceof InputValidationError)) throw error;
      return { ok: false, message: error.message, issues: JSON.parse(JSON.stringify(error.issues ?? null)) as Json };
    }
  }

  async run(request: IsolateRunRequest, bridge: HostBridgeApi): Promise<{ state: string }> {
    budget.reset();
    const definition = (await workflows()).find((wf) => wf.name === request.workflowName);
    if (!definition) throw new Error(`The uploaded module has no workflow named ${request.workflowName}`);
    const pending: ExecutionEvent[] = [];
    const flush = async () => {
      if (pending.length > 0) await bridge.append(pending.splice(0));
    };
    const run = new WorkflowRun({
      executionId: request.executionId,
      workflowId: request.workflowId,
      workflow: definition,
      events: request.events,
      ports: {
        clock: { now: () => Date.now() },
        random: { random: () => Math.random(), uuid: () => crypto.randomUUID() },
        timers: bridgeTimers(bridge),
        secrets: { get: (names) => bridge.secrets([...names]) },
        children: {
          call: async ({ workflow, input, mode, childId, signal }) => {
            const onAbort = () => bridge.cancelChild(childId);
            signal.addEventListener("abort", onAbort, { once: true });
            try {
              return decode(await bridge.callChild({ workflow, input: encode(input), mode, childId }));
            } finally {
              signal.removeEventListener("abort", onAbort);
            }
          },
        },
        progress: (update) => bridge.progress({ taskId: update.taskId, taskName: update.taskName, value: encode(update.value) }),
      },
      journal: { append: (event) => pending.push(event), checkpoint: flush },
    });
    bridge.cancelled().then(
      () => run.cancel(),
      () => {},
    );
    await run.execute(request.input);
    await flush();
    return { state: run.state };
  }
}
