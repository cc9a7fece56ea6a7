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
  const means = new Float64Array(nBoot);
  for (let b = 0; b < nBoot; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += v[rng.int(n)];
    means[b] = s / n;
  }
  means.sort();
  const q = (f: number) => means[Math.min(nBoot - 1, Math.max(0, Math.round(f * (nBoot - 1))))];
  return { estimate: mean, ci: [q(0.025), q(0.975)], seeds: n, ...(note ? { note } : {}) };
}

/** Mean and [min, max] over seeds; a non-finite seed value makes the statistic NaN. */
export function seedRange(values: readonly number[], note?: string): SeedStatistic {
  const n = values.length;
  if (n === 0 || values.some((x) => !Number.isFinite(x))) return { estimate: NaN, ci: [NaN, NaN], seeds: n, note: `${note ?? ''} (a seed has no finite value)`.trim() };
  const mean = values.reduce((a, x) => a + x, 0) / n;
  return { estimate: mean, ci: [Math.min(...values), Math.max(...values)], seeds: n, note: note ?? 'interval = range over seeds (every seed must satisfy the claim)' };
}

export { Rng };
