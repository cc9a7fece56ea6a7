/**
 * Numbers every trainer and every limit must agree on, defined once: the default minibatch of SGD
 * and the loss factor at which a run stops as diverged (theory/finite.md#divergence).
 */

/** SGD minibatch when the spec gives none (at most n without replacement). */
export const DEFAULT_BATCH_SIZE = 32;

/** A run stops as diverged when its train loss exceeds this factor × max(1, initial loss). */
export const DIVERGENCE_FACTOR = 1e8;

/** The minibatch of an SGD run on n points without replacement: min(n, batchSize ?? 32). */
export function batchSizeFor(n: number, batchSize?: number): number {
  return Math.min(n, batchSize ?? DEFAULT_BATCH_SIZE);
}
