// Task options and their semantics (SPEC §2.1, §3.3): backoff, per-attempt timeouts, fallback xor rollback,
// error wrapping, secrets and redaction, progress, taskContext(), withOptions inheritance, duration strings.
import { beforeEach, describe, expect, it } from "vitest";
import {
  clearInlineExecutions,
  ExecutionError,
  ExecutionTimeoutError,
  progress,
  RetryError,
  task,
  taskContext,
  workflow,
  type ExecutionEvent,
  type ProgressUpdate,
  type Secrets,
  type TaskContext,
} from "flux";
import { VirtualTime } from "./helpers.ts";

beforeEach(() => clearInlineExecutions());

class ValueError extends Error {
  override name = "ValueError";
}

const alwaysFails = () => {
  throw new ValueError("nope");
};
const retryEvents = (events: readonly ExecutionEvent[], type: string) =>
  events
    .filter((e) => e.type === type)
    .map((e) => e.value as { current_attempt: number; current_delay: number });

describe("retry backoff", () => {
  it("delay for retry k is delay·backoff^(k-1), measured from the previous failure", async () => {
    const vt = new VirtualTime();
    const t = task.withOptions(
      { name: "backoff", retryMaxAttempts: 4, retryDelay: 1, retryBackoff: 3 },
      alwaysFails,
    );
    const ctx = await workflow("backoff_wf", async () => await t()).run(null, { ports: vt.ports() });
    expect(retryEvents(ctx.events, "TASK_RETRY_STARTED").map((v) => v.current_delay)).toEqual([1, 3, 9, 27]);
    const failedAt = ctx.events.filter((e) => e.type === "TASK_RETRY_FAILED").map((e) => Date.parse(e.time));
    const waits = vt.waits.filter((w) => w.reason === "retry");
    expect(waits.map((w, k) => (w.at - (failedAt[k] as number)) / 1000)).toEqual([1, 3, 9, 27]);
    const error = ctx.output as unknown as ExecutionError;
    expect(error).toBeInstanceOf(ExecutionError);
    expect(error.inner).toBeInstanceOf(RetryError);
    expect((error.inner as RetryError).attempts).toBe(4);
    expect((error.inner as RetryError).delay).toBe(1);
    expect((error.inner as RetryError).backoff).toBe(3);
    expect((error.inner as RetryError).inner?.name).toBe("ValueError");
  });

  it("each delay is capped at 600 s", async () => {
    const vt = new VirtualTime();
    const t = task.withOptions(
      { name: "capped", retryMaxAttempts: 3, retryDelay: "100s", retryBackoff: 10 },
      alwaysFails,
    );
    const ctx = await workflow("capped_wf", async () => await t()).run(null, { ports: vt.ports() });
    expect(retryEvents(ctx.events, "TASK_RETRY_STARTED").map((v) => v.current_delay)).toEqual([
      100, 600, 600,
    ]);
  });

  it("defaults: delay 1 s, backoff 2; duration strings work", async () => {
    const vt = new VirtualTime();
    const t = task.withOptions({ name: "defaults", retryMaxAttempts: 3 }, alwaysFails);
    const ctx = await workflow("defaults_wf", async () => await t()).run(null, { ports: vt.ports() });
    expect(retryEvents(ctx.events, "TASK_RETRY_STARTED").map((v) => v.current_delay)).toEqual([1, 2, 4]);
    const minutes = task.withOptions({ name: "minutes", retryMaxAttempts: 1, retryDelay: "2m" }, alwaysFails);
    const ctx2 = await workflow("minutes_wf", async () => await minutes()).run(null, { ports: vt.ports() });
    expect(retryEvents(ctx2.events, "TASK_RETRY_STARTED").map((v) => v.current_delay)).toEqual([120]);
  });

  it("taskContext().attempt counts attempts", async () => {
    const attempts: number[] = [];
    const t = task.withOptions({ name: "attempts", retryMaxAttempts: 2, retryDelay: 0 }, () => {
      attempts.push(taskContext().attempt);
      if (attempts.length < 3) throw new Error("again");
      return "ok";
    });
    const ctx = await workflow("attempts_wf", async () => await t()).run(null, {
      ports: new VirtualTime().ports(),
    });
    expect(ctx.output).toBe("ok");
    expect(attempts).toEqual([0, 1, 2]);
  });
});

describe("timeouts", () => {
  it("a per-attempt timeout aborts taskContext().signal with the ExecutionTimeoutError", async () => {
    const vt = new VirtualTime();
    let reason: unknown;
    const t = task.withOptions({ name: "slow", timeout: "500ms" }, async () => {
      const { signal } = taskContext();
      signal.addEventListener("abort", () => (reason = signal.reason));
      await vt.delay(10_000, signal);
    });
    const ctx = await workflow("timeout_wf", async () => await t()).run(null, { ports: vt.ports() });
    expect(reason).toBeInstanceOf(ExecutionTimeoutError);
    expect((ctx.output as unknown as Error).message).toMatch(
      /^Task slow \(slow_[0-9a-f]{16}\) timed out \(0.5s\)\.$/,
    );
    // The attempt's promise is abandoned at the deadline: virtual time stopped at +500 ms.
    expect(Date.parse(ctx.events.at(-1)?.time as string) - Date.parse(ctx.events[0]?.time as string)).toBe(
      500,
    );
  });

  it("timeout + retries → ExecutionError(RetryError(ExecutionTimeoutError)); each attempt gets its own timeout", async () => {
    const vt = new VirtualTime();
    const t = task.withOptions(
      { name: "slow_retry", timeout: 1, retryMaxAttempts: 2, retryDelay: 0 },
      async () => {
        await vt.delay(5000, taskContext().signal);
      },
    );
    const ctx = await workflow("timeout_retry_wf", async () => await t()).run(null, { ports: vt.ports() });
    const error = ctx.output as unknown as ExecutionError;
    expect(error).toBeInstanceOf(ExecutionError);
    expect(error.inner).toBeInstanceOf(RetryError);
    expect((error.inner as RetryError).inner).toBeInstanceOf(ExecutionTimeoutError);
    expect(vt.waits.filter((w) => w.reason === "timeout")).toHaveLength(3);
    expect(ctx.events.map((e) => e.type).filter((t) => t.startsWith("TASK_"))).toEqual([
      "TASK_STARTED",
      "TASK_RETRY_FAILED",
      "TASK_RETRY_STARTED",
      "TASK_RETRY_FAILED",
      "TASK_RETRY_STARTED",
      "TASK_RETRY_FAILED",
      "TASK_FAILED",
    ]);
  });

  it("a task that finishes in time is not affected by its timeout", async () => {
    const vt = new VirtualTime();
    const t = task.withOptions({ name: "quick", timeout: 10 }, async () => {
      await vt.delay(100, taskContext().signal);
      return "done";
    });
    expect((await workflow("quick_wf", async () => await t()).run(null, { ports: vt.ports() })).output).toBe(
      "done",
    );
  });
});

describe("fallback, rollback and error wrapping", () => {
  it("fallback xor rollback: with both, only the fallback runs", async () => {
    const calls: string[] = [];
    const t = task.withOptions(
      {
        name: "both",
        fallback: (x: number) => {
          calls.push(`fallback ${x}`);
          return "fb";
        },
        rollback: (x: number) => calls.push(`rollback ${x}`),
      },
      (_x: number): string => alwaysFails(),
    );
    const ctx = await workflow("both_wf", async () => await t(7)).run();
    expect(ctx.output).toBe("fb");
    expect(calls).toEqual(["fallback 7"]);
    expect(ctx.events.some((e) => e.type.startsWith("TASK_ROLLBACK"))).toBe(false);
  });

  it("a fallback failure → TASK_FALLBACK_FAILED, TASK_FAILED and ExecutionError(fallback error)", async () => {
    const t = task.withOptions(
      { name: "fb_fails", fallback: () => Promise.reject(new RangeError("fb broke")) },
      alwaysFails,
    );
    const ctx = await workflow("fb_fails_wf", async () => await t()).run();
    expect(ctx.events.map((e) => e.type).slice(1, -1)).toEqual([
      "TASK_STARTED",
      "TASK_FALLBACK_STARTED",
      "TASK_FALLBACK_FAILED",
      "TASK_FAILED",
    ]);
    expect(ctx.events[3]?.value).toEqual({ type: "RangeError", message: "fb broke" });
    expect((ctx.output as unknown as ExecutionError).inner).toBeInstanceOf(RangeError);
  });

  it("a rollback failure replaces the original error", async () => {
    const t = task.withOptions(
      {
        name: "rb_fails",
        rollback: () => {
          throw new RangeError("rollback broke");
        },
      },
      alwaysFails,
    );
    const ctx = await workflow("rb_fails_wf", async () => await t()).run();
    expect(ctx.events.map((e) => e.type).slice(1, -1)).toEqual([
      "TASK_STARTED",
      "TASK_ROLLBACK_STARTED",
      "TASK_ROLLBACK_FAILED",
      "TASK_FAILED",
    ]);
    const error = ctx.output as unknown as ExecutionError;
    expect(error.inner).toBeInstanceOf(RangeError);
    expect(error.message).toBe("rollback broke");
  });

  it("a plain failure → ExecutionError(original); non-Error throws are wrapped too", async () => {
    const t = task("throws_string", () => {
      throw "just a string";
    });
    const ctx = await workflow("string_wf", async () => await t()).run();
    const error = ctx.output as unknown as ExecutionError;
    expect(error).toBeInstanceOf(ExecutionError);
    expect(error.inner?.message).toBe("just a string");
  });

  it("a task awaiting a failing task rethrows the same ExecutionError (no double wrap)", async () => {
    const inner = task("inner", alwaysFails);
    const outer = task("outer", async () => await inner());
    const ctx = await workflow("nested_fail", async () => await outer()).run();
    const failed = ctx.events.filter((e) => e.type === "TASK_FAILED");
    expect(failed.map((e) => e.name)).toEqual(["inner", "outer"]);
    expect(failed[1]?.value).toEqual(failed[0]?.value);
    const error = ctx.output as unknown as ExecutionError;
    expect(error.inner).toBeInstanceOf(Error);
    expect(error.inner).not.toBeInstanceOf(ExecutionError);
    expect(error.inner?.name).toBe("ValueError");
  });

  it("a replayed failure throws the same class with the same inner error", async () => {
    let caught: unknown[] = [];
    const bad = task("bad_replay", alwaysFails);
    const wf = workflow("replayed_failure", async () => {
      try {
        await bad();
      } catch (error) {
        caught.push(error);
      }
      const { pause } = await import("flux");
      await pause("gate");
      return null;
    });
    const ctx = await wf.run();
    const first = caught[0] as ExecutionError;
    caught = [];
    await wf.resume(ctx.executionId);
    const replayed = caught[0] as ExecutionError;
    expect(replayed).toBeInstanceOf(ExecutionError);
    expect(replayed.message).toBe(first.message);
    expect(replayed.inner?.name).toBe(first.inner?.name);
  });
});

describe("secrets", () => {
  const store: Record<string, string> = { API_KEY: "sk-live-123456", OTHER: "other-secret-value" };
  const secrets: Secrets = {
    async get(names) {
      const missing = names.filter((n) => !(n in store));
      if (missing.length > 0)
        throw new Error(`The following secrets were not found: [${missing.join(", ")}]`);
      // A sloppy store that returns more than asked: the task must still see only what it requested.
      return { ...store };
    },
  };

  it("are injected by name and redacted from every recorded value", async () => {
    let seen: Readonly<Record<string, string>> = {};
    const call = task.withOptions({ name: "call_api", secretRequests: ["API_KEY"] }, (path: string) => {
      seen = taskContext().secrets;
      return `GET ${path} with ${taskContext().secrets.API_KEY}`;
    });
    const echo = task("echo", (text: string) => text);
    const bodySaw: string[] = [];
    const wf = workflow("secret_wf", async () => {
      const response = await call("/v1");
      bodySaw.push(response);
      return await echo(response);
    });
    const ctx = await wf.run(null, { ports: new VirtualTime().ports({ secrets }) });
    expect(seen).toEqual({ API_KEY: "sk-live-123456" });
    expect(ctx.output).toBe("GET /v1 with ***");
    // The workflow sees the recorded (redacted) value on the first run too, exactly as a replay would.
    expect(bodySaw).toEqual(["GET /v1 with ***"]);
    const log = JSON.stringify(ctx.events);
    expect(log).not.toContain("sk-live-123456");
    expect(log).toContain("GET /v1 with ***");
  });

  it("an error that quotes a secret reaches the workflow redacted, as a replay would throw it", async () => {
    const leaky = task.withOptions({ name: "leaky", secretRequests: ["API_KEY"] }, () => {
      throw new Error(`auth failed for key ${taskContext().secrets.API_KEY}`);
    });
    const wf = workflow("leaky_wf", async () => {
      try {
        await leaky();
        return "unreachable";
      } catch (error) {
        return `${(error as Error).message} | ${String((error as Error).stack)}`;
      }
    });
    const ctx = await wf.run(null, { ports: new VirtualTime().ports({ secrets }) });
    expect(ctx.output).toContain("auth failed for key ***");
    expect(JSON.stringify(ctx.events)).not.toContain("sk-live-123456");
    expect(String(ctx.output)).not.toContain("sk-live-123456");
  });

  it("a missing secret fails the task with an ExecutionError naming it", async () => {
    const t = task.withOptions(
      { name: "needs_missing", secretRequests: ["API_KEY", "NOPE"] },
      () => "unreachable",
    );
    const ctx = await workflow("missing_secret", async () => await t()).run(null, {
      ports: new VirtualTime().ports({ secrets }),
    });
    const error = ctx.output as unknown as ExecutionError;
    expect(error).toBeInstanceOf(ExecutionError);
    expect(error.message).toContain("NOPE");
    expect(error.message).not.toContain("sk-live");
  });

  it("without a secrets port the message names the requested secrets", async () => {
    const t = task.withOptions({ name: "no_store", secretRequests: ["API_KEY"] }, () => 1);
    const ctx = await workflow("no_store_wf", async () => await t()).run(null, {
      ports: new VirtualTime().ports(),
    });
    expect((ctx.output as unknown as Error).message).toMatch(/secrets were not found: \[API_KEY\]/);
  });

  it("tasks that request nothing see no secrets", async () => {
    const t = task("plain", () => taskContext().secrets);
    const ctx = await workflow("plain_wf", async () => await t()).run(null, {
      ports: new VirtualTime().ports({ secrets }),
    });
    expect(ctx.output).toEqual({});
  });
});

describe("progress and taskContext()", () => {
  it("progress() calls the progress port and records no events", async () => {
    const updates: ProgressUpdate[] = [];
    const t = task("work", (n: number) => {
      for (let i = 1; i <= n; i++) progress({ processed: i, total: n });
      taskContext().progress({ step: "complete" });
      return n;
    });
    const wf = workflow("progress_wf", async () => {
      progress("outside a task: ignored");
      return await t(2);
    });
    const ctx = await wf.run(null, { ports: new VirtualTime().ports({ progress: (u) => updates.push(u) }) });
    const taskId = ctx.events[1]?.source_id;
    expect(updates).toEqual([
      { executionId: ctx.executionId, taskId, taskName: "work", value: { processed: 1, total: 2 } },
      { executionId: ctx.executionId, taskId, taskName: "work", value: { processed: 2, total: 2 } },
      { executionId: ctx.executionId, taskId, taskName: "work", value: { step: "complete" } },
    ]);
    expect(ctx.events.map((e) => e.type)).toEqual([
      "WORKFLOW_STARTED",
      "TASK_STARTED",
      "TASK_COMPLETED",
      "WORKFLOW_COMPLETED",
    ]);
  });

  it("taskContext() fields", async () => {
    let seen: TaskContext | undefined;
    const t = task.withOptions(
      { name: (item: string, n: number) => `proc_${item}_${n}`, metadata: true },
      (_item: string, _n: number) => {
        seen = taskContext();
        return seen.metadata.taskId;
      },
    );
    const ctx = await workflow("ctx_fields", async () => [await t("a", 3), await t("a", 3)]).run();
    const ids = ctx.events.filter((e) => e.type === "TASK_STARTED").map((e) => e.source_id);
    expect(ids[0]).toMatch(/^proc_a_3_[0-9a-f]{16}$/);
    expect(ctx.output).toEqual([ids[0], `${ids[0]}~1`]);
    expect(seen).toMatchObject({
      taskId: `${ids[0]}~1`,
      taskName: "proc_a_3",
      attempt: 0,
      secrets: {},
      metadata: { taskId: `${ids[0]}~1`, taskName: "proc_a_3" },
      executionId: ctx.executionId,
    });
    expect(seen?.signal).toBeInstanceOf(AbortSignal);
    expect(ctx.events[1]?.name).toBe("proc_a_3");
  });

  it("taskContext() works inside fallback and rollback", async () => {
    const names: string[] = [];
    const t = task.withOptions(
      {
        name: "ctx_side",
        fallback: () => {
          names.push(taskContext().taskName);
          return 1;
        },
      },
      (): number => alwaysFails(),
    );
    await workflow("ctx_side_wf", async () => await t()).run();
    expect(names).toEqual(["ctx_side"]);
  });
});

describe("cache", () => {
  it("only a first-attempt result is cached; a result produced by a retry or a fallback is not", async () => {
    const { inMemoryCache } = await import("flux");
    const vt = new VirtualTime();
    const cache = inMemoryCache(() => vt.now);
    let calls = 0;
    const flaky = task.withOptions(
      { name: "cached_flaky", cache: true, retryMaxAttempts: 1, retryDelay: 0 },
      () => {
        calls++;
        if (taskContext().attempt === 0) throw new Error("first attempt fails");
        return "from retry";
      },
    );
    const wf = workflow("cache_retry", async () => await flaky());
    expect((await wf.run(null, { ports: vt.ports({ cache }) })).output).toBe("from retry");
    expect((await wf.run(null, { ports: vt.ports({ cache }) })).output).toBe("from retry");
    expect(calls).toBe(4);
  });
});

describe("withOptions", () => {
  it("inherits unset options and never changes the original", async () => {
    const fallbacks: string[] = [];
    const base = task.withOptions({ name: "base", retryMaxAttempts: 2, retryDelay: 0 }, (): string =>
      alwaysFails(),
    );
    const derived = base.withOptions({ fallback: () => "fb", retryDelay: undefined });
    const renamed = derived.withOptions({ name: "renamed" });
    expect(derived.options).toMatchObject({ name: "base", retryMaxAttempts: 2, retryDelay: 0 });
    expect(renamed.options).toMatchObject({ name: "renamed", retryMaxAttempts: 2, retryDelay: 0 });
    expect(typeof renamed.options.fallback).toBe("function");
    expect(base.options.fallback).toBeUndefined();
    expect(renamed.taskName).toBe("renamed");
    const ctx = await workflow("with_options_wf", async () => {
      try {
        await base();
      } catch {
        fallbacks.push("base failed");
      }
      return await renamed();
    }).run(null, { ports: new VirtualTime().ports() });
    expect(ctx.output).toBe("fb");
    expect(fallbacks).toEqual(["base failed"]);
    const renamedEvents = ctx.events.filter((e) => e.name === "renamed").map((e) => e.type);
    expect(renamedEvents.filter((t) => t === "TASK_RETRY_FAILED")).toHaveLength(3);
  });

  it("a plain function task (not async) and a sync throw both work", async () => {
    const sync = task("sync_value", (x: number) => x + 1);
    expect((await workflow("sync_wf", async () => await sync(1)).run()).output).toBe(2);
  });
});
