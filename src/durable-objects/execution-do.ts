// ExecutionDO: one Durable Object per execution (SPEC §1, §3). Lifecycle, RPC, alarm() and wiring only: the
// engine decides what happens, EventStore persists it, DurableTimers wakes it, SseHub streams it.
// The running workflow stays in memory while the object lives (no replay on the hot path); a cold object
// rebuilds it from the log and replays.
import { DurableObject } from "cloudflare:workers";
import {
  encode,
  nextState,
  TerminalStates,
  type ExecutionEvent,
  type ExecutionState,
  type HostPorts,
  type Journal,
} from "../engine/index.ts";
import type { Env } from "../worker/env.ts";
import { DurableTimers } from "./durable-timers.ts";
import { EventStore, type ExecutionMeta } from "./event-store.ts";
import { syncExecutionIndex } from "./index-sync.ts";
import { err, ok, type ExecutionView, type Outcome, type StartRequest } from "./rpc-types.ts";
import { outboundGateway } from "./sandbox-loader.ts";
import { d1Secrets, type SecretsPort } from "./secrets-port.ts";
import { SseHub } from "./sse-hub.ts";
import { ChildExecutions } from "./children.ts";
import { loadDriver, type RunDriver } from "./run-driver.ts";

/** `wait`: answer once settled; `workflow`: refuse (not_found) an execution of another workflow. */
export interface CallOptions {
  wait?: boolean;
  detailed?: boolean;
  workflow?: string;
}

/** While a body runs, a watchdog row makes sure an evicted object comes back and replays. */
const WATCHDOG_MS = 60_000;
const INDEX_RETRY_MS = 5_000;
const SETTLED = new Set<ExecutionState>(["PAUSED", "COMPLETED", "FAILED", "CANCELLED"]);

export class ExecutionDO extends DurableObject<Env> {
  private readonly store: EventStore;
  private readonly timers: DurableTimers;
  private readonly hub = new SseHub();
  private readonly children: ChildExecutions;
  /** Secret values handed to tasks; redacted from views, progress frames, stored events and logs (SPEC §5). */
  private readonly secrets: SecretsPort = d1Secrets(this.env);
  private run: RunDriver | undefined;
  private state: ExecutionState = "CREATED";
  private settleWaiters: (() => void)[] = [];
  private indexChain: Promise<void> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new EventStore(ctx.storage.sql);
    this.timers = new DurableTimers(ctx.storage.sql, ctx.storage);
    this.children = new ChildExecutions(env, ctx.storage.sql);
  }

  /** From a child's object: it finished. Wakes a waiting call(), or replays a cold parent. */
  async childFinished(childId: string, view: ExecutionView): Promise<void> {
    if (this.children.childFinished(childId, view)) return;
    const loaded = await this.load();
    if (loaded.ok) this.ensureLive(loaded.value);
  }

  /** Create (idempotently) and start. An existing execution is returned as it is. */
  async start(request: StartRequest): Promise<Outcome<{ created: boolean; execution: ExecutionView }>> {
    const created = this.store.meta() === undefined;
    if (created) {
      this.store.create({
        execution_id: request.executionId,
        workflow_name: request.workflowName,
        workflow_version: request.workflowVersion,
        parent_execution_id: request.parentExecutionId ?? null,
        idempotency_key: request.idempotencyKey ?? null,
        created_at: new Date().toISOString(),
      });
    }
    const loaded = await this.load();
    if (!loaded.ok) {
      // Nothing ran: don't leave an empty CREATED execution behind.
      if (created) this.store.forget();
      return loaded;
    }
    const run = loaded.value;
    if (created) {
      this.execute(run, request.input);
      const deadline = run.deadline();
      if (deadline !== undefined) this.timers.put("deadline", "deadline", deadline);
    } else {
      this.ensureLive(run);
    }
    if (request.wait) await this.settled();
    return ok({ created, execution: this.view(request.detailed ?? false) });
  }

  async resume(input: unknown, options: CallOptions = {}): Promise<Outcome<ExecutionView>> {
    const foreign = this.checkOwner(options.workflow);
    if (foreign) return foreign;
    const loaded = await this.load();
    if (!loaded.ok) return loaded;
    const run = loaded.value;
    if (TerminalStates.has(run.state)) return err("finished", `Execution ${run.executionId} has finished (${run.state})`);
    if (run.state !== "PAUSED") return err("invalid_state", `Execution ${run.executionId} is ${run.state}, not PAUSED`);
    this.timers.removeKind("wake");
    run.requestResume(input);
    this.execute(run);
    if (options.wait) await this.settled();
    return ok(this.view(options.detailed ?? false));
  }

  async cancel(options: CallOptions = {}): Promise<Outcome<ExecutionView>> {
    const foreign = this.checkOwner(options.workflow);
    if (foreign) return foreign;
    const loaded = await this.load();
    if (!loaded.ok) return loaded;
    const run = loaded.value;
    if (TerminalStates.has(run.state)) return err("finished", `Execution ${run.executionId} has finished (${run.state})`);
    // A cold object replays first, so in-flight tasks record TASK_CANCELLED and roll back.
    this.ensureLive(run);
    this.timers.removeKind("wake");
    run.cancel();
    if (options.wait) await this.settled();
    return ok(this.view(options.detailed ?? false));
  }

  async status(detailed = false): Promise<Outcome<ExecutionView>> {
    const loaded = await this.load();
    if (!loaded.ok) return loaded;
    this.ensureLive(loaded.value);
    this.repairIndex();
    return ok(this.view(detailed));
  }

  /** SSE: the current state first, then every change; closes at a terminal state. */
  async stream(detailed = false): Promise<Outcome<ReadableStream<Uint8Array>>> {
    const loaded = await this.load();
    if (!loaded.ok) return loaded;
    this.ensureLive(loaded.value);
    return ok(this.hub.open(detailed, this.state, (d) => this.view(d)));
  }

  /** Wait until COMPLETED, FAILED, CANCELLED or PAUSED (used after an async start). */
  async wait(detailed = false): Promise<Outcome<ExecutionView>> {
    const loaded = await this.load();
    if (!loaded.ok) return loaded;
    await this.settled();
    return ok(this.view(detailed));
  }

  override async alarm(): Promise<void> {
    this.timers.forgetArmed();
    const due = this.timers.takeDue();
    const loaded = await this.load();
    if (!loaded.ok) return;
    const run = loaded.value;
    let replay = false;
    for (const timer of due) {
      if (timer.kind === "wait" && !timer.delivered) replay = true;
      else if (timer.kind === "watchdog") replay = true;
      else if (timer.kind === "wake" && run.state === "PAUSED") {
        run.requestResume(null);
        this.execute(run);
      } else if (timer.kind === "deadline") run.expire();
      else if (timer.kind === "index-sync") this.repairIndex(true);
      else if (timer.kind === "notify-parent") this.notifyParent();
    }
    if (replay) this.ensureLive(run);
    if (run.isExecuting) this.timers.put("watchdog", "watchdog", Date.now() + WATCHDOG_MS);
  }

  // ---- wiring ----

  /** An execution of another workflow is "not found" for this one (no D1 lookup needed: the meta row knows). */
  private checkOwner(workflow: string | undefined): Outcome<never> | undefined {
    if (workflow === undefined) return undefined;
    const meta = this.store.meta();
    if (meta && meta.workflow_name === workflow) return undefined;
    return err("not_found", meta ? `Execution ${meta.execution_id} is not an execution of ${workflow}` : "Execution not found");
  }

  private async load(): Promise<Outcome<RunDriver>> {
    if (this.run) return ok(this.run);
    const meta = this.store.meta();
    if (!meta) return err("not_found", "Execution not found");
    const driver = await loadDriver({
      env: this.env,
      meta,
      events: this.store.events(),
      ports: this.ports(meta),
      journal: this.journal(),
      timers: this.timers,
      outbound: outboundGateway((this.ctx as unknown as { exports?: unknown }).exports),
    });
    if (!driver) return err("workflow_unavailable", `Workflow ${meta.workflow_name} v${meta.workflow_version} is not available`);
    // Another call may have loaded it while we awaited the registry.
    this.run ??= driver;
    this.state = meta.state;
    return ok(this.run);
  }

  private ports(meta: ExecutionMeta): HostPorts {
    return {
      clock: { now: () => Date.now() },
      random: { random: () => Math.random(), uuid: () => crypto.randomUUID() },
      timers: this.timers,
      secrets: this.secrets,
      children: this.children,
      progress: (update) =>
        this.hub.progress({
          execution_id: meta.execution_id,
          task_id: update.taskId,
          task_name: update.taskName,
          value: this.secrets.redact(encode(update.value)),
        }),
    };
  }

  private journal(): Journal {
    return {
      append: (event: ExecutionEvent) => {
        this.store.append(this.secrets.redact(event));
        const next = nextState(this.state, event.type);
        if (next !== this.state) this.onStateChange(next);
      },
    };
  }

  private onStateChange(state: ExecutionState): void {
    this.state = state;
    this.store.setState(state);
    this.hub.stateChanged(state, (detailed) => this.view(detailed));
    if (SETTLED.has(state)) {
      const waiters = this.settleWaiters;
      this.settleWaiters = [];
      for (const resolve of waiters) resolve();
    }
    if (TerminalStates.has(state)) {
      for (const kind of ["wake", "deadline", "watchdog"] as const) this.timers.removeKind(kind);
      this.notifyParent();
    }
    this.repairIndex(true);
  }

  /** Run (or replay) the body in the background; a watchdog row guards against eviction. */
  private execute(run: RunDriver, input?: unknown): void {
    this.timers.put("watchdog", "watchdog", Date.now() + WATCHDOG_MS);
    // Not ctx.waitUntil: a run may wait for hours. If the object is evicted meanwhile, the alarm (a timer
    // row or the watchdog) brings it back and the replay continues from the log.
    void run.execute(input).then(
      () => this.afterExecute(run),
      (error: unknown) => console.error("workflow run crashed", this.secrets.redactString(String((error as Error)?.stack ?? error))),
    );
  }

  private afterExecute(run: RunDriver): void {
    if (run.isExecuting) return;
    this.timers.remove("watchdog");
    if (run.state !== "PAUSED") return;
    const paused = [...run.events].reverse().find((event) => event.type === "WORKFLOW_PAUSED");
    const wakeAt = (paused?.value as { wake_at?: string } | null)?.wake_at;
    if (wakeAt) this.timers.put("wake", "wake", Date.parse(wakeAt));
  }

  /** A RUNNING/RESUMING/CANCELLING execution with no body in memory was interrupted: replay it. */
  private ensureLive(run: RunDriver): void {
    if (run.isExecuting || SETTLED.has(run.state) || run.state === "CREATED") return;
    this.execute(run);
  }

  private settled(): Promise<void> {
    if (SETTLED.has(this.state)) return Promise.resolve();
    return new Promise((resolve) => this.settleWaiters.push(resolve));
  }

  /** Keep the D1 index in step with this object; a failed write is retried from an alarm. */
  private repairIndex(force = false): void {
    const meta = this.store.meta();
    if (!meta || (!force && meta.indexed_state === meta.state)) return;
    this.indexChain = this.indexChain.then(async () => {
      const current = this.store.meta();
      if (!current) return;
      try {
        await syncExecutionIndex(this.env, current);
        this.store.setIndexedState(current.state);
      } catch (error) {
        console.error("execution index write failed; will retry", error);
        this.timers.put("index-sync", "index-sync", Date.now() + INDEX_RETRY_MS);
      }
    });
    this.ctx.waitUntil(this.indexChain);
  }

  /** A child tells its parent when it is terminal; a failed delivery is retried from an alarm. */
  private notifyParent(): void {
    const parentId = this.store.meta()?.parent_execution_id;
    if (!parentId || !this.run) return;
    const stub = this.env.EXECUTIONS.get(this.env.EXECUTIONS.idFromName(parentId)) as unknown as {
      childFinished(childId: string, view: ExecutionView): Promise<void>;
    };
    const delivered = stub.childFinished(this.run.executionId, this.view(false)).catch((error: unknown) => {
      console.error("could not notify the parent execution; will retry", error);
      this.timers.put("notify-parent", "notify-parent", Date.now() + INDEX_RETRY_MS);
    });
    this.ctx.waitUntil(delivered);
  }

  private view(detailed: boolean): ExecutionView {
    const run = this.run as RunDriver;
    const meta = this.store.meta() as ExecutionMeta;
    const view: ExecutionView = {
      ...run.context.summary(),
      created_at: meta.created_at,
      workflow_version: meta.workflow_version,
      parent_execution_id: meta.parent_execution_id,
    };
    if (detailed) {
      view.events = [...run.events];
      view.children = this.children.list();
    }
    return this.secrets.redact(view);
  }
}
