/**
 * The distances of a finite-vs-limit comparison (theory/harness.md#metrics; theory/harness.md#metrics).
 * Pure functions on plain arrays; NaN in gives NaN out (a failed run is never "close").
 *
 * - function distance `D_f = sup_t ‖f_t^(h) − f_t^∞‖/√n` (Lee et al. 2019, arXiv 1902.06720,
 *   Theorem 2.1: O(h^{−1/2}) in the NTK parameterization);
 * - loss-curve distance `sup_t |L_t^(h) − L_t^∞|`;
 * - relative kernel distance `‖A − B‖_F/‖B‖_F` (Jacot et al. 2018, arXiv 1806.07572, Thm 1–2);
 * - seed variance of the centred learned function (Geiger et al. 2020, arXiv 1906.08034, §3.2:
 *   Var ∝ 1/h), split into per-seed terms whose mean is the unbiased variance;
 * - ensemble error `‖mean_s f_T − μ_T‖/√n` (Lee et al. 2019, Eq. 13–16).
 */
import type { Outputs } from '../spec/result.js';

/** Outputs at one time (n numbers, or n arrays of k numbers) as one flat Float64Array (n·k). */
export function flattenOutputs(o: Outputs): Float64Array {
  if (o.length === 0) return new Float64Array(0);
  if (typeof o[0] === 'number') return Float64Array.from(o as number[]);
  const rows = o as number[][];
  const k = rows[0].length;
  const out = new Float64Array(rows.length * k);
  for (let i = 0; i < rows.length; i++) for (let j = 0; j < k; j++) out[i * k + j] = readNum(rows[i][j]);
  return out;
}

function readNum(v: unknown): number {
  return typeof v === 'number' ? v : NaN;
}

/** ‖a − b‖₂/√n for flat outputs of n points (n·k entries). */
export function scaledDistance(a: ArrayLike<number>, b: ArrayLike<number>, n: number): number {
  if (a.length !== b.length) throw new RangeError(`scaledDistance: lengths ${a.length} and ${b.length} differ`);
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
  return Math.sqrt(s / n);
}

/** Supremum of a curve; NaN if any entry is NaN (or the curve is empty). */
export function supOf(curve: ArrayLike<number>): number {
  if (curve.length === 0) return NaN;
  let m = -Infinity;
  for (let i = 0; i < curve.length; i++) {
    const v = curve[i];
    if (Number.isNaN(v)) return NaN;
    if (v > m) m = v;
  }
  return m;
}

/** Last entry of an optional curve, NaN when absent or empty. */
export function lastOf(curve: ArrayLike<number> | undefined): number {
  return curve && curve.length > 0 ? readNum(curve[curve.length - 1]) : NaN;
}

/** |a_t − b_t| at each t. */
export function absDifference(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  if (a.length !== b.length) throw new RangeError(`absDifference: lengths ${a.length} and ${b.length} differ`);
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) out.push(Math.abs(readNum(a[i]) - readNum(b[i])));
  return out;
}

/**
 * Relative Frobenius distance ‖A − B‖_F/‖B‖_F of two equal-size flat matrices (row-major).
 * NaN when the sizes differ or ‖B‖ = 0.
 */
export function relativeFrobenius(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length === 0) return NaN;
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    num += d * d;
    den += b[i] * b[i];
  }
  return den > 0 ? Math.sqrt(num / den) : NaN;
}

/** Flatten a matrix given as rows (number[][]) or as {rows, cols, data}. */
export function flattenMatrix(m: number[][] | { data: Float64Array }): Float64Array {
  if ('data' in m) return m.data;
  return flattenOutputs(m);
}

/**
 * Seed variance split into per-seed terms (theory/harness.md#seed-variance): for S ≥ 2 vectors
 * g_s of length N, `term_s = S/(S−1) · (1/N) Σ_i (g_s,i − ḡ_i)²`. The mean of the terms over s is
 * the unbiased variance over seeds averaged over the N entries, which is what a fit of
 * "mean over seeds" against width needs. Fewer than 2 seeds: all NaN.
 */
export function seedVarianceTerms(g: ArrayLike<number>[]): number[] {
  const S = g.length;
  if (S < 2) return g.map(() => NaN);
  const N = g[0].length;
  const mean = new Float64Array(N);
  for (const v of g) for (let i = 0; i < N; i++) mean[i] += v[i] / S;
  return g.map((v) => {
    let s = 0;
    for (let i = 0; i < N; i++) {
      const d = v[i] - mean[i];
      s += d * d;
    }
    return (S / (S - 1)) * (s / N);
  });
}

/** ‖mean_s g_s − μ‖/√n: the distance of the seed average to the limit's ensemble mean. */
export function ensembleError(g: ArrayLike<number>[], mu: ArrayLike<number>, n: number): number {
  if (g.length === 0) return NaN;
  const N = mu.length;
  const mean = new Float64Array(N);
  for (const v of g) for (let i = 0; i < N; i++) mean[i] += v[i] / g.length;
  return scaledDistance(mean, mu, n);
}

/**
 * Values of a curve `(tRef, vRef)` at times `t`, by linear interpolation (constant beyond the
 * ends). Exact copies where the times coincide, which is the usual case: the limits record at the
 * trainer's record steps.
 */
export function resample(tRef: ArrayLike<number>, vRef: ArrayLike<number>, t: ArrayLike<number>): number[] {
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < t.length; i++) {
    const x = t[i];
    while (j + 1 < tRef.length && tRef[j + 1] <= x) j++;
    if (tRef[j] === x || j + 1 >= tRef.length || x <= tRef[0]) out.push(readNum(vRef[x <= tRef[0] ? 0 : j]));
    else {
      const w = (x - tRef[j]) / (tRef[j + 1] - tRef[j]);
      out.push((1 - w) * readNum(vRef[j]) + w * readNum(vRef[j + 1]));
    }
  }
  return out;
}

/** Flat output vectors of curve `(tRef, fRef)` at times `t` (see {@link resample}). */
export function resampleOutputs(tRef: ArrayLike<number>, fRef: ArrayLike<number>[], t: ArrayLike<number>): Float64Array[] {
  if (fRef.length === 0) return [];
  const N = fRef[0].length;
  const cols: number[][] = [];
  for (let c = 0; c < N; c++) cols.push(resample(tRef, fRef.map((f) => f[c]), t));
  return Array.from(t, (_x, i) => Float64Array.from(cols, (col) => col[i]));
}

/** True when two time grids agree to rounding (then no interpolation is needed). */
export function sameTimes(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - b[i]) > 1e-12 * Math.max(1, Math.abs(a[i]))) return false;
  return true;
}
