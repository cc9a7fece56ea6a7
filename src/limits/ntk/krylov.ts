/**
 * The Krylov (Lanczos) path of the frozen-kernel MSE dynamics, for large n
 * (theory/ntk.md#krylov; Saad 1992, "Analysis of some Krylov subspace approximations to the
 * matrix exponential operator", SIAM J. Numer. Anal. 29; Hochbruck & Lubich 1997).
 *
 * One Lanczos basis Q_m of K_m(Θ, r_0), r_0 = f_0 − y (per output column), serves every time:
 *
 *   ρ_τ(Θ) r_0 ≈ β_0 Q_m ρ_τ(T_m) e_1,     g_τ(Θ) r_0 ≈ β_0 Q_m g_τ(T_m) e_1,
 *
 * with T_m = S diag(μ) Sᵀ (tridiagonalEigen), ρ_τ, g_τ of schedule.ts. Train outputs are
 * y + Q_m c_τ, test outputs f_0* − (Θ* Q_m) d_τ, so Θ* is applied to m vectors once.
 * Accuracy (a posteriori): the dimension grows m → m + max(8, m/4) until the coefficient vectors
 * change by less than `tol` (default 1e-10) at every requested time — relative to β_0 = ‖r_0‖ for
 * the train residual (Q orthonormal: this is the change of the train outputs) and to the largest
 * ‖d_τ‖ for the test coefficients (a change bounded by ‖Θ*‖ times it in the test outputs). The
 * approximation is exact when the Krylov space becomes invariant. For gradient descent ρ_τ is a
 * polynomial of degree τ/η, so m ≤ steps + 1 is exact; for flow, m = O(√(λ_max τ/n)) suffices.
 */
import { gemm } from '../../core/gemm.js';
import { type Mat, mat } from '../../core/matrix.js';
import { tridiagonalEigen } from '../../core/eigh.js';
import type { Status } from '../../core/errors.js';
import type { FrozenProblem } from './frozenTypes.js';
import { type LanczosState, lanczosExtend, lanczosStart } from './lanczos.js';
import { type Schedule, integratedFactor, residualFactor } from './schedule.js';
import { nullThresholdFor } from './spectral.js';

export interface KrylovOptions {
  /** Relative change of the coefficients that stops the growth of the basis (default 1e-10). */
  tol?: number;
  /** Largest basis (default min(n, 1000)). */
  maxDim?: number;
  /** First basis size tried (default 8). */
  startDim?: number;
}

export interface KrylovResult {
  fTrain: Mat[];
  fTest: Mat[];
  status: Status;
  message: string;
  /** Largest basis used over the output columns. */
  dim: number;
  /** Largest a-posteriori relative change at the final dimension (0 when the space was invariant). */
  change: number;
  /** Largest Ritz value seen (a lower bound on λ_max, accurate for the top of the spectrum). */
  ritzMax: number;
}

interface Coefficients {
  ctr: Float64Array;
  cte: Float64Array;
  m: number;
  ritzMax: number;
  ok: boolean;
}

/** Coefficients (m × T) of ρ_τ(T_m)e_1 and g_τ(T_m)e_1 times β_0. */
function coefficients(st: LanczosState, schedule: Schedule, times: readonly number[], n: number): Coefficients {
  const m = st.basis.length;
  const tri = tridiagonalEigen(Float64Array.from(st.alpha), Float64Array.from(st.beta.slice(0, m - 1)), true);
  const S = (tri.vectors as Mat).data;
  const mu = tri.values;
  const ritzMax = m > 0 ? mu[m - 1] : 0;
  const thr = nullThresholdFor(ritzMax, n);
  const T = times.length;
  const ctr = new Float64Array(m * T);
  const cte = new Float64Array(m * T);
  for (let j = 0; j < m; j++) {
    const s0 = st.beta0 * S[j]; // β_0 · S[0, j]
    for (let t = 0; t < T; t++) {
      const a = residualFactor(schedule, mu[j], times[t], n, thr) * s0;
      const b = integratedFactor(schedule, mu[j], times[t], n, thr) * s0;
      for (let i = 0; i < m; i++) {
        const sij = S[i * m + j];
        ctr[i * T + t] += sij * a;
        cte[i * T + t] += sij * b;
      }
    }
  }
  return { ctr, cte, m, ritzMax, ok: tri.status === 'ok' };
}

/** max over t of ‖x[:, t] − y[:, t]‖ (y zero-padded below its m0 rows) / scale. */
function columnChange(x: Float64Array, m: number, y: Float64Array, m0: number, T: number, scale: number): number {
  let worst = 0;
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let i = 0; i < m; i++) {
      const d = x[i * T + t] - (i < m0 ? y[i * T + t] : 0);
      s += d * d;
    }
    worst = Math.max(worst, Math.sqrt(s));
  }
  return scale > 0 ? worst / scale : 0;
}

function maxColumnNorm(x: Float64Array, m: number, T: number): number {
  let worst = 0;
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += x[i * T + t] ** 2;
    worst = Math.max(worst, Math.sqrt(s));
  }
  return worst;
}

/** Outputs at finite times `times` by Lanczos on each output column of f_0 − y. */
export function evaluateKrylov(p: FrozenProblem, schedule: Schedule, times: readonly number[], opts: KrylovOptions = {}): KrylovResult {
  const n = p.kernel.rows, k = p.y.cols, nt = p.kernelTest.rows, T = times.length;
  const tol = opts.tol ?? 1e-10;
  const maxDim = Math.min(n, opts.maxDim ?? 1000);
  const fTrain = times.map(() => mat(n, k));
  const fTest = times.map(() => mat(nt, k));
  const out: KrylovResult = { fTrain, fTest, status: 'ok', message: '', dim: 0, change: 0, ritzMax: 0 };
  for (let a = 0; a < k; a++) {
    const r = new Float64Array(n);
    for (let i = 0; i < n; i++) r[i] = p.f0.data[i * k + a] - p.y.data[i * k + a];
    const st = lanczosStart(r);
    let target = Math.min(maxDim, opts.startDim ?? 8);
    let prev: Coefficients | null = null;
    let cur: Coefficients = { ctr: new Float64Array(0), cte: new Float64Array(0), m: 0, ritzMax: 0, ok: true };
    let change = 0;
    for (;;) {
      lanczosExtend(p.kernel, st, target);
      if (st.basis.length === 0) break; // r_0 = 0: nothing moves
      cur = coefficients(st, schedule, times, n);
      if (!cur.ok) {
        out.status = 'failed';
        out.message = `Krylov: tridiagonal eigenproblem of dimension ${cur.m} did not converge`;
        break;
      }
      if (st.exhausted) { change = 0; break; }
      if (prev) {
        const scaleTe = maxColumnNorm(cur.cte, cur.m, T);
        change = Math.max(
          columnChange(cur.ctr, cur.m, prev.ctr, prev.m, T, st.beta0),
          columnChange(cur.cte, cur.m, prev.cte, prev.m, T, scaleTe),
        );
        if (change < tol) break;
      }
      if (st.basis.length >= maxDim) {
        out.status = 'not-converged';
        out.message = `Krylov: basis of the maximum dimension ${maxDim} still changes the result by ${change.toExponential(2)} (relative) > ${tol}`;
        break;
      }
      prev = cur;
      target = Math.min(maxDim, st.basis.length + Math.max(8, Math.ceil(st.basis.length / 4)));
    }
    out.dim = Math.max(out.dim, st.basis.length);
    out.change = Math.max(out.change, change);
    out.ritzMax = Math.max(out.ritzMax, cur.ritzMax);
    assemble(p, st, cur, T, a, fTrain, fTest);
  }
  return out;
}

/** f_τ = y + Q c_τ (train), f*_τ = f_0* − (Θ* Qᵀ) d_τ (test), output column a. */
function assemble(p: FrozenProblem, st: LanczosState, c: Coefficients, T: number, a: number, fTrain: Mat[], fTest: Mat[]): void {
  const n = p.kernel.rows, k = p.y.cols, nt = p.kernelTest.rows, m = c.m;
  let res: Mat | null = null;
  let dt: Mat | null = null;
  if (m > 0) {
    const Q = mat(m, n);
    st.basis.slice(0, m).forEach((q, i) => Q.data.set(q, i * n));
    res = gemm(true, false, 1, Q, mat(m, T, c.ctr)); // n × T
    if (nt > 0) dt = gemm(false, false, 1, gemm(false, true, 1, p.kernelTest, Q), mat(m, T, c.cte)); // nTest × T
  }
  for (let t = 0; t < T; t++) {
    const f = fTrain[t].data;
    for (let i = 0; i < n; i++) f[i * k + a] = p.y.data[i * k + a] + (res ? res.data[i * T + t] : p.f0.data[i * k + a] - p.y.data[i * k + a]);
    const g = fTest[t].data;
    for (let i = 0; i < nt; i++) g[i * k + a] = p.f0Test.data[i * k + a] - (dt ? dt.data[i * T + t] : 0);
  }
}
