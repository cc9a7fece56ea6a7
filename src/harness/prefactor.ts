/**
 * The fitted prefactor of a metric whose width dependence is predicted, exponent and constant
 * (theory/finite-width.md#prefactor-fit): with the exponent fixed at the predicted p, the
 * least-squares constant of `log D = log c + p log h` over the widths is
 *
 *   ĉ = exp( mean_w [ log m̄_w − p log h_w ] ),   m̄_w the mean over seeds at width h_w,
 *
 * i.e. the geometric mean over widths of h^{−p}·m̄_w (h·m̄ for a mean square predicted ∝ 1/h).
 * Its interval is a percentile bootstrap over seed rows (the same rows at every width, as for the
 * exponent). Only fits whose expectation names a predicted prefactor get one, so results without a
 * prediction keep their bits.
 */
import { Rng } from '../core/rng.js';
import { quantile } from '../core/stats.js';

export interface PrefactorFit {
  estimate: number;
  /** Bootstrap interval of ĉ over seed rows at `level`. */
  ci: [number, number];
}

/** ĉ from a [seed][width] table (NaN or ≤ 0 = missing) and the rows drawn (with repetition). */
function constantOf(logH: readonly number[], values: readonly number[][], rows: ArrayLike<number>, p: number): number {
  let acc = 0;
  let used = 0;
  for (let w = 0; w < logH.length; w++) {
    let s = 0, c = 0;
    for (let i = 0; i < rows.length; i++) {
      const v = values[rows[i]][w];
      if (Number.isFinite(v) && v > 0) { s += v; c++; }
    }
    if (c === 0) continue;
    acc += Math.log(s / c) - p * logH[w];
    used++;
  }
  return used === 0 ? NaN : Math.exp(acc / used);
}

/** Fixed-exponent constant of `values` (rows = seeds, columns = `widths`) with its bootstrap interval. */
export function fitPrefactor(widths: readonly number[], values: readonly number[][], exponent: number, o: { rng: Rng; nBoot: number; level: number }): PrefactorFit {
  const logH = widths.map((h) => Math.log(h));
  const ns = values.length;
  const all = Int32Array.from({ length: ns }, (_, i) => i);
  const estimate = constantOf(logH, values, all, exponent);
  if (ns < 2 || o.nBoot === 0) return { estimate, ci: [NaN, NaN] };
  const reps: number[] = [];
  const draw = new Int32Array(ns);
  for (let b = 0; b < o.nBoot; b++) {
    for (let i = 0; i < ns; i++) draw[i] = o.rng.int(ns);
    const c = constantOf(logH, values, draw, exponent);
    if (Number.isFinite(c)) reps.push(c);
  }
  const sorted = Float64Array.from(reps).sort();
  const a = 1 - o.level;
  return { estimate, ci: [quantile(sorted, a / 2), quantile(sorted, 1 - a / 2)] };
}

export { Rng };
