// The placeholder ExecutionDO: SQLite storage via ctx.storage.sql and alarms, inside workerd.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ExecutionDO } from "../../src/durable-objects/execution-do";

describe("ExecutionDO (placeholder)", () => {
  it("persists to SQLite and schedules an alarm", async () => {
    const stub = env.EXECUTIONS.get(env.EXECUTIONS.idFromName("exec-1"));
    const before = Date.now();
    const first = await stub.ping(10_000);
    const second = await stub.ping(10_000);
    expect(first.pings).toBe(1);
    expect(second.pings).toBe(2);
    expect(second.alarm_at).toBeGreaterThanOrEqual(before + 10_000);

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.alarms()).toBe(1);
    expect(await runDurableObjectAlarm(stub)).toBe(false);
  });

  it("exposes the instance and its storage to runInDurableObject", async () => {
    const stub = env.EXECUTIONS.get(env.EXECUTIONS.idFromName("exec-2"));
    await stub.ping();
    const rows = await runInDurableObject(stub, (instance, state) => {
      expect(instance).toBeInstanceOf(ExecutionDO);
      return state.storage.sql.exec<{ key: string; value: number }>("SELECT key, value FROM kv").toArray();
    });
    expect(rows).toEqual([{ key: "pings", value: 1 }]);
  });
});
