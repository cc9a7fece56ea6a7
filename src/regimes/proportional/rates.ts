/**
 * Statistics of the finite-size corrections with a clean expected rate in D
 * (theory/proportional.md#finite-size-rates). Per seed s and step t write
 * L_s(t) = L∞(t) + b(t)/D + ξ_s(t)/√D with E ξ = 0, Var ξ = V(t). Then
 * - the per-network sup-over-time deviation has E sup_t |L_s − L∞| = D^−1/2 E sup_t|ξ| (1 + O(D^−1/2)):
 *   a mean over seeds of a per-network quantity, so resampling seeds does not bias it;
 * - the time-averaged seed variance has expectation V̄/D (1 + O(1/D));
 * - the bias-corrected squared deviation of the seed mean, mean_t [(m_t − L∞)² − v_t/S], has
 *   expectation mean_t b(t)²/D² exactly (the seed variance v_t is unbiased), and is NOT clipped at 0.
 */
import { agreement, type LossTable, logSlope, seedMoments } from './convergence.js';

/** mean_s sup_t |L_s(t) − L∞(t)|. */
export function meanSupDeviation(curves: Float64Array[], theory: Float64Array): number {
  let acc = 0;
  for (const c of curves) {
    let sup = 0;
    for (let t = 0; t < theory.length; t++) sup = Math.max(sup, Math.abs(c[t] - theory[t]));
    acc += sup / curves.length;
  }
  return acc;
}

/** mean_t v_t: the time-averaged seed variance (unbiased for mean_t Var L_s(t)). */
export function meanSeedVariance(curves: Float64Array[]): number {
  const { v } = seedMoments(curves);
  return v.reduce((a, x) => a + x, 0) / v.length;
}

/** mean_t [(m_t − L∞_t)² − v_t/S]: unbiased for mean_t bias_t², may be negative (agreement's biasSquared). */
export function biasSquared(curves: Float64Array[], theory: Float64Array): number {
  return agreement(curves, theory).biasSquared;
}

/** Log-log slope over the D of a table of a positive per-D statistic (NaN if one is ≤ 0). */
export function rateOf(pick: (curves: Float64Array[]) => number): (t: LossTable) => number {
  return (t: LossTable) => {
    const dims = [...t.keys()].sort((a, b) => a - b);
    const ys = dims.map((D) => pick(t.get(D)!));
    return ys.every((y) => y > 0) ? logSlope(dims, ys) : NaN;
  };
}

/**
 * sign(B²)·√|B²| with B² = biasSquared: the RMS-over-time bias of the seed mean in loss units,
 * signed so that pure seed noise gives values of both signs (theory/proportional.md#sgd-agreement).
 * Unlike max_t |z_t|, its interval shrinks as the seeds grow.
 */
export function signedRmsBias(curves: Float64Array[], theory: Float64Array): number {
  const b2 = biasSquared(curves, theory);
  return Math.sign(b2) * Math.sqrt(Math.abs(b2));
}
