/**
 * Mean and covariance over random initializations of the infinite-width network trained with MSE
 * (Lee et al. 2019, arXiv 1902.06720, Eq. (13)–(16); theory/ntk.md#ensemble; theory/ntk.md#ensemble).
 * With f_0 ~ GP(0, s·Σ) (Σ the NNGP blocks, s = α² for an uncentred output f = αF, s = 0 when
 * centred), E_τ = ρ_τ(Θ) and M_τ = Θ* g_τ(Θ) = Θ* Θ^{−1}(I − E_τ) (schedule.ts):
 *
 *   f_τ(X)  = y + E_τ (f_0(X) − y)            ⇒ mean (I − E_τ) y,   cov s · E_τ Σ E_τ,
 *   f_τ(x*) = f_0(x*) − M_τ (f_0(X) − y)      ⇒ mean M_τ y,
 *   cov s · (Σ** − M_τ Σ*ᵀ − Σ* M_τᵀ + M_τ Σ M_τᵀ)                       (Lee et al. Eq. (16)).
 *
 * Each of the k outputs has this mean (its own target column) and the same covariance; outputs
 * are independent. Evaluated on the eigendecomposition of Θ (cost ≈ 9n³ once + per time
 * O(n²(n + nTest) + nTest² n)).
 */
import { gemm } from '../../core/gemm.js';
import { type Mat, mat } from '../../core/matrix.js';
import { type Schedule, integratedFactor, residualFactor } from './schedule.js';
import type { Spectrum } from './spectral.js';

export interface NngpBlocks {
  /** Σ(X, X), n × n. */
  train: Mat;
  /** Σ(X*, X), nTest × n. */
  testTrain: Mat;
  /** Σ(X*, X*), nTest × nTest. */
  test: Mat;
}

export interface EnsembleAtTime {
  tau: number;
  /** E[f_τ(X)], n × k. */
  meanTrain: Mat;
  /** E[f_τ(x*)], nTest × k. */
  meanTest: Mat;
  /** Cov[f_τ(X)] of each output, n × n. */
  covTrain: Mat;
  /** Cov[f_τ(x*)] of each output, nTest × nTest. */
  covTest: Mat;
}

/**
 * Ensemble statistics at each τ in `times` (Infinity allowed). `sp` must be the spectrum of Θ with
 * `testVectors` = Θ* V; `nngpScale` = α² (uncentred) or 0 (centred).
 */
export function ensemblePrediction(sp: Spectrum, y: Mat, nngp: NngpBlocks, schedule: Schedule, times: readonly number[], nngpScale = 1): EnsembleAtTime[] {
  const n = y.rows, k = y.cols;
  const V = sp.vectors;
  const W = sp.testVectors ?? mat(0, n);
  const nt = W.rows;
  return times.map((tau) => {
    // E = V diag(ρ) Vᵀ, M = W diag(g) Vᵀ
    const Vr = scaleColumns(V, (j) => residualFactor(schedule, sp.values[j], tau, n, sp.nullThreshold));
    const Wg = scaleColumns(W, (j) => integratedFactor(schedule, sp.values[j], tau, n, sp.nullThreshold));
    const E = gemm(false, true, 1, Vr, V);
    const M = gemm(false, true, 1, Wg, V);
    // means: (I − E) y and M y
    const meanTrain = mat(n, k, y.data.slice());
    gemm(false, false, -1, E, y, 1, meanTrain);
    const meanTest = gemm(false, false, 1, M, y);
    // covariances
    const ES = gemm(false, false, 1, E, nngp.train);
    const covTrain = gemm(false, true, nngpScale, ES, E);
    const covTest = mat(nt, nt, nngp.test.data.slice());
    const MS = gemm(false, false, 1, M, nngp.train); // M Σ
    const cross = gemm(false, true, 1, M, nngp.testTrain); // M Σ*ᵀ
    gemm(false, true, 1, MS, M, 1, covTest); // + M Σ Mᵀ
    for (let i = 0; i < nt; i++) {
      for (let j = 0; j < nt; j++) covTest.data[i * nt + j] -= cross.data[i * nt + j] + cross.data[j * nt + i];
    }
    for (let i = 0; i < covTest.data.length; i++) covTest.data[i] *= nngpScale;
    return { tau, meanTrain, meanTest, covTrain, covTest };
  });
}

/** A copy of `a` with column j multiplied by s(j). */
function scaleColumns(a: Mat, s: (j: number) => number): Mat {
  const out = mat(a.rows, a.cols, a.data.slice());
  const f = new Float64Array(a.cols);
  for (let j = 0; j < a.cols; j++) f[j] = s(j);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out.data[i * a.cols + j] *= f[j];
  return out;
}
