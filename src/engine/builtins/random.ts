// Recorded non-determinism (SPEC §2.3): each value is a task, so a replay sees the recorded value.
import { AuthoringError } from "../errors.ts";
import { requireScope } from "../scope.ts";
import { task } from "../task.ts";

const ports = () => requireScope().run.ports;

/** The current time as a Date (UTC instant), recorded. */
export const now = task("now", () => new Date(ports().clock.now()));

/** A random UUID string, recorded. */
export const uuid4 = task("uuid4", () => ports().random.uuid());

/** A random element of `options`, recorded. */
export const choice = task("choice", <T>(options: readonly T[]): T => {
  if (!Array.isArray(options) || options.length === 0) throw new AuthoringError("choice() needs a non-empty array");
  return options[Math.floor(ports().random.random() * options.length)] as T;
});

/** A random integer in [a, b] (both inclusive), recorded. */
export const randint = task("randint", (a: number, b: number): number => {
  if (!Number.isInteger(a) || !Number.isInteger(b) || b < a) throw new AuthoringError(`randint(${a}, ${b}) needs integers a ≤ b`);
  return a + Math.floor(ports().random.random() * (b - a + 1));
});

/** Like Python's random.randrange: randrange(stop) or randrange(start, stop, step), recorded. */
export const randrange = task("randrange", (start: number, stop?: number, step: number = 1): number => {
  const [from, to] = stop === undefined ? [0, start] : [start, stop];
  if (![from, to, step].every(Number.isInteger) || step === 0) throw new AuthoringError("randrange() needs integers and a non-zero step");
  const count = Math.ceil((to - from) / step);
  if (count <= 0) throw new AuthoringError(`randrange(${from}, ${to}, ${step}) is an empty range`);
  return from + step * Math.floor(ports().random.random() * count);
});
