// The loop budget installed in a sandboxed isolate (the tick that loop-guard.ts inserts calls it).
export const LOOP_TICK = "__fluxLoopTick";

/** The tick installed in the isolate: counts iterations against a budget. */
export function createLoopBudget(limit: number): { tick: () => void; reset: () => void } {
  let used = 0;
  return {
    tick() {
      if (++used > limit) {
        throw new Error(`Workflow code exceeded its CPU budget (${limit} loop iterations); the sandbox stopped it`);
      }
    },
    reset() {
      used = 0;
    },
  };
}
