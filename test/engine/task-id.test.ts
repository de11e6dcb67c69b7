// Task identity (SPEC §3.1): fullName + "_" + first 16 hex of SHA-256(canonical JSON of [fullName, args]),
// `~N` for repeats within one run; canonical JSON sorts keys and rejects what has no stable plain shape.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AuthoringError, canonicalJson, task, taskContext, taskIdFor, workflow } from "flux";

const expectedId = (name: string, canonical: string) =>
  `${name}_${createHash("sha256").update(canonical).digest("hex").slice(0, 16)}`;

describe("taskIdFor", () => {
  it("is name_<16 hex of sha256(canonical [name, args])>", () => {
    expect(taskIdFor("hi", ["Joe"])).toBe(expectedId("hi", '["hi",["Joe"]]'));
    expect(taskIdFor("now", [])).toBe(expectedId("now", '["now",[]]'));
    expect(taskIdFor("mul", [2, 3])).toMatch(/^mul_[0-9a-f]{16}$/);
    expect(taskIdFor("f", [{ b: 1, a: [1, 2] }, "é"])).toBe(expectedId("f", '["f",[{"a":[1,2],"b":1},"é"]]'));
  });

  it("is stable and independent of object key order", () => {
    expect(taskIdFor("t", [{ a: 1, b: { c: 2, d: 3 } }])).toBe(taskIdFor("t", [{ b: { d: 3, c: 2 }, a: 1 }]));
    expect(
      taskIdFor("t", [
        new Map([
          ["x", 1],
          ["y", 2],
        ]),
      ]),
    ).toBe(
      taskIdFor("t", [
        new Map([
          ["y", 2],
          ["x", 1],
        ]),
      ]),
    );
    expect(taskIdFor("t", [new Set([3, 1, 2])])).toBe(taskIdFor("t", [new Set([1, 2, 3])]));
    expect(taskIdFor("t", [1])).toBe(taskIdFor("t", [1]));
  });

  it("differs for different names, arguments, argument order and types", () => {
    const ids = [
      taskIdFor("t", [1, 2]),
      taskIdFor("t", [2, 1]),
      taskIdFor("u", [1, 2]),
      taskIdFor("t", ["1", 2]),
      taskIdFor("t", [1n, 2]),
      taskIdFor("t", [1, 2, undefined]),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("hashes the same text as canonicalJson([name, args])", () => {
    const args = [{ b: [1, new Date(0)], a: new Map([["k", 1n]]) }, undefined];
    expect(taskIdFor("same", args)).toBe(expectedId("same", canonicalJson(["same", args])));
  });

  it("names the task and the argument that cannot be hashed", () => {
    expect(() => taskIdFor("send", [{ to: "x", cb: () => 1 }])).toThrow(
      "Task send: argument args[0].cb is a function",
    );
  });
});

describe("canonicalJson", () => {
  it("sorts keys, has no whitespace and tags non-JSON values", () => {
    expect(canonicalJson({ b: 1, a: [true, null] })).toBe('{"a":[true,null],"b":1}');
    expect(canonicalJson(new Date("2026-01-01T00:00:00Z"))).toBe('"2026-01-01T00:00:00.000Z"');
    expect(canonicalJson(undefined)).toBe('{"$undefined":true}');
    expect(canonicalJson(10n)).toBe('{"$bigint":"10"}');
    expect(canonicalJson(NaN)).toBe('{"$number":"NaN"}');
    expect(canonicalJson(new Uint8Array([1, 2]))).toBe('{"$bytes":"AQI="}');
    expect(
      canonicalJson(
        new Map([
          ["b", 1],
          ["a", 2],
        ]),
      ),
    ).toBe('{"$map":[["a",2],["b",1]]}');
    expect(canonicalJson(new Set(["b", "a"]))).toBe('{"$set":["a","b"]}');
    expect(canonicalJson(Object.assign(Object.create(null) as object, { z: 1 }))).toBe('{"z":1}');
    expect(canonicalJson(new Date(NaN))).toBe("null");
  });

  it("rejects functions, symbols and class instances with a clear message", () => {
    class Order {
      id = 1;
    }
    expect(() => canonicalJson({ cb: () => 1 })).toThrow(AuthoringError);
    expect(() => canonicalJson({ cb: () => 1 })).toThrow(
      /\$\.cb is a function; task arguments must be plain data/,
    );
    expect(() => canonicalJson([Symbol("s")])).toThrow(/is a symbol/);
    expect(() => canonicalJson({ order: new Order() })).toThrow(/is an instance of Order; pass plain data/);
  });

  it("workflow objects take part by name", () => {
    const wf = workflow("child_wf", async () => null);
    expect(canonicalJson(wf)).toBe('"default/child_wf"');
  });
});

describe("task ids inside a run", () => {
  it("events carry the computed id; repeats get ~1, ~2; taskContext sees the same id", async () => {
    const seen: string[] = [];
    const mul = task("mul", (a: number, b: number) => {
      seen.push(taskContext().taskId);
      return a * b;
    });
    const ctx = await workflow("ids", async () => [
      await mul(2, 3),
      await mul(2, 3),
      await mul(2, 3),
      await mul(3, 2),
    ]).run();
    const base = taskIdFor("mul", [2, 3]);
    const ids = ctx.events.filter((e) => e.type === "TASK_STARTED").map((e) => e.source_id);
    expect(ids).toEqual([base, `${base}~1`, `${base}~2`, taskIdFor("mul", [3, 2])]);
    expect(seen).toEqual(ids);
  });

  it("ids do not depend on the workflow", async () => {
    const hi = task("hi", (name: string) => `hi ${name}`);
    const a = await workflow("wf_a", async () => await hi("Joe")).run();
    const b = await workflow("wf_b", async () => await hi("Joe")).run();
    expect(a.events[1]?.source_id).toBe(b.events[1]?.source_id);
  });

  it("an unhashable argument fails the call before anything is recorded", async () => {
    class Conn {
      open = true;
    }
    const use = task("use", (_c: unknown) => 1);
    const ctx = await workflow("unhashable", async () => await use(new Conn())).run();
    expect(ctx.state).toBe("FAILED");
    expect(ctx.output).toBeInstanceOf(AuthoringError);
    expect((ctx.output as unknown as Error).message).toBe(
      "Task use: argument args[0] is an instance of Conn; pass plain data (objects, arrays, strings, numbers, Date, Map, Set).",
    );
    expect(ctx.events.filter((e) => e.type.startsWith("TASK_"))).toEqual([]);
  });
});
