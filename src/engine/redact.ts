// Redaction of secret values from anything that is stored or returned (events, outputs, errors, logs, SSE).
// Pure and allocation-free when there is nothing to hide; never mutates its input.
//
// Decisions:
// - Every occurrence of every secret value is replaced by `***`. Occurrences are found for all values first and
//   overlapping or adjacent ranges merged, so overlapping secrets ("abcdef", "cdefgh" in "abcdefgh") leave no
//   fragment behind: the result is "***", whatever the order the values were given in.
// - Values shorter than MIN_REDACTED_LENGTH (4) are ignored: a secret "1" or "on" would shred every output and
//   is guessable anyway. The secrets API should reject such values rather than rely on redaction.
// - A value's JSON-escaped form (different when it holds quotes, backslashes or control characters) is redacted
//   too, because tasks often return JSON text that embeds it.
// - Walks strings, arrays and plain objects (keys included). Other values (numbers, class instances, Errors) are
//   returned as they are: callers redact serialised, JSON-like data (e.g. after toErrorRecord).
// - Unchanged subtrees are returned by reference (structural sharing); a cycle is replaced by `***`.

export const REDACTED = "***";
export const MIN_REDACTED_LENGTH = 4;

export interface Redactor {
  /** False when there is nothing to redact: `redact` and `redactString` are then the identity. */
  readonly active: boolean;
  redact<T>(value: T): T;
  redactString(text: string): string;
}

export function createRedactor(values: readonly string[]): Redactor {
  const needles = new Set<string>();
  for (const value of values) {
    if (typeof value !== "string" || value.length < MIN_REDACTED_LENGTH) continue;
    needles.add(value);
    const escaped = JSON.stringify(value).slice(1, -1);
    if (escaped !== value) needles.add(escaped);
  }
  if (needles.size === 0) return IDENTITY;
  // No longest-first ordering needed: all occurrences are merged, which covers at least what longest-first would.
  const sorted = [...needles];

  function redactString(text: string): string {
    const ranges: [number, number][] = [];
    for (const needle of sorted) {
      for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
        ranges.push([at, at + needle.length]);
      }
    }
    if (ranges.length === 0) return text;
    ranges.sort((a, b) => a[0] - b[0]);
    let out = "";
    let cursor = 0;
    let open: [number, number] | undefined;
    for (const range of ranges) {
      if (open && range[0] <= open[1]) {
        open[1] = Math.max(open[1], range[1]);
        continue;
      }
      if (open) {
        out += text.slice(cursor, open[0]) + REDACTED;
        cursor = open[1];
      }
      open = [range[0], range[1]];
    }
    if (open) {
      out += text.slice(cursor, open[0]) + REDACTED;
      cursor = open[1];
    }
    return out + text.slice(cursor);
  }

  function walk(value: unknown, ancestors: Set<object>): unknown {
    if (typeof value === "string") return redactString(value);
    if (typeof value !== "object" || value === null) return value;
    if (ancestors.has(value)) return REDACTED;
    if (Array.isArray(value)) {
      ancestors.add(value);
      let copy: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        const next = walk(item, ancestors);
        if (next !== item && !copy) copy = value.slice(0, i);
        if (copy) copy.push(next);
      }
      ancestors.delete(value);
      return copy ?? value;
    }
    if (!isPlainObject(value)) return value;
    ancestors.add(value);
    const keys = Object.keys(value);
    let copy: Record<string, unknown> | undefined;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const item = value[key];
      const nextKey = redactString(key);
      const next = walk(item, ancestors);
      if ((next !== item || nextKey !== key) && !copy) {
        const fresh: Record<string, unknown> =
          Object.getPrototypeOf(value) === null ? Object.create(null) : {};
        for (const earlier of keys.slice(0, i)) fresh[earlier] = value[earlier];
        copy = fresh;
      }
      if (copy) copy[nextKey] = next;
    }
    ancestors.delete(value);
    return copy ?? value;
  }

  return {
    active: true,
    redact: <T>(value: T): T => walk(value, new Set()) as T,
    redactString,
  };
}

const IDENTITY: Redactor = {
  active: false,
  redact: <T>(value: T): T => value,
  redactString: (text: string): string => text,
};

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
