// Runs an uploaded workflow's execution in its sandboxed isolate. The object keeps a mirror WorkflowRun as
// the log's holder (state, summary, idle resume/cancel); the isolate runs the engine on a replay of that log
// and checkpoints new events back through the HostBridge, which the mirror adopts and the journal persists.
import { RpcTarget } from "cloudflare:workers";
import {
  CancelledError,
  decode,
  encode,
  ExecutionError,
  type ChildWorkflows,
  TerminalStates,
  type ExecutionEvent,
  type ExecutionState,
  type Json,
  type Secrets,
  type WorkflowRun,
} from "../engine/index.ts";
import type { HostBridgeApi, SandboxEntrypointApi } from "../sandbox/protocol.ts";
import type { DurableTimers } from "./durable-timers.ts";

export interface IsolateDriverOptions {
  mirror: WorkflowRun;
  entrypoint: () => SandboxEntrypointApi;
  timers: DurableTimers;
  secrets: Secrets;
  /** Names the module declares in `secretRequests` (scanned at upload); nothing else is served. */
  allowedSecrets: readonly string[];
  progress: (update: { taskId: string; taskName: string; value: Json }) => void;
  children?: ChildWorkflows;
}

class HostBridge extends RpcTarget implements HostBridgeApi {
  private readonly waits = new Map<string, AbortController>();
  constructor(
    private readonly options: IsolateDriverOptions,
    private readonly cancelRequested: Promise<void>,
  ) {
    super();
  }
  append(events: ExecutionEvent[]): void {
    for (const event of events) this.options.mirror.adopt(event);
  }
  waitUntil(at: number, reason: string, key: string): Promise<void> {
    const controller = new AbortController();
    this.waits.set(`${reason}:${key}`, controller);
    return this.options.timers.waitUntil(at, reason, key, controller.signal);
  }
  clearTimer(reason: string, key: string): void {
    this.waits.get(`${reason}:${key}`)?.abort();
  }
  async secrets(names: string[]): Promise<Record<string, string>> {
    const undeclared = names.filter((name) => !this.options.allowedSecrets.includes(name));
    if (undeclared.length > 0) throw new Error(`Secrets not declared in secretRequests: [${undeclared.join(", ")}]`);
    return this.options.secrets.get(names);
  }
  progress(update: { taskId: string; taskName: string; value: Json }): void {
    this.options.progress(update);
  }
  async callChild(request: { workflow: string; input: Json; mode: "sync" | "async"; childId: string }): Promise<Json> {
    const children = this.options.children;
    if (!children) throw new Error("This host cannot start child executions");
    const controller = new AbortController();
    this.waits.set(`child:${request.childId}`, controller);
    const result = await children.call({
      workflow: request.workflow,
      input: decode(request.input),
      mode: request.mode,
      childId: request.childId,
      parentId: this.options.mirror.executionId,
      signal: controller.signal,
    });
    return encode(result);
  }
  cancelChild(childId: string): void {
    this.waits.get(`child:${childId}`)?.abort(new CancelledError());
  }
  cancelled(): Promise<void> {
    return this.cancelRequested;
  }
}

export class IsolateDriver {
  private executing: Promise<void> | undefined;
  private requestCancel: (() => void) | undefined;

  constructor(private readonly options: IsolateDriverOptions) {}

  get mirror(): WorkflowRun {
    return this.options.mirror;
  }
  get executionId(): string {
    return this.mirror.executionId;
  }
  get state(): ExecutionState {
    return this.mirror.state;
  }
  get events(): readonly ExecutionEvent[] {
    return this.mirror.events;
  }
  get context() {
    return this.mirror.context;
  }
  get isExecuting(): boolean {
    return this.executing !== undefined;
  }
  requestResume(input: unknown): void {
    this.mirror.requestResume(input);
  }
  deadline(): number | undefined {
    return this.mirror.deadline();
  }
  expire(): void {
    if (!this.executing) this.mirror.expire();
  }
  cancel(): void {
    if (this.requestCancel) this.requestCancel();
    else this.mirror.cancel();
  }

  execute(input?: unknown): Promise<void> {
    this.executing ??= this.runInIsolate(input).finally(() => {
      this.executing = undefined;
      this.requestCancel = undefined;
    });
    return this.executing;
  }

  private async runInIsolate(input: unknown): Promise<void> {
    if (TerminalStates.has(this.state) || this.state === "PAUSED") return;
    const cancelRequested = new Promise<void>((resolve) => (this.requestCancel = resolve));
    const bridge = new HostBridge(this.options, cancelRequested);
    try {
      await this.options.entrypoint().run(
        {
          executionId: this.executionId,
          workflowName: this.mirror.workflow.name,
          workflowId: this.mirror.workflowId,
          events: [...this.events],
          input: (input ?? null) as Json,
        },
        bridge,
      );
    } catch (error) {
      // The isolate died (CPU limit, a crash outside the engine): the execution fails, clearly.
      const message = error instanceof Error ? error.message : String(error);
      this.mirror.failExternally(new ExecutionError(undefined, `Workflow code stopped in its sandbox: ${message}`));
    }
  }
}
