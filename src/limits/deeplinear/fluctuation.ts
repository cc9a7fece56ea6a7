/**
 * The leading finite-width fluctuation of plain deep linear μP networks
 * (theory/finite-width-deeplinear.md#delta): f(x, t) = β_t(Z)·x with Z the Gram matrices of the
 * layers' fresh vectors (src/limits/deeplinear/reducedNetwork.ts). At width N, Z = I + N^{−1/2} ζ with
 * ζ symmetric Gaussian, Var ζ_ii = 2, Var ζ_ij = 1 (i < j), all entries and layers independent, so
 *
 *   lim N · Cov β_t = Σ_dirs w_d ∂β_t/∂d ∂β_t/∂dᵀ      (w = 2 diagonal, 1 off-diagonal pair),
 *
 * the derivatives by central differences at Z = I. Also: an exact sampler of the finite-N law
 * (Z Wishart(N, I)/N by the Bartlett decomposition).
 */
import type { Rng } from '../../core/rng.js';
import { fixedGram, freshCounts, type ReducedProblem, reducedTrajectory } from './reducedNetwork.js';

export interface DeepLinearFluctuation {
  steps: number;
  D: number;
  /** β_t at N = ∞ ((T+1)×D): f^∞(x, t) = β_t·x. */
  beta: Float64Array;
  /** lim N · Cov β_t ((T+1)×D×D): C_x(t) = xᵀ cov_t x. */
  cov: Float64Array;
  /** Number of Gram directions (Σ_l K_l (K_l + 1)/2) and the step used. */
  directions: number;
  eps: number;
  /** 'ok', or 'failed' when an evaluation was not finite. */
  status: 'ok' | 'failed';
}

const identities = (K: number[]) => K.map((k) => {
  const z = new Float64Array(k * k);
  for (let i = 0; i < k; i++) z[i * k + i] = 1;
  return z;
});

/** lim N · Cov β_t by central differences of Φ along every Gram entry (eps: the step). */
export function predictDeepLinearFluctuation(p: ReducedProblem, eps = 1e-5): DeepLinearFluctuation {
  const D = p.x.cols;
  const T = p.steps;
  const K = freshCounts(p.depth, D, T);
  const Z = identities(K);
  const src = fixedGram(Z, K);
  const beta = reducedTrajectory(p, src);
  const n = (T + 1) * D;
  const cov = new Float64Array((T + 1) * D * D);
  let directions = 0;
  let finite = beta.every(Number.isFinite);
  for (let l = 0; l < K.length; l++) {
    const k = K[l];
    for (let i = 0; i < k; i++) {
      for (let j = i; j < k; j++) {
        const set = (v: number) => { Z[l][i * k + j] = v; Z[l][j * k + i] = v; };
        const base = i === j ? 1 : 0;
        set(base + eps);
        const up = reducedTrajectory(p, src);
        set(base - eps);
        const down = reducedTrajectory(p, src);
        set(base);
        const w = i === j ? 2 : 1;
        const d = new Float64Array(n);
        for (let q = 0; q < n; q++) d[q] = (up[q] - down[q]) / (2 * eps);
        for (let t = 0; t <= T; t++) {
          for (let a = 0; a < D; a++) {
            for (let b = 0; b < D; b++) cov[(t * D + a) * D + b] += w * d[t * D + a] * d[t * D + b];
          }
        }
        directions++;
        if (!d.every(Number.isFinite)) finite = false;
      }
    }
  }
  return { steps: T, D, beta, cov, directions, eps, status: finite ? 'ok' : 'failed' };
}

/** C_x(t) = xᵀ cov_t x for the rows x of X (m×D), as (T+1)×m. */
export function fluctuationOnInputs(fl: DeepLinearFluctuation, X: { rows: number; cols: number; data: Float64Array }): Float64Array {
  const { D, steps: T } = fl;
  const out = new Float64Array((T + 1) * X.rows);
  for (let t = 0; t <= T; t++) {
    for (let m = 0; m < X.rows; m++) {
      let s = 0;
      for (let a = 0; a < D; a++) {
        for (let b = 0; b < D; b++) s += X.data[m * D + a] * fl.cov[(t * D + a) * D + b] * X.data[m * D + b];
      }
      out[t * X.rows + m] = s;
    }
  }
  return out;
}

/** χ²_n (n ≥ 2) as 2·Gamma(n/2) (Marsaglia–Tsang, shape ≥ 1). */
function chiSquare(n: number, rng: Rng): number {
  const d = n / 2 - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.normal();
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    if (Math.log(rng.uniform()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return 2 * d * v;
  }
}

/** Z = A Aᵀ/N, A lower triangular with A_ii² ~ χ²_{N−i}, A_ij ~ N(0, 1) (i > j): Wishart(N, I_K)/N. */
export function wishartGram(K: number, N: number, rng: Rng): Float64Array {
  if (N < K + 2) throw new RangeError(`wishartGram: N = ${N} must be at least K + 2 = ${K + 2}`);
  const A = new Float64Array(K * K);
  for (let i = 0; i < K; i++) {
    A[i * K + i] = Math.sqrt(chiSquare(N - i, rng));
    for (let j = 0; j < i; j++) A[i * K + j] = rng.normal();
  }
  const Z = new Float64Array(K * K);
  for (let i = 0; i < K; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let q = 0; q <= j; q++) s += A[i * K + q] * A[j * K + q];
      Z[i * K + j] = Z[j * K + i] = s / N;
    }
  }
  return Z;
}

/** β_t of one network of width N drawn from the exact finite-N law ((T+1)×D). */
export function sampleFiniteWidth(p: ReducedProblem, N: number, rng: Rng): Float64Array {
  const K = freshCounts(p.depth, p.x.cols, p.steps);
  return reducedTrajectory(p, fixedGram(K.map((k) => wishartGram(k, N, rng)), K));
}
