/**
 * The loss curve a frozen kernel predicts (theory/ntk.md#dynamics; Jacot et al. 2018, arXiv 1806.07572,
 * Thm 2; Li–Luo–Zhou 2024, arXiv 2404.04859: in the θ-lazy area the loss decays exponentially at
 * a rate set by the kernel), and its comparison with a measured curve
 * (theory/theta.md#loss-rate).
 *
 * With MSE Loss = (1/2n)|f − y|², α = 1 and gradient flow, the training outputs of a network
 * whose tangent kernel stays Θ follow f_t − y = e^{−Θt/n}(f_0 − y), so with Θ = Σ_k λ_k u_k u_kᵀ
 * and c_k = u_k·(f_0 − y):  L(t) = (1/2n) Σ_k c_k² e^{−2λ_k t/n}.
 */
import { eigh } from '../../core/eigh.js';
import type { Mat } from '../../core/matrix.js';

/** The spectral data of the prediction: eigenvalues λ_k of Θ and squared projections c_k². */
export interface FrozenSpectrum {
  n: number;
  lambda: Float64Array;
  c2: Float64Array;
}

/** Spectrum of the n×n kernel `theta` and the projections of the initial residual `r0` = f_0 − y. */
export function frozenSpectrum(theta: Mat, r0: ArrayLike<number>): FrozenSpectrum {
  const n = theta.rows;
  if (theta.cols !== n || r0.length !== n) throw new RangeError(`frozenSpectrum: kernel ${theta.rows}×${theta.cols}, residual ${r0.length}`);
  const { values, vectors } = eigh(theta);
  const c2 = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let c = 0;
    for (let i = 0; i < n; i++) c += vectors.data[i * n + k] * r0[i];
    c2[k] = c * c;
  }
  return { n, lambda: values, c2 };
}

/** L(t) = (1/2n) Σ_k c_k² e^{−2λ_k t/n} (negative rounding eigenvalues taken as 0). */
export function frozenLoss(sp: FrozenSpectrum, t: number): number {
  let s = 0;
  for (let k = 0; k < sp.n; k++) s += sp.c2[k] * Math.exp((-2 * Math.max(sp.lambda[k], 0) * t) / sp.n);
  return s / (2 * sp.n);
}

/**
 * The time at which the predicted loss falls to `ratio` × its initial value (bisection on the
 * decreasing L(t); NaN when it never does, e.g. a residual in the kernel's null space).
 */
export function frozenTimeTo(sp: FrozenSpectrum, ratio: number): number {
  const L0 = frozenLoss(sp, 0);
  const target = ratio * L0;
  let hi = sp.n / Math.max(sp.lambda[sp.n - 1], 1e-300);
  for (let i = 0; i < 200 && frozenLoss(sp, hi) > target; i++) hi *= 2;
  if (frozenLoss(sp, hi) > target) return NaN;
  let lo = 0;
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (frozenLoss(sp, mid) > target) lo = mid; else hi = mid;
    if (hi - lo <= 1e-12 * hi) break;
  }
  return 0.5 * (lo + hi);
}
