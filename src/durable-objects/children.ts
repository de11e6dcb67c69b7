// Child executions started by call() from this execution (SPEC §2.3, issue "executions that start
// executions"). A sync call waits in memory; the child's object notifies this one when it is terminal
// (no open request, no polling). If this object was evicted meanwhile, the notification wakes it and the
// replay finds the child finished. Cancelling the calling task cancels the child.
import { createDb } from "../db/index.ts";
import { getWorkflow } from "../db/workflows-repo.ts";
import {
  CancelledError,
  decode,
  ExecutionError,
  fromErrorRecord,
  isTerminal,
  WorkflowNotFoundError,
  type ChildCallRequest,
  type ChildWorkflows,
  type ErrorRecord,
  type Json,
} from "../engine/index.ts";
import type { Env } from "../worker/env.ts";
import type { ExecutionView, Outcome, StartRequest } from "./rpc-types.ts";
import { bundledWorkflow } from "./workflow-resolver.ts";

interface ChildStub {
  start(request: StartRequest): Promise<Outcome<{ created: boolean; execution: ExecutionView }>>;
  cancel(): Promise<unknown>;
}

interface Waiter {
  resolve(view: ExecutionView): void;
}

export interface ChildRow {
  execution_id: string;
  workflow_name: string;
  mode: string;
}

export class ChildExecutions implements ChildWorkflows {
  private readonly waiters = new Map<string, Waiter>();
  /** Notifications that arrived before the caller started waiting. */
  private readonly early = new Map<string, ExecutionView>();

  constructor(
    private readonly env: Env,
    private readonly sql: SqlStorage,
  ) {
    sql.exec("CREATE TABLE IF NOT EXISTS children (execution_id TEXT PRIMARY KEY, workflow_name TEXT NOT NULL, mode TEXT NOT NULL)");
  }

  list(): ChildRow[] {
    return this.sql.exec<ChildRow & Record<string, SqlStorageValue>>("SELECT execution_id, workflow_name, mode FROM children").toArray();
  }

  async call(request: ChildCallRequest): Promise<unknown> {
    const version = await this.latestVersion(request.workflow);
    this.sql.exec("INSERT OR IGNORE INTO children (execution_id, workflow_name, mode) VALUES (?, ?, ?)", request.childId, request.workflow, request.mode);
    // Typed by hand: the generated RPC types of the namespace are too deep for tsc here.
    const stub = this.env.EXECUTIONS.get(this.env.EXECUTIONS.idFromName(request.childId)) as unknown as ChildStub;
    const started = await stub.start({
      executionId: request.childId,
      workflowName: request.workflow,
      workflowVersion: version,
      input: (request.input ?? null) as Json,
      parentExecutionId: request.parentId,
    });
    if (!started.ok) throw new ExecutionError(undefined, `Could not start child ${request.workflow}: ${started.error.message}`);
    if (request.mode === "async") return request.childId;
    const view = isTerminal(started.value.execution.state)
      ? started.value.execution
      : (this.early.get(request.childId) ?? (await this.waitFor(request.childId, request.signal, () => stub.cancel())));
    this.early.delete(request.childId);
    return resultOf(view);
  }

  /** RPC from a child's object: it reached a terminal state. Returns whether a live call was waiting. */
  childFinished(childId: string, view: ExecutionView): boolean {
    const waiter = this.waiters.get(childId);
    if (waiter) {
      this.waiters.delete(childId);
      waiter.resolve(view);
      return true;
    }
    this.early.set(childId, view);
    return false;
  }

  private waitFor(childId: string, signal: AbortSignal, cancelChild: () => Promise<unknown>): Promise<ExecutionView> {
    return new Promise<ExecutionView>((resolve, reject) => {
      const onAbort = () => {
        this.waiters.delete(childId);
        // Cancelling a parent cancels its running sync children.
        void cancelChild().catch(() => {});
        reject(signal.reason as Error);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      this.waiters.set(childId, {
        resolve: (view) => {
          signal.removeEventListener("abort", onAbort);
          resolve(view);
        },
      });
    });
  }

  private async latestVersion(name: string): Promise<number> {
    const found = await getWorkflow(createDb(this.env.DB), name);
    if (found) return found.latest.version;
    if (bundledWorkflow(name)) return 1;
    throw new WorkflowNotFoundError(`Workflow ${name} not found`);
  }
}

function resultOf(view: ExecutionView): unknown {
  switch (view.state) {
    case "COMPLETED":
      return decode(view.output);
    case "FAILED":
      throw new ExecutionError(fromErrorRecord(view.output as unknown as ErrorRecord));
    default:
      throw new ExecutionError(new CancelledError(`Child execution ${view.execution_id} was ${view.state.toLowerCase()}`));
  }
}
