// SchedulerDO: one Durable Object per schedule (keyed by schedule id). It keeps the definition, the next fire
// time and the history in its own SQLite and has ONE alarm, armed at the next due second (no polling tick).
// On alarm: overlap check → start a run whose execution id is derived from (schedule id, slot time), so a
// retried alarm never starts twice → record history → next slot strictly after now (slots missed while the
// runtime was down collapse into this one fire) → re-arm. The alarm never throws: a throwing alarm is retried a
// few times and then dropped, which would silently kill the schedule.
import { DurableObject } from "cloudflare:workers";
import { TerminalStates, type ExecutionState, type Json } from "../engine/index.ts";
import { createDb } from "../db/index.ts";
import { claimScheduleName, deleteScheduleIndex, writeScheduleIndex } from "../triggers/schedule-index.ts";
import { firstFireAt, nextFireAt, type Overlap, type ScheduleSpec } from "../triggers/schedule-spec.ts";
import {
  scheduleView,
  ScheduleStore,
  type HistoryEntry,
  type ScheduleState,
  type ScheduleView,
  type ScheduleDefinition,
} from "../triggers/schedule-state.ts";
import { startTriggeredRun } from "../triggers/start-run.ts";
import type { Env } from "../worker/env.ts";
import { ApiError } from "../worker/errors.ts";
import type { ExecutionView, Outcome as ExecutionOutcome } from "./rpc-types.ts";

/** An alarm this early (clock granularity) still counts as due. */
const EARLY_MS = 50;

export type SchedulerErrorCode = "not_found" | "name_taken" | "invalid_state";
export type SchedulerOutcome<T> =
  { ok: true; value: T } | { ok: false; error: { code: SchedulerErrorCode; message: string } };

export type { ScheduleDefinition };

export interface SchedulePatch {
  schedule?: ScheduleSpec;
  input?: Json;
  overlap?: Overlap;
  description?: string | null;
}

const ok = <T>(value: T): SchedulerOutcome<T> => ({ ok: true, value });
const fail = (code: SchedulerErrorCode, message: string): SchedulerOutcome<never> => ({
  ok: false,
  error: { code, message },
});

export class SchedulerDO extends DurableObject<Env> {
  private store: ScheduleStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new ScheduleStore(ctx.storage.sql);
  }

  async create(
    definition: ScheduleDefinition,
    now: number = Date.now(),
  ): Promise<SchedulerOutcome<ScheduleView>> {
    const existing = this.store.load();
    if (existing) return ok(scheduleView(existing));
    const second = Math.floor(now / 1000) * 1000;
    const next = firstFireAt(definition.schedule, now, second);
    const state: ScheduleState = {
      ...definition,
      status: next === null ? "completed" : "active",
      anchor: second,
      created_at: now,
      updated_at: now,
      next_run_at: next,
      last_run_at: null,
      last_execution_id: null,
      run_count: 0,
      skip_count: 0,
      failure_count: 0,
      last_skipped_at: null,
      firing: null,
    };
    if (!(await claimScheduleName(createDb(this.env.DB), state))) {
      return fail("name_taken", `A schedule named ${definition.name} already exists`);
    }
    this.store.save(state);
    await this.arm(state);
    return ok(scheduleView(state));
  }

  async get(): Promise<SchedulerOutcome<ScheduleView>> {
    const state = this.store.load();
    if (!state) return this.missing();
    // Self-repair: an active schedule always has its alarm (e.g. after a restore from an older snapshot).
    if (state.status === "active" && (await this.ctx.storage.getAlarm()) === null) await this.arm(state);
    return ok(scheduleView(state));
  }

  async update(patch: SchedulePatch, now: number = Date.now()): Promise<SchedulerOutcome<ScheduleView>> {
    const state = this.store.load();
    if (!state) return this.missing();
    if (patch.input !== undefined) state.input = patch.input;
    if (patch.overlap !== undefined) state.overlap = patch.overlap;
    if (patch.description !== undefined) state.description = patch.description;
    if (patch.schedule !== undefined) {
      state.schedule = patch.schedule;
      state.anchor = Math.floor(now / 1000) * 1000;
      if (state.status !== "paused") {
        state.next_run_at = firstFireAt(state.schedule, now, state.anchor);
        state.status = state.next_run_at === null ? "completed" : "active";
      }
    }
    state.updated_at = now;
    await this.commit(state);
    return ok(scheduleView(state));
  }

  async pause(now: number = Date.now()): Promise<SchedulerOutcome<ScheduleView>> {
    const state = this.store.load();
    if (!state) return this.missing();
    if (state.status === "completed") return fail("invalid_state", `Schedule ${state.name} has completed`);
    state.status = "paused";
    state.next_run_at = null;
    state.updated_at = now;
    await this.commit(state);
    return ok(scheduleView(state));
  }

  /** Slots that passed while paused are not fired; a `once` whose time passed fires at once. */
  async resume(now: number = Date.now()): Promise<SchedulerOutcome<ScheduleView>> {
    const state = this.store.load();
    if (!state) return this.missing();
    if (state.status === "completed") return fail("invalid_state", `Schedule ${state.name} has completed`);
    if (state.status === "paused") {
      state.next_run_at = firstFireAt(state.schedule, now, state.anchor);
      state.status = state.next_run_at === null ? "completed" : "active";
      state.updated_at = now;
      await this.commit(state);
    }
    return ok(scheduleView(state));
  }

  async destroy(): Promise<SchedulerOutcome<null>> {
    const state = this.store.load();
    if (!state) return this.missing();
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.store = new ScheduleStore(this.ctx.storage.sql);
    await deleteScheduleIndex(createDb(this.env.DB), state.id);
    return ok(null);
  }

  async history(
    limit: number,
    offset: number,
  ): Promise<SchedulerOutcome<{ schedule: ScheduleView; entries: HistoryEntry[]; total: number }>> {
    const state = this.store.load();
    if (!state) return this.missing();
    return ok({ schedule: scheduleView(state), ...this.store.history(limit, offset) });
  }

  override async alarm(): Promise<void> {
    const state = this.store.load();
    if (!state || state.status !== "active" || state.next_run_at === null) return;
    const now = Date.now();
    if (state.next_run_at > now + EARLY_MS) {
      await this.ctx.storage.setAlarm(state.next_run_at);
      return;
    }
    await this.fire(state, state.next_run_at);
  }

  /** Fires one due slot (however many were missed) and moves on to the first slot after now. */
  private async fire(state: ScheduleState, slot: number): Promise<void> {
    let outcome: {
      kind: "started" | "skipped" | "failed";
      executionId: string | null;
      message: string | null;
    };
    const blocker = state.firing === slot ? null : await this.runningBlocker(state);
    if (blocker) {
      outcome = {
        kind: "skipped",
        executionId: null,
        message: `previous run ${blocker.id} is ${blocker.state}`,
      };
    } else {
      if (state.firing !== slot) this.store.save({ ...state, firing: slot });
      try {
        const started = await startTriggeredRun(this.env, {
          workflow: state.workflow,
          input: state.input,
          idempotencyKey: `schedule:${state.id}:${slot}`,
        });
        outcome = { kind: "started", executionId: started.executionId, message: null };
      } catch (error) {
        const message = error instanceof ApiError ? `${error.code}: ${error.message}` : String(error);
        outcome = { kind: "failed", executionId: null, message };
      }
    }
    // Re-read: an RPC (update, pause, delete) may have run while this awaited.
    const fresh = this.store.load();
    if (!fresh) return;
    const now = Date.now();
    const firstRecord = this.store.record({
      scheduledAt: slot,
      firedAt: now,
      outcome: outcome.kind,
      executionId: outcome.executionId,
      message: outcome.message,
    });
    fresh.firing = null;
    if (!firstRecord) {
      // This slot was already counted (the alarm ran again for it); only move on.
    } else if (outcome.kind === "started") {
      fresh.run_count++;
      fresh.last_run_at = now;
      fresh.last_execution_id = outcome.executionId;
    } else if (outcome.kind === "skipped") {
      fresh.skip_count++;
      fresh.last_skipped_at = now;
    } else {
      fresh.failure_count++;
    }
    if (fresh.status === "active" && fresh.next_run_at === slot) {
      // A `once` is done after its fire, even one that came early (the clock is only trusted to the second).
      fresh.next_run_at =
        fresh.schedule.type === "once" ? null : nextFireAt(fresh.schedule, Math.max(now, slot), fresh.anchor);
      if (fresh.next_run_at === null) fresh.status = "completed";
    }
    fresh.updated_at = now;
    await this.commit(fresh);
  }

  /** overlap=skip: the previous run of this schedule when it is not terminal yet. */
  private async runningBlocker(state: ScheduleState): Promise<{ id: string; state: ExecutionState } | null> {
    if (state.overlap !== "skip" || state.last_execution_id === null) return null;
    const id = state.last_execution_id;
    try {
      const stub = this.env.EXECUTIONS.get(this.env.EXECUTIONS.idFromName(id)) as unknown as {
        status(detailed: boolean): Promise<ExecutionOutcome<ExecutionView>>;
      };
      const outcome = await stub.status(false);
      if (!outcome.ok || TerminalStates.has(outcome.value.state)) return null;
      return { id, state: outcome.value.state };
    } catch {
      // Cannot tell: do not pile up runs behind an execution we cannot see.
      return { id, state: "RUNNING" };
    }
  }

  private async commit(state: ScheduleState): Promise<void> {
    this.store.save(state);
    await this.arm(state);
    try {
      await writeScheduleIndex(createDb(this.env.DB), state);
    } catch (error) {
      // The index is repaired by the next change; the schedule itself is safe in this object.
      console.error("schedule index write failed", state.id, error);
    }
  }

  private async arm(state: ScheduleState): Promise<void> {
    if (state.status === "active" && state.next_run_at !== null)
      await this.ctx.storage.setAlarm(state.next_run_at);
    else await this.ctx.storage.deleteAlarm();
  }

  private missing(): SchedulerOutcome<never> {
    return fail("not_found", "Schedule not found");
  }
}
