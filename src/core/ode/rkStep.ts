/**
 * One step of an explicit Runge–Kutta method given by its tableau (tableau.ts), on a flat
 * Float64Array state, with no allocation per step (the work vectors of {@link RkWork} are
 * allocated once). theory/numerics.md#ode-interface.
 *
 * One summation rule for every combination: Y = y + h·(w₁k₁ + w₂k₂ + …) summed left to right over
 * the non-zero weights; a combination with a single weight w is formed as y + (h·w)·k. The error
 * estimate is h·(e₁k₁ + …) with the same rule for its sum.
 */
import type { ButcherTableau } from './tableau.js';

/** dy ← f(t, y). The returned value (e.g. the trainer's loss at y) is passed through by the step. */
export type OdeRhs<R = unknown> = (t: number, y: Float64Array, dy: Float64Array) => R;

/** A linear combination of stage vectors: weights and indices into the stage list (k_end last). */
interface Combination { readonly w: readonly number[]; readonly idx: readonly number[] }

/**
 * Work vectors for one tableau and state size n. Before a step `k[0]` must hold f(t, y). After
 * {@link rkStep}: `y1` the solution at t + h, `kEnd` = f(t + h, y1), and (embedded pairs) `err`.
 */
export interface RkWork {
  readonly tableau: ButcherTableau;
  readonly n: number;
  /** Stage derivatives k₁…k_S. */
  k: Float64Array[];
  kEnd: Float64Array;
  readonly yt: Float64Array;
  readonly y1: Float64Array;
  readonly err: Float64Array;
  readonly rows: readonly Combination[];
  readonly sol: Combination;
  readonly est: Combination | null;
}

function combination(weights: readonly number[]): Combination {
  const w: number[] = [], idx: number[] = [];
  weights.forEach((x, j) => { if (x !== 0) { w.push(x); idx.push(j); } });
  return { w, idx };
}

export function createRkWork(tableau: ButcherTableau, n: number): RkWork {
  const S = tableau.b.length;
  const b = () => new Float64Array(n);
  return {
    tableau, n, k: Array.from({ length: S }, b), kEnd: b(), yt: b(), y1: b(), err: tableau.e ? b() : new Float64Array(0),
    rows: tableau.a.map(combination), sol: combination(tableau.b), est: tableau.e ? combination(tableau.e) : null,
  };
}

/** dst ← y + h·Σ w_j k_{idx_j} (y null: dst ← h·Σ …), by the rule of the file comment. */
function combine(dst: Float64Array, y: Float64Array | null, h: number, c: Combination, ks: Float64Array[]): void {
  const n = dst.length;
  const w = c.w, K = c.idx.map((j) => ks[j]);
  const m = w.length;
  if (y && m === 1) {
    const hw = h * w[0], k0 = K[0];
    for (let i = 0; i < n; i++) dst[i] = y[i] + hw * k0[i];
    return;
  }
  if (m === 0) {
    if (y) dst.set(y); else dst.fill(0);
    return;
  }
  for (let i = 0; i < n; i++) {
    let acc = w[0] * K[0][i];
    for (let j = 1; j < m; j++) acc += w[j] * K[j][i];
    dst[i] = y ? y[i] + h * acc : h * acc;
  }
}

/**
 * One step of size h from (t, y) (y not modified), with w.k[0] = f(t, y) on entry. Fills the
 * stages, w.y1, w.kEnd and w.err; returns f's value at (t + h, y1). S evaluations of f (S the
 * number of stages). A NaN anywhere propagates into y1 and err (never thrown).
 */
export function rkStep<R>(f: OdeRhs<R>, t: number, y: Float64Array, h: number, w: RkWork): R {
  const { tableau, k, yt, y1 } = w;
  for (let s = 1; s < k.length; s++) {
    combine(yt, y, h, w.rows[s], k);
    f(t + tableau.c[s] * h, yt, k[s]);
  }
  combine(y1, y, h, w.sol, k);
  const value = f(t + h, y1, w.kEnd);
  if (w.est) combine(w.err, null, h, w.est, [...k, w.kEnd]);
  return value;
}

/** After an accepted step (y ← y1 done by the caller): k₁ ← k_end by swapping buffers. */
export function rkAdvance(w: RkWork): void {
  const x = w.k[0];
  w.k[0] = w.kEnd;
  w.kEnd = x;
}
