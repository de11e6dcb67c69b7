// Durations: numbers are seconds (Flux's unit); strings take a unit: "500ms", "5s", "2m", "1h", "7d".
import { AuthoringError } from "./errors.ts";

export type Duration = number | string;

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function toMilliseconds(duration: Duration, what = "duration"): number {
  if (typeof duration === "number") {
    if (!Number.isFinite(duration) || duration < 0) {
      throw new AuthoringError(`${what} must be a non-negative number of seconds, got ${duration}`);
    }
    return duration * 1000;
  }
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(duration);
  if (!match) {
    throw new AuthoringError(`${what} "${duration}" is not a duration; use seconds or e.g. "500ms", "5s", "2m", "1h", "7d"`);
  }
  return Number(match[1]) * (units[match[2] as string] as number);
}

export function toSeconds(duration: Duration, what?: string): number {
  return toMilliseconds(duration, what) / 1000;
}
