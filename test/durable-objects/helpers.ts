// Helpers for ExecutionDO tests inside workerd: stubs, virtual time travel for timer rows, event inspection.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { ExecutionEvent } from "../../src/engine/index.ts";
import type { ExecutionDO, ExecutionView, Outcome, StartRequest } from "../../src/durable-objects/index.ts";

let counter = 0;
export const newId = () => `exec${Date.now().toString(16)}${(counter++).toString(16).padStart(6, "0")}`;

type Rpc = Pick<ExecutionDO, "start" | "resume" | "cancel" | "status" | "stream" | "wait">;
/** The stub, typed by the DO's RPC methods (the generic RPC types are too deep for tsc here). */
export const stubFor = (id: string) => env.EXECUTIONS.get(env.EXECUTIONS.idFromName(id)) as unknown as DurableObjectStub & Rpc;

export async function start(workflowName: string, input: unknown, extra: Partial<StartRequest> = {}) {
  const executionId = extra.executionId ?? newId();
  const stub = stubFor(executionId);
  const outcome = await stub.start({ executionId, workflowName, workflowVersion: 1, input: input as never, ...extra });
  return { stub, executionId, outcome, view: unwrap(outcome).execution };
}

export function unwrap<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message}`);
  return outcome.value;
}

export async function detailed(stub: ReturnType<typeof stubFor>): Promise<ExecutionView> {
  return unwrap(await stub.status(true));
}

export const types = (events: readonly ExecutionEvent[] | undefined) => (events ?? []).map((e) => e.type);

/** Timer rows currently stored in the object. */
export function timerRows(stub: ReturnType<typeof stubFor>) {
  return runInDurableObject(stub, (_instance, state) =>
    state.storage.sql.exec<{ id: string; kind: string; at: number }>("SELECT id, kind, at FROM timers ORDER BY at").toArray(),
  );
}

/** Make every timer row matching `prefix` due now, then run the alarm: time travel without sleeping. */
export async function fastForward(stub: ReturnType<typeof stubFor>, prefix = ""): Promise<boolean> {
  await runInDurableObject(stub, (_instance, state) => {
    state.storage.sql.exec("UPDATE timers SET at = ? WHERE id LIKE ?", Date.now() - 1, `${prefix}%`);
  });
  return runDurableObjectAlarm(stub);
}

/** Stored events straight from SQLite (not from the in-memory run). */
export function storedEvents(stub: ReturnType<typeof stubFor>) {
  return runInDurableObject(stub, (_instance, state) =>
    state.storage.sql.exec<{ seq: number; type: string; source_id: string }>("SELECT seq, type, source_id FROM events ORDER BY seq").toArray(),
  );
}

export async function until<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Time travel for a cold object: shift every recorded event time `ms` into the past (as if it ran then). */
export function ageLog(stub: ReturnType<typeof stubFor>, ms: number) {
  return runInDurableObject(stub, (_instance, state) => {
    const rows = state.storage.sql.exec<{ seq: number; time: string }>("SELECT seq, time FROM events").toArray();
    for (const row of rows) {
      state.storage.sql.exec("UPDATE events SET time = ? WHERE seq = ?", new Date(Date.parse(row.time) - ms).toISOString(), row.seq);
    }
  });
}
