// What a schedule is (cron with an IANA timezone, fixed interval, or once) and when it fires next. Pure: no
// bindings, no clock of its own (callers pass `now`), so it is unit-tested in plain Node.
//
// Cron: 5 fields (minute precision) or 6 fields (leading seconds), evaluated by croner in the schedule's IANA
// timezone. Across DST: a wall-clock time that does not exist (spring forward) fires once at the first instant
// after the gap (02:30 → 03:00 local); a time that happens twice (fall back) fires once, at its first occurrence.
// Interval: slots at `start_at + k * every_seconds` (anchor: start_at, else the schedule's creation second),
// none at or after `end_at`. Once: the single instant `at`.
// "Next" is always the first slot strictly after `after`: a runtime that was down for many slots fires once on
// wake, then continues with the next future slot (missed slots collapse into one).
import { Cron } from "croner";
import { z } from "zod";

export const MIN_INTERVAL_SECONDS = 1;
/** A `once` up to this far in the past is still accepted and fires at once (clock skew, slow clients). */
export const ONCE_GRACE_MS = 60_000;

const isoInstant = z.iso.datetime({ offset: true });

export const CronSpec = z.object({
  type: z.literal("cron"),
  expression: z.string().min(1).max(200),
  timezone: z.string().min(1).max(64).default("UTC"),
});
export const IntervalSpec = z.object({
  type: z.literal("interval"),
  every_seconds: z
    .number()
    .int()
    .min(MIN_INTERVAL_SECONDS)
    .max(366 * 24 * 3600),
  start_at: isoInstant.optional(),
  end_at: isoInstant.optional(),
});
export const OnceSpec = z.object({ type: z.literal("once"), at: isoInstant });
export const ScheduleSpecSchema = z.discriminatedUnion("type", [CronSpec, IntervalSpec, OnceSpec]);

export type ScheduleSpec = z.infer<typeof ScheduleSpecSchema>;
export type Overlap = "skip" | "allow";

/** A schedule definition that does not make sense (bad cron, unknown timezone, empty window...). */
export class InvalidScheduleError extends Error {
  constructor(
    readonly code: "invalid_cron" | "unknown_timezone" | "invalid_schedule",
    message: string,
  ) {
    super(message);
  }
}

export function isKnownTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

function cronFor(spec: z.infer<typeof CronSpec>): Cron {
  if (!isKnownTimezone(spec.timezone)) {
    throw new InvalidScheduleError("unknown_timezone", `Unknown IANA timezone "${spec.timezone}"`);
  }
  try {
    return new Cron(spec.expression, { timezone: spec.timezone, paused: true });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new InvalidScheduleError("invalid_cron", `Invalid cron expression "${spec.expression}": ${why}`);
  }
}

/**
 * The latest first fire we accept. Durable Object alarms cannot be set after 2189 (setAlarm throws), and a
 * schedule whose first fire is further away than this is a typo, not a plan.
 */
export const MAX_FIRST_FIRE_MS = Date.parse("2100-01-01T00:00:00Z");

/** Throws InvalidScheduleError unless `spec` can fire at least once after `now` (and not absurdly late). */
export function checkSchedule(spec: ScheduleSpec, now: number): void {
  if (spec.type === "cron") {
    if (cronFor(spec).nextRun(new Date(now)) === null) {
      throw new InvalidScheduleError("invalid_cron", `Cron expression "${spec.expression}" never fires`);
    }
  }
  if (spec.type === "once" && Date.parse(spec.at) < now - ONCE_GRACE_MS) {
    throw new InvalidScheduleError("invalid_schedule", `"at" (${spec.at}) is in the past`);
  }
  if (
    spec.type === "interval" &&
    spec.start_at &&
    spec.end_at &&
    Date.parse(spec.end_at) <= Date.parse(spec.start_at)
  ) {
    throw new InvalidScheduleError("invalid_schedule", "end_at must be after start_at");
  }
  const first = firstFireAt(spec, now, now);
  if (first === null) throw new InvalidScheduleError("invalid_schedule", "The schedule's window has already ended");
  if (first >= MAX_FIRST_FIRE_MS) {
    throw new InvalidScheduleError(
      "invalid_schedule",
      `The first fire (${new Date(first).toISOString()}) is after ${new Date(MAX_FIRST_FIRE_MS).toISOString()}`,
    );
  }
}

/** Whole seconds: alarms are armed at the due second. */
const ceilSecond = (ms: number): number => Math.ceil(ms / 1000) * 1000;

/**
 * The first fire time strictly after `after` (epoch ms), or null when the schedule has no more fires.
 * `anchor` is the interval anchor when there is no `start_at` (the creation time).
 */
export function nextFireAt(spec: ScheduleSpec, after: number, anchor: number): number | null {
  switch (spec.type) {
    case "cron": {
      const next = cronFor(spec).nextRun(new Date(after));
      return next === null ? null : next.getTime();
    }
    case "once": {
      const at = Date.parse(spec.at);
      return at > after ? at : null;
    }
    case "interval": {
      const every = spec.every_seconds * 1000;
      // Without start_at the first slot is one interval after creation (creating a schedule is not a fire).
      const start = spec.start_at ? Date.parse(spec.start_at) : ceilSecond(anchor) + every;
      const end = spec.end_at ? Date.parse(spec.end_at) : Infinity;
      const next = after < start ? start : start + (Math.floor((after - start) / every) + 1) * every;
      return next < end ? next : null;
    }
  }
}

/** The first fire of a new (or re-defined) schedule. A `once` slightly in the past fires at once. */
export function firstFireAt(spec: ScheduleSpec, now: number, anchor: number): number | null {
  if (spec.type === "once") return Math.max(Date.parse(spec.at), now);
  return nextFireAt(spec, now - 1, anchor);
}
