// The one codec every recorded value crosses (SPEC §3.1): JSON plus tagged Date, Map, Set, BigInt,
// Uint8Array, undefined, non-finite numbers and errors; and the first run sees the decoded recorded value.
import { describe, expect, it } from "vitest";
import {
  AuthoringError,
  CancelledError,
  decode,
  encode,
  ExecutionError,
  ExecutionTimeoutError,
  fromErrorRecord,
  NonDeterminismError,
  RetryError,
  task,
  taskContext,
  toErrorRecord,
  workflow,
  WorkflowNotFoundError,
  type ErrorRecord,
  type Json,
} from "flux";
import { VirtualTime } from "./helpers.ts";

const roundTrip = (value: unknown) => decode(JSON.parse(JSON.stringify(encode(value))) as Json);

describe("codec round trips (through real JSON text)", () => {
  it.each<[string, unknown]>([
    ["null", null],
    ["string", "héllo"],
    ["number", 42.5],
    ["boolean", false],
    ["array", [1, "a", null]],
    ["Date", new Date("2026-01-02T03:04:05.678Z")],
    [
      "Map",
      new Map<unknown, unknown>([
        ["a", 1],
        [2, { b: [3] }],
      ]),
    ],
    ["Set", new Set([1, "two", 3])],
    ["BigInt", 12345678901234567890n],
    ["Uint8Array", new Uint8Array([0, 1, 2, 254, 255])],
    ["undefined", undefined],
    ["NaN", NaN],
    ["Infinity", Infinity],
    ["-Infinity", -Infinity],
    ["undefined inside arrays and objects", { a: undefined, b: [undefined, 1] }],
    [
      "nested mixture",
      {
        when: new Date(0),
        tags: new Set(["x"]),
        index: new Map([["k", [new Uint8Array([9]), 7n]]]),
        deep: { n: NaN },
      },
    ],
    ["an object that uses the $flux key", { $flux: "Date", v: "not a date" }],
    ["a nested object that uses the $flux key", { outer: { $flux: 1, other: new Date(5) } }],
  ])("%s", (_name, value) => {
    expect(roundTrip(value)).toEqual(value);
  });

  it("keeps the exact types", () => {
    expect(roundTrip(new Date(7))).toBeInstanceOf(Date);
    expect(roundTrip(new Map())).toBeInstanceOf(Map);
    expect(roundTrip(new Set())).toBeInstanceOf(Set);
    expect(typeof roundTrip(1n)).toBe("bigint");
    expect(roundTrip(new Uint8Array([1]))).toBeInstanceOf(Uint8Array);
    expect(Number.isNaN(roundTrip(NaN))).toBe(true);
    const invalid = roundTrip(new Date(NaN)) as Date;
    expect(invalid).toBeInstanceOf(Date);
    expect(Number.isNaN(invalid.getTime())).toBe(true);
  });

  it("uses readable tagged forms", () => {
    expect(encode(new Date(0))).toEqual({ $flux: "Date", v: "1970-01-01T00:00:00.000Z" });
    expect(encode(5n)).toEqual({ $flux: "BigInt", v: "5" });
    expect(encode(undefined)).toEqual({ $flux: "undefined" });
    expect(encode({ $flux: "x" })).toEqual({ $flux: "Object", v: { $flux: "x" } });
  });

  it("drops functions and symbols like JSON, and uses toJSON", () => {
    expect(encode({ a: 1, f: () => 1, s: Symbol("s") })).toEqual({ a: 1 });
    expect(encode(() => 1)).toBeNull();
    expect(encode({ toJSON: () => ({ shaped: true }) })).toEqual({ shaped: true });
  });

  it("round-trips errors as the same classes, with inner errors", () => {
    const error = new ExecutionError(new RetryError(new TypeError("inner"), 2, 1, 2));
    const back = roundTrip(error) as ExecutionError;
    expect(back).toBeInstanceOf(ExecutionError);
    expect(back.inner).toBeInstanceOf(RetryError);
    expect((back.inner as RetryError).attempts).toBe(2);
    expect((back.inner as RetryError).inner).toBeInstanceOf(TypeError);
    class QuotaError extends Error {
      override name = "QuotaError";
    }
    const custom = roundTrip(new QuotaError("over")) as Error;
    expect(custom.name).toBe("QuotaError");
    expect(custom.message).toBe("over");
  });

  it("leaves unknown tags alone", () => {
    expect(decode({ $flux: "Future", v: 1 })).toEqual({ $flux: "Future", v: 1 });
  });
});

describe("values crossing a task boundary", () => {
  it("the first run sees the decoded recorded value, exactly like a replay", async () => {
    const make = task("make", () => ({
      when: new Date("2026-05-01T00:00:00Z"),
      ids: new Set([1, 2]),
      big: 2n ** 70n,
      f: () => "dropped",
      missing: undefined,
    }));
    const seen: unknown[] = [];
    const wf = workflow("codec_wf", async () => {
      const value = await make();
      seen.push(value);
      return value;
    });
    const ctx = await wf.run();
    const value = seen[0] as Record<string, unknown>;
    expect(value.when).toBeInstanceOf(Date);
    expect(value.ids).toEqual(new Set([1, 2]));
    expect(value.big).toBe(2n ** 70n);
    expect("f" in value).toBe(false);
    expect("missing" in value).toBe(true);
    expect(ctx.events.find((e) => e.type === "TASK_COMPLETED")?.value).toEqual(encode(value));
    expect(ctx.output).toEqual(value);
  });

  it("task arguments are recorded through the codec", async () => {
    const echo = task("echo", (d: Date, m: Map<string, number>) => [d, m]);
    const ctx = await workflow("codec_args", async () => await echo(new Date(0), new Map([["a", 1]]))).run();
    expect(ctx.events[1]?.value).toEqual([encode(new Date(0)), encode(new Map([["a", 1]]))]);
  });
});

describe("error records", () => {
  it("every Flux error class survives toErrorRecord/fromErrorRecord", async () => {
    const errors: Error[] = [
      new CancelledError("stop"),
      new WorkflowNotFoundError("no such workflow"),
      new NonDeterminismError("diverged"),
      new AuthoringError("bad"),
      new ExecutionTimeoutError("Workflow", "wf", "exec-1", 30),
      new RangeError("range"),
    ];
    for (const error of errors) {
      const back = fromErrorRecord(JSON.parse(JSON.stringify(toErrorRecord(error))) as ErrorRecord);
      expect(back.constructor).toBe(error.constructor);
      expect(back.message).toBe(error.message);
    }
    expect(toErrorRecord("plain string")).toEqual({ type: "Error", message: "plain string" });
    expect(toErrorRecord({ code: 7 })).toEqual({ type: "Error", message: '{"code":7}' });
    expect(fromErrorRecord({ type: "RetryError", message: "m" })).toBeInstanceOf(RetryError);
  });

  it("secret values are redacted inside nested recorded values", async () => {
    const t = task.withOptions({ name: "nested_secret", secretRequests: ["TOKEN"] }, () => ({
      headers: [{ auth: `Bearer ${taskContext().secrets.TOKEN}` }],
      n: 1,
    }));
    const secrets = { get: async () => ({ TOKEN: "tok-abcdef" }) };
    const ctx = await workflow("nested_secret_wf", async () => await t()).run(null, {
      ports: new VirtualTime().ports({ secrets }),
    });
    expect(ctx.output).toEqual({ headers: [{ auth: "Bearer ***" }], n: 1 });
    expect(JSON.stringify(ctx.events)).not.toContain("tok-abcdef");
  });
});
