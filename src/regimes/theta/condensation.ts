/**
 * Condensation of the input layer's neurons, measured directly (theory/theta.md#condensation): the
 * effective number of distinct directions of the rows w_k of the first weight matrix,
 *
 *   N_eff = 1 / tr(M²),   M = (1/m) Σ_k ŵ_k ŵ_kᵀ,   ŵ_k = w_k/|w_k|,
 *
 * i.e. 1 / mean_{k,k'} cos²(w_k, w_k'), the participation ratio of M's eigenvalues (tr M = 1). It is
 * blind to the sign of ŵ (w and −w count as one direction, as a ReLU pair on one line). Bounds:
 * 1 ≤ N_eff ≤ d; d for isotropic directions as m → ∞ (E tr M² = 1/d + (1 − 1/d)/m), 1 when every row
 * lies on one line, c for rows spread evenly over c orthogonal lines. Rows of norm 0 are skipped.
 */
import type { Mat } from '../../core/matrix.js';

/** N_eff of the rows of `w` (m × d), NaN when every row is zero. */
export function effectiveDirections(w: Mat): number {
  const { rows: m, cols: d, data } = w;
  const M = new Float64Array(d * d);
  let used = 0;
  for (let k = 0; k < m; k++) {
    let s = 0;
    for (let i = 0; i < d; i++) s += data[k * d + i] * data[k * d + i];
    if (!(s > 0)) continue;
    used++;
    for (let i = 0; i < d; i++) {
      const wi = data[k * d + i] / s;
      for (let j = 0; j < d; j++) M[i * d + j] += wi * data[k * d + j];
    }
  }
  if (used === 0) return NaN;
  let tr2 = 0;
  for (let i = 0; i < d * d; i++) tr2 += M[i] * M[i];
  return (used * used) / tr2;
}
