/**
 * What a finite run measures besides outputs and losses (theory/harness.md#metrics): relative weight motion
 * ‖θ_t − θ_0‖/‖θ_0‖ (total and per layer) and relative kernel motion ‖Θ̂_t − Θ̂_0‖_F/‖Θ̂_0‖_F.
 * In the lazy (NTK) regime both scale as h^{−1/2} (Jacot et al. 2018, arXiv 1806.07572;
 * Lee et al. 2019, arXiv 1902.06720, Theorem 2.1).
 */
import { type Mat, frobenius, frobeniusDistance, toRows } from '../core/matrix.js';
import { type Params, paramDistance } from './params.js';

/**
 * ‖θ − θ0‖/‖θ0‖ over all parameters and per layer; `norm0` is `paramNorm(θ0)`. A layer whose
 * initial norm is 0 gives NaN (written as null in JSON).
 */
export function weightMotion(
  theta: Params,
  theta0: Params,
  norm0: { total: number; perLayer: number[] },
): { total: number; perLayer: number[] } {
  const d = paramDistance(theta, theta0);
  const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN);
  return { total: ratio(d.total, norm0.total), perLayer: d.perLayer.map((v, l) => ratio(v, norm0.perLayer[l])) };
}

/** ‖K − K0‖_F / ‖K0‖_F. */
export function kernelMotion(k: Mat, k0: Mat): number {
  const n0 = frobenius(k0);
  return n0 > 0 ? frobeniusDistance(k, k0) / n0 : NaN;
}

/** Outputs at one time in the result-file form: n numbers (k = 1) or n arrays of k numbers. */
export function outputsToJson(f: Mat): number[] | number[][] {
  return f.cols === 1 ? Array.from(f.data) : toRows(f);
}
