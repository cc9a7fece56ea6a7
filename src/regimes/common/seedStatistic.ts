/**
 * Named statistics {estimate, ci, seeds} over independent seeds, for claims that are not fitted
 * exponents (the claim format of theory/harness.md): the mean with a percentile bootstrap interval over seeds,
 * or the range over seeds when every seed must satisfy the claim (the interval is then the
 * smallest and largest seed value, so an `atLeast` / `atMost` claim passes only if all seeds do).
 */
import { Rng } from '../../core/rng.js';

export interface SeedStatistic {
  estimate: number;
  ci: [number, number];
  seeds: number;
  note?: string;
}

/** Mean over the finite values, 95 % percentile bootstrap over seeds (nBoot resamples). */
export function bootstrapMean(values: readonly number[], rng: Rng, nBoot = 2000, note?: string): SeedStatistic {
  const v = values.filter((x) => Number.isFinite(x));
  const n = v.length;
  if (n === 0) return { estimate: NaN, ci: [NaN, NaN], seeds: 0, note: note ?? 'no finite value' };
  const mean = v.reduce((a, x) => a + x, 0) / n;
  const ci = percentileInterval(n, (idx) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += v[idx[i]];
    return s / n;
  }, rng, nBoot);
  return { estimate: mean, ci, seeds: n, ...(note ? { note } : {}) };
}

/**
 * 95 % percentile bootstrap interval of any statistic of n independent units: `stat` gets the
 * resampled unit indices (drawn with replacement from `rng`, in order), nBoot times; the interval
 * is the nearest-rank 2.5 % and 97.5 % points of the sorted replicates.
 */
export function percentileInterval(n: number, stat: (idx: Int32Array) => number, rng: Rng, nBoot = 2000): [number, number] {
  const reps = new Float64Array(nBoot);
  const idx = new Int32Array(n);
  for (let b = 0; b < nBoot; b++) {
    for (let i = 0; i < n; i++) idx[i] = rng.int(n);
    reps[b] = stat(idx);
  }
  reps.sort();
  const q = (f: number) => reps[Math.min(nBoot - 1, Math.max(0, Math.round(f * (nBoot - 1))))];
  return [q(0.025), q(0.975)];
}

/** Mean and [min, max] over seeds; a non-finite seed value makes the statistic NaN. */
export function seedRange(values: readonly number[], note?: string): SeedStatistic {
  const n = values.length;
  if (n === 0 || values.some((x) => !Number.isFinite(x))) return { estimate: NaN, ci: [NaN, NaN], seeds: n, note: `${note ?? ''} (a seed has no finite value)`.trim() };
  const mean = values.reduce((a, x) => a + x, 0) / n;
  return { estimate: mean, ci: [Math.min(...values), Math.max(...values)], seeds: n, note: note ?? 'interval = range over seeds (every seed must satisfy the claim)' };
}

export { Rng };
