// Redaction of secret values from stored/returned data.
import { describe, expect, it } from "vitest";
import { createRedactor, MIN_REDACTED_LENGTH, REDACTED } from "../../src/security";

describe("redactor", () => {
  it("replaces every occurrence in nested values, keys included", () => {
    const { redact } = createRedactor(["s3cr3t-token"]);
    const input = {
      output: "Bearer s3cr3t-token and again s3cr3t-token",
      list: [1, "s3cr3t-token", { deep: ["x s3cr3t-token y"] }, null, true],
      "s3cr3t-token": "as a key",
      n: 42,
    };
    expect(redact(input)).toEqual({
      output: "Bearer *** and again ***",
      list: [1, "***", { deep: ["x *** y"] }, null, true],
      "***": "as a key",
      n: 42,
    });
  });

  it("handles multiple secrets", () => {
    const { redactString } = createRedactor(["alpha-key", "beta-key"]);
    expect(redactString("a=alpha-key b=beta-key c=gamma")).toBe("a=*** b=*** c=gamma");
  });

  it("redacts overlapping and nested secrets completely, regardless of order", () => {
    for (const values of [
      ["abcdef", "cdefgh"],
      ["cdefgh", "abcdef"],
    ]) {
      expect(createRedactor(values).redactString("xx abcdefgh yy")).toBe("xx *** yy");
    }
    // A secret contained in a longer one: the longer one wins, no fragment remains.
    for (const values of [
      ["pass", "password123"],
      ["password123", "pass"],
    ]) {
      expect(createRedactor(values).redactString("password123 / pass")).toBe("*** / ***");
    }
    // Self-overlapping occurrences.
    expect(createRedactor(["aaaa"]).redactString("aaaaaa!")).toBe("***!");
  });

  it("redacts the JSON-escaped form of a value", () => {
    const secret = 'pa"ss\\word';
    const { redactString } = createRedactor([secret]);
    expect(redactString(JSON.stringify({ password: secret }))).toBe('{"password":"***"}');
    expect(redactString(`raw ${secret}`)).toBe("raw ***");
  });

  it("ignores empty and short values", () => {
    expect(MIN_REDACTED_LENGTH).toBe(4);
    const redactor = createRedactor(["", "a", "on", "abc"]);
    expect(redactor.active).toBe(false);
    expect(redactor.redactString("a on abc")).toBe("a on abc");
    expect(createRedactor(["abcd"]).redactString("abcde")).toBe(`${REDACTED}e`);
  });

  it("is the identity without secrets or without matches", () => {
    const input = { a: ["b", { c: "d" }] };
    expect(createRedactor([]).redact(input)).toBe(input);
    const redactor = createRedactor(["not-present"]);
    expect(redactor.redact(input)).toBe(input);
    expect(redactor.redact("plain")).toBe("plain");
  });

  it("does not mutate the input and shares unchanged subtrees", () => {
    const untouched = { keep: ["same"] };
    const input = { secret: "my-secret-value", nested: { list: ["my-secret-value"] }, untouched };
    const snapshot = structuredClone(input);
    const output = createRedactor(["my-secret-value"]).redact(input);
    expect(input).toEqual(snapshot);
    expect(output).toEqual({ secret: "***", nested: { list: ["***"] }, untouched: { keep: ["same"] } });
    expect(output.untouched).toBe(untouched);
    expect(output).not.toBe(input);
  });

  it("leaves non-plain objects alone and survives cycles", () => {
    const date = new Date(0);
    const { redact } = createRedactor(["top-secret"]);
    expect(redact({ date }).date).toBe(date);
    const cyclic: Record<string, unknown> = { name: "top-secret" };
    cyclic.self = cyclic;
    expect(redact(cyclic)).toEqual({ name: "***", self: "***" });
  });
});
