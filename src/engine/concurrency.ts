// Bounded concurrency for parallel() and task.map(): results in input order.
import { AuthoringError } from "./errors.ts";

export function checkMaxConcurrent(maxConcurrent: number | undefined): void {
  if (maxConcurrent !== undefined && (!Number.isInteger(maxConcurrent) || maxConcurrent < 1)) {
    throw new AuthoringError(`maxConcurrent must be an integer ≥ 1, got ${maxConcurrent}`);
  }
}

/**
 * Run `worker` over `items` with at most `limit` in flight. Rejects with the first failure once every
 * started item has settled (so no task keeps writing after its caller moved on).
 */
export async function mapWithLimit<T, R>(
  items: readonly T[],
  limit: number | undefined,
  worker: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  checkMaxConcurrent(limit);
  const results = new Array<R>(items.length);
  let failure: { error: unknown } | undefined;
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length && !failure) {
      const index = next++;
      try {
        results[index] = await worker(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const lanes = Math.min(limit ?? items.length, items.length);
  await Promise.all(Array.from({ length: lanes }, lane));
  if (failure) throw failure.error;
  return results;
}
