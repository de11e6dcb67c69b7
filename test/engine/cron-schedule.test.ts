// Schedule timing (src/triggers/schedule-spec.ts), pure and in Node: cron in IANA timezones across DST changes,
// interval slots and windows, once, validation, and missed slots collapsing into one "next".
import { describe, expect, it } from "vitest";
import {
  checkSchedule,
  firstFireAt,
  InvalidScheduleError,
  nextFireAt,
  type ScheduleSpec,
} from "../../src/triggers/schedule-spec";

const t = (iso: string): number => Date.parse(iso);
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const cron = (expression: string, timezone = "UTC"): ScheduleSpec => ({ type: "cron", expression, timezone });

/** The next `n` fires after `from`, following nextFireAt like the SchedulerDO does. */
function fires(spec: ScheduleSpec, from: string, n: number, anchor = t(from)): (string | null)[] {
  const out: (string | null)[] = [];
  let after = t(from);
  for (let i = 0; i < n; i++) {
    const next = nextFireAt(spec, after, anchor);
    out.push(iso(next));
    if (next === null) break;
    after = next;
  }
  return out;
}

describe("cron next fire across DST", () => {
  it("09:00 New York keeps local time when clocks spring forward (UTC offset -5 → -4)", () => {
    expect(fires(cron("0 9 * * *", "America/New_York"), "2026-03-07T12:00:00Z", 3)).toEqual([
      "2026-03-07T14:00:00.000Z",
      "2026-03-08T13:00:00.000Z",
      "2026-03-09T13:00:00.000Z",
    ]);
  });

  it("09:00 New York keeps local time when clocks fall back (-4 → -5)", () => {
    expect(fires(cron("0 9 * * *", "America/New_York"), "2026-10-31T12:00:00Z", 3)).toEqual([
      "2026-10-31T13:00:00.000Z",
      "2026-11-01T14:00:00.000Z",
      "2026-11-02T14:00:00.000Z",
    ]);
  });

  it("a local time skipped by spring forward (02:30) fires once, right after the gap", () => {
    expect(fires(cron("30 2 * * *", "America/New_York"), "2026-03-07T12:00:00Z", 2)).toEqual([
      "2026-03-08T07:00:00.000Z", // 03:00 EDT
      "2026-03-09T06:30:00.000Z",
    ]);
  });

  it("a local time repeated by fall back (01:30) fires once, at its first occurrence", () => {
    expect(fires(cron("30 1 * * *", "America/New_York"), "2026-10-31T12:00:00Z", 2)).toEqual([
      "2026-11-01T05:30:00.000Z", // 01:30 EDT; the 01:30 EST an hour later does not fire
      "2026-11-02T06:30:00.000Z",
    ]);
  });

  it("Europe/Lisbon changes on a different date than New York", () => {
    expect(fires(cron("0 12 * * *", "Europe/Lisbon"), "2026-03-28T00:00:00Z", 2)).toEqual([
      "2026-03-28T12:00:00.000Z",
      "2026-03-29T11:00:00.000Z",
    ]);
  });

  it("six fields include seconds", () => {
    expect(fires(cron("*/20 * * * * *"), "2026-01-01T00:00:00Z", 3)).toEqual([
      "2026-01-01T00:00:20.000Z",
      "2026-01-01T00:00:40.000Z",
      "2026-01-01T00:01:00.000Z",
    ]);
  });

  it("missed slots collapse: the next fire after a long downtime is the first slot after now", () => {
    const spec = cron("*/5 * * * *");
    expect(iso(nextFireAt(spec, t("2026-01-01T10:07:30Z"), 0))).toBe("2026-01-01T10:10:00.000Z");
  });
});

describe("interval and once", () => {
  it("interval slots are counted from creation (first one interval later) and skip to the next future slot", () => {
    const spec: ScheduleSpec = { type: "interval", every_seconds: 60 };
    const created = t("2026-01-01T00:00:00.400Z");
    expect(iso(firstFireAt(spec, created, created))).toBe("2026-01-01T00:01:01.000Z");
    expect(iso(nextFireAt(spec, t("2026-01-01T03:00:30Z"), created))).toBe("2026-01-01T03:01:01.000Z");
  });

  it("interval with start_at and end_at", () => {
    const spec: ScheduleSpec = {
      type: "interval",
      every_seconds: 3600,
      start_at: "2026-01-01T00:00:00Z",
      end_at: "2026-01-01T02:30:00Z",
    };
    expect(iso(firstFireAt(spec, t("2025-12-31T00:00:00Z"), 0))).toBe("2026-01-01T00:00:00.000Z");
    expect(fires(spec, "2026-01-01T00:00:00Z", 3)).toEqual([
      "2026-01-01T01:00:00.000Z",
      "2026-01-01T02:00:00.000Z",
      null,
    ]);
  });

  it("once fires at its instant and never again; one a few seconds late still fires at once", () => {
    const spec: ScheduleSpec = { type: "once", at: "2026-05-01T08:00:00Z" };
    expect(iso(firstFireAt(spec, t("2026-04-01T00:00:00Z"), 0))).toBe("2026-05-01T08:00:00.000Z");
    expect(nextFireAt(spec, t("2026-05-01T08:00:00Z"), 0)).toBeNull();
    expect(iso(firstFireAt(spec, t("2026-05-01T08:00:10Z"), 0))).toBe("2026-05-01T08:00:10.000Z");
  });
});

describe("validation", () => {
  const code = (spec: ScheduleSpec, now = t("2026-01-01T00:00:00Z")): string | undefined => {
    try {
      checkSchedule(spec, now);
      return undefined;
    } catch (error) {
      return error instanceof InvalidScheduleError ? error.code : "other";
    }
  };

  it("accepts good definitions", () => {
    expect(code(cron("0 9 * * 1-5", "Asia/Kolkata"))).toBeUndefined();
    expect(code({ type: "interval", every_seconds: 1 })).toBeUndefined();
  });

  it("rejects bad cron, unknown timezone, a cron that never fires, empty windows and a stale once", () => {
    expect(code(cron("not a cron"))).toBe("invalid_cron");
    expect(code(cron("61 * * * *"))).toBe("invalid_cron");
    expect(code(cron("0 0 31 2 *"))).toBe("invalid_cron");
    expect(code(cron("0 9 * * *", "Mars/Olympus_Mons"))).toBe("unknown_timezone");
    expect(
      code({
        type: "interval",
        every_seconds: 60,
        start_at: "2026-02-01T00:00:00Z",
        end_at: "2026-01-01T00:00:00Z",
      }),
    ).toBe("invalid_schedule");
    expect(code({ type: "once", at: "2025-12-31T23:00:00Z" })).toBe("invalid_schedule");
  });
});
