/**
 * Small descriptive statistics on arrays of numbers.
 *
 * All functions take any `ArrayLike<number>` (number[] or Float64Array) and never throw on empty
 * input: they return NaN where the quantity is undefined (mean of nothing, variance of one value).
 */

/** Arithmetic mean; NaN for an empty array. */
export function mean(x: ArrayLike<number>): number {
  const n = x.length;
  if (n === 0) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  return s / n;
}

/**
 * Unbiased sample variance Σ(x − x̄)²/(n − 1), two-pass (no cancellation from Σx² − n x̄²).
 * NaN when n < 2.
 */
export function variance(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return NaN;
  const m = mean(x);
  let s = 0;
  let c = 0; // compensation: Σ(x − m) is 0 in exact arithmetic (corrected two-pass algorithm)
  for (let i = 0; i < n; i++) {
    const d = x[i] - m;
    s += d * d;
    c += d;
  }
  return (s - (c * c) / n) / (n - 1);
}

/** Sample standard deviation √variance. */
export function std(x: ArrayLike<number>): number {
  return Math.sqrt(variance(x));
}

/** Standard error of the mean, √(variance / n). NaN when n < 2. */
export function stderr(x: ArrayLike<number>): number {
  return Math.sqrt(variance(x) / x.length);
}

/** Root mean square √(Σx²/n); NaN for an empty array. */
export function rms(x: ArrayLike<number>): number {
  const n = x.length;
  if (n === 0) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i] * x[i];
  return Math.sqrt(s / n);
}

/**
 * Quantile of an ascending-sorted array by linear interpolation between order statistics
 * (Hyndman–Fan type 7, the default of R and NumPy): position h = (n − 1)q, value
 * x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]). `q` is clamped to [0, 1]; NaN for an empty array.
 * The caller sorts (e.g. `Float64Array.prototype.sort`, which is numeric).
 */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0 || Number.isNaN(q)) return NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  const f = h - lo;
  return f === 0 ? sorted[lo] : sorted[lo] + f * (sorted[hi] - sorted[lo]);
}

/** Numeric ascending sort of a copy (NaN last). */
export function sorted(x: ArrayLike<number>): Float64Array {
  return Float64Array.from(x).sort();
}
