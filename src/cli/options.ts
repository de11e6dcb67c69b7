// Shared option parsers and choices. Parse failures become commander errors, i.e. usage errors (exit 2).
import { InvalidArgumentError, Option } from "commander";
import { ExecutionStates } from "../engine/events.ts";

export function positiveInt(value: string): number {
  if (!/^[0-9]+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError("expected a positive integer");
  return Number(value);
}

export const RUN_MODES = ["sync", "async", "stream"] as const;
export type RunMode = (typeof RUN_MODES)[number];

export const modeOption = (description: string): Option =>
  new Option("-m, --mode <mode>", description).choices(RUN_MODES).default("sync");

// The engine's own list (pure TypeScript, bundled into the CLI): one definition of the states.
export const EXECUTION_STATES = ExecutionStates;

export function executionState(value: string): string {
  const upper = value.toUpperCase();
  if (!(EXECUTION_STATES as readonly string[]).includes(upper)) {
    throw new InvalidArgumentError(`expected one of ${EXECUTION_STATES.join(", ")}`);
  }
  return upper;
}
