/**
 * Dual activation of φ(u) = erf(u) (theory/ntk.md#erf).
 *
 * Williams 1997, "Computing with infinite networks" (NIPS 9), Eq. (11) with Σ = Λ:
 *   E[erf(u) erf(v)] = (2/π) arcsin( 2Λ12 / √((1 + 2Λ11)(1 + 2Λ22)) ).
 * Derivative kernel: φ'(u) = (2/√π) e^{−u²}, so E[φ'φ'] = (4/π) E[e^{−(u² + v²)}]
 *   = (4/π) / √det(I + 2Λ) = (4/π) / √((1 + 2Λ11)(1 + 2Λ22) − 4Λ12²)     (Gaussian integral).
 * Both are finite for every PSD Λ, including zero variances (det(I + 2Λ) ≥ 1).
 */
import type { DualActivation } from './dualTypes.js';

const TWO_OVER_PI = 2 / Math.PI;
const FOUR_OVER_PI = 4 / Math.PI;

export function erfDual(): DualActivation {
  return {
    name: 'erf',
    method: 'closed-form',
    warnings: [],
    pair(l11, l12, l22, out) {
      const p = (1 + 2 * l11) * (1 + 2 * l22);
      let r = (2 * l12) / Math.sqrt(p);
      r = r > 1 ? 1 : r < -1 ? -1 : r;
      out[0] = TWO_OVER_PI * Math.asin(r);
      // det(I + 2Λ) ≥ 1 for PSD Λ; guard against rounding when Λ12² slightly exceeds Λ11Λ22.
      const det = Math.max(p - 4 * l12 * l12, 1 + 2 * (l11 + l22));
      out[1] = FOUR_OVER_PI / Math.sqrt(det);
    },
    diag(l11, out) {
      out[0] = TWO_OVER_PI * Math.asin((2 * l11) / (1 + 2 * l11));
      out[1] = FOUR_OVER_PI / Math.sqrt(1 + 4 * l11);
    },
  };
}
