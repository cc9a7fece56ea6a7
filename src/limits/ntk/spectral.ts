/**
 * The eigendecomposition path of the frozen-kernel MSE dynamics (theory/ntk.md#paths):
 * Θ = V diag(λ) Vᵀ once (src/core/eigh.ts), W = Θ* V once, and then for every time
 *
 *   f_τ(X)  = y + V diag(ρ_τ(λ)) Vᵀ (f_0 − y),
 *   f_τ(x*) = f_0(x*) − W diag(g_τ(λ)) Vᵀ (f_0 − y)
 *
 * (schedule.ts for ρ_τ, g_τ; Lee et al. 2019, arXiv 1902.06720, Eq. (9)–(11)). Exact up to the
 * rounding of eigh (‖ΘV − VΛ‖ = O(nε‖Θ‖)); cost ≈ 9n³ once, then 2n²(k + T) + 2·nTest·n·T.
 */
import { gemm } from '../../core/gemm.js';
import { type Mat, mat } from '../../core/matrix.js';
import { eigh } from '../../core/eigh.js';
import type { Status } from '../../core/errors.js';
import type { FrozenProblem } from './frozenTypes.js';
import { type Schedule, integratedFactor, residualFactor } from './schedule.js';

export interface Spectrum {
  /** Eigenvalues of Θ, ascending (as computed: tiny negative values possible). */
  values: Float64Array;
  /** Column j is the eigenvector of values[j], n × n. */
  vectors: Mat;
  /** Θ* V, nTest × n (null when no test kernel was given). */
  testVectors: Mat | null;
  /** Eigenvalues ≤ this are treated as zero at τ = ∞ (pseudo-inverse). */
  nullThreshold: number;
  lambdaMax: number;
  status: Status;
  message: string;
}

/** Relative size below which an eigenvalue counts as zero: max(1e-12, 10 n ε) · λ_max. */
export function nullThresholdFor(lambdaMax: number, n: number): number {
  return Math.max(1e-12, 10 * n * 2.220446049250313e-16) * Math.max(lambdaMax, 0);
}

export function spectrum(kernel: Mat, kernelTest: Mat | null): Spectrum {
  const e = eigh(kernel);
  const n = kernel.rows;
  const lambdaMax = n > 0 ? e.values[n - 1] : 0;
  return {
    values: e.values,
    vectors: e.vectors,
    testVectors: kernelTest && kernelTest.rows > 0 ? gemm(false, false, 1, kernelTest, e.vectors) : null,
    nullThreshold: nullThresholdFor(lambdaMax, n),
    lambdaMax,
    status: e.status,
    message: e.message,
  };
}

/** Number of eigenvalues at or below the null threshold. */
export function nullCount(sp: Spectrum): number {
  let c = 0;
  for (const v of sp.values) if (v <= sp.nullThreshold) c++;
  return c;
}

/** Outputs at every time in `times` (τ ≥ 0, Infinity allowed) by the eigendecomposition. */
export function evaluateSpectral(sp: Spectrum, p: FrozenProblem, schedule: Schedule, times: readonly number[]): { fTrain: Mat[]; fTest: Mat[] } {
  const n = p.kernel.rows, k = p.y.cols, nt = p.kernelTest.rows, T = times.length;
  const r0 = mat(n, k);
  for (let i = 0; i < r0.data.length; i++) r0.data[i] = p.f0.data[i] - p.y.data[i];
  const c = gemm(true, false, 1, sp.vectors, r0); // Vᵀ r0, n × k
  // factor tables, n × T
  const rho = new Float64Array(n * T);
  const g = new Float64Array(n * T);
  for (let j = 0; j < n; j++) {
    for (let t = 0; t < T; t++) {
      rho[j * T + t] = residualFactor(schedule, sp.values[j], times[t], n, sp.nullThreshold);
      g[j * T + t] = integratedFactor(schedule, sp.values[j], times[t], n, sp.nullThreshold);
    }
  }
  const fTrain = times.map(() => mat(n, k));
  const fTest = times.map(() => mat(nt, k));
  const R = mat(n, T);
  const G = mat(n, T);
  for (let a = 0; a < k; a++) {
    for (let j = 0; j < n; j++) {
      const cj = c.data[j * k + a];
      for (let t = 0; t < T; t++) {
        R.data[j * T + t] = rho[j * T + t] * cj;
        G.data[j * T + t] = g[j * T + t] * cj;
      }
    }
    const res = gemm(false, false, 1, sp.vectors, R); // n × T
    for (let t = 0; t < T; t++) {
      const f = fTrain[t].data;
      for (let i = 0; i < n; i++) f[i * k + a] = p.y.data[i * k + a] + res.data[i * T + t];
    }
    if (sp.testVectors && nt > 0) {
      const dt = gemm(false, false, 1, sp.testVectors, G); // nTest × T
      for (let t = 0; t < T; t++) {
        const f = fTest[t].data;
        for (let i = 0; i < nt; i++) f[i * k + a] = p.f0Test.data[i * k + a] - dt.data[i * T + t];
      }
    }
  }
  return { fTrain, fTest };
}
