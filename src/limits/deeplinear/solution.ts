/**
 * What a deep-linear limit solver returns (theory/deeplinear.md#output), and the observables
 * read from it: train outputs, losses, the layer kernels, the tangent kernel K(t) and the
 * predictions at new inputs.
 *
 * Time-major layout: P training points and T time points (steps 0..T−1); the index of
 * (t, μ) is t·P + μ. H^l is (PT)×(PT), G^l is T×T.
 */
import type { Outcome } from '../../core/errors.js';
import { type Mat, mat } from '../../core/matrix.js';

export interface DeepLinearSolution extends Outcome {
  /** Training points P. */
  readonly P: number;
  /** Time points computed (steps + 1, fewer when the run stopped early). */
  readonly T: number;
  /** f[t·P + μ]: output on training point μ after t steps. */
  readonly f: Float64Array;
  /**
   * a[t·P + ν]: the learned function after t steps is f(x) = Σ_ν K^x(x, x_ν) a_ν(t) for every
   * input x (theory/deeplinear.md#predictions, Stein's lemma on the first layer).
   */
  readonly a: Float64Array;
  /** (1/(2P)) Σ_μ (f_μ(t) − y_μ)², length T. */
  readonly trainLoss: Float64Array;
  /**
   * Kernels of the hidden representations, first to last (plain: h^1..h^L; residual:
   * h^1..h^{L+1}); each (P·Tcap)×(P·Tcap) with Tcap = steps + 1, filled for t < T.
   */
  readonly H: Mat[];
  /** Gradient kernels G of the same representations (T_cap × T_cap), g^last = readout weights. */
  readonly G: Mat[];
  /** γ0 = 0 only: the frozen tangent kernel κ K^x (H and G are then empty: the kernels do not move). */
  readonly frozenKernel?: Mat;
  /** Branch multiplier b of the blocks h^{l+1} = a h^l + b W h/√N (plain 1, residual β0/√L). */
  readonly blockScale: number;
  /** Capacity Tcap = steps + 1 of the stored kernels. */
  readonly Tcap: number;
  /**
   * Fixed-point residual: max relative change of (f, H, G) under one more application of the
   * full self-consistency map (plain solver), or of the prediction identity f = K^x a (both).
   */
  readonly residual: number;
  readonly stats: Record<string, number | string>;
}

/**
 * The tangent kernel at step t, K(t) = G^1(t,t) K^x + b² Σ_blocks G^{l+1}(t,t) H^l(t,t) +
 * H^last(t,t) (theory/deeplinear.md#single-site; rate-weighted NTK of the meanfield parameterization), P×P.
 */
export function tangentKernelAt(sol: DeepLinearSolution, kx: Mat, t: number): Mat {
  const { P, H, G, Tcap } = sol;
  if (!(t >= 0 && t < sol.T)) throw new RangeError(`tangentKernelAt: t = ${t} outside [0, ${sol.T})`);
  if (sol.frozenKernel) return mat(P, P, sol.frozenKernel.data.slice());
  const n = P * Tcap;
  const out = mat(P, P);
  const R = H.length;
  const diagH = (l: number, mu: number, nu: number) => H[l].data[(t * P + mu) * n + t * P + nu];
  const diagG = (l: number) => G[l].data[t * Tcap + t];
  const b2 = sol.blockScale * sol.blockScale;
  for (let mu = 0; mu < P; mu++) {
    for (let nu = 0; nu < P; nu++) {
      let k = diagG(0) * kx.data[mu * P + nu] + diagH(R - 1, mu, nu);
      for (let l = 0; l + 1 < R; l++) k += b2 * diagG(l + 1) * diagH(l, mu, nu);
      out.data[mu * P + nu] = k;
    }
  }
  return out;
}

/** Predictions at new inputs: out[t·m + i] = Σ_ν kStar[i, ν] a_ν(t) for kStar = K^x(X*, X) (m×P). */
export function predict(sol: DeepLinearSolution, kStar: Mat): Float64Array {
  const { P, T, a } = sol;
  if (kStar.cols !== P) throw new RangeError(`predict: kStar has ${kStar.cols} columns, expected ${P}`);
  const m = kStar.rows;
  const out = new Float64Array(T * m);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let nu = 0; nu < P; nu++) s += kStar.data[i * P + nu] * a[t * P + nu];
      out[t * m + i] = s;
    }
  }
  return out;
}

/** Mean-squared loss (1/(2m)) Σ_i (f_i(t) − y_i)² at each time, for outputs laid out t·m + i. */
export function mseCurve(f: Float64Array, y: ArrayLike<number>, T: number): Float64Array {
  const m = y.length;
  const out = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let i = 0; i < m; i++) {
      const d = f[t * m + i] - y[i];
      s += d * d;
    }
    out[t] = m > 0 ? s / (2 * m) : NaN;
  }
  return out;
}

/** max_t,μ |f − K^x a| / max(1, max|f|): how well the solution satisfies the prediction identity. */
export function predictionIdentityResidual(f: Float64Array, a: Float64Array, kx: Mat, T: number): number {
  const P = kx.rows;
  let worst = 0;
  let scale = 1;
  for (let t = 0; t < T; t++) {
    for (let mu = 0; mu < P; mu++) {
      let s = 0;
      for (let nu = 0; nu < P; nu++) s += kx.data[mu * P + nu] * a[t * P + nu];
      const v = f[t * P + mu];
      worst = Math.max(worst, Math.abs(v - s));
      scale = Math.max(scale, Math.abs(v));
    }
  }
  return worst / scale;
}
