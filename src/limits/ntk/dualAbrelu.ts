/**
 * Dual activation of ABReLU φ(u) = a·min(u, 0) + b·max(u, 0) = a u + (b − a) relu(u)
 * (theory/ntk.md#abrelu). ReLU is ABReLU(0, 1), leaky ReLU ABReLU(s, 1), |u| ABReLU(−1, 1).
 *
 * ReLU (Cho & Saul 2009, "Kernel methods for deep learning", arc-cosine kernels of degree 1 and 0,
 * halved because E over N(0, Λ) of relu·relu is half of their k_1):
 *   E[relu(u) relu(v)] = √(Λ11Λ22) (sin θ + (π − θ) cos θ) / (2π),
 *   E[1{u>0} 1{v>0}]   = (π − θ) / (2π),                         θ = arccos ρ.
 * ABReLU (theory/ntk.md#dual-activations, expanding φ = a u + (b − a) relu(u) and using E[u relu(v)] = Λ12/2):
 *   E[φ(u)φ(v)]   = ab Λ12 + (b − a)² E[relu relu],
 *   E[φ'(u)φ'(v)] = ab + (b − a)² (π − θ)/(2π).
 * With a = 0, b = 1 both reduce to the ReLU formulas exactly in floating point (ab = 0,
 * (b − a)² = 1), which the tests assert bit for bit.
 *
 * Zero variance (u ≡ 0): E[φφ] = 0 since φ(0) = 0, and φ'(0) is taken as `a`, the finite
 * network's convention (φ'(u) = b for u > 0, a otherwise), so E[φ'(0)φ'(v)] = a (a + b)/2.
 */
import { INV_2PI, piMinusTheta, sinTheta } from '../../core/arccos.js';
import { type DualActivation, clippedCorrelation } from './dualTypes.js';

/** E[relu(u) relu(v)] and E[relu'(u) relu'(v)] (Cho–Saul), into out[0], out[1]. */
export function reluPair(l11: number, l12: number, l22: number, out: Float64Array): void {
  const s = Math.sqrt(l11 * l22);
  if (!(s > 0)) {
    out[0] = 0;
    // relu'(0) = 0: the product vanishes whenever one of u, v is identically 0.
    out[1] = 0;
    return;
  }
  const rho = clippedCorrelation(l12, s);
  const pt = piMinusTheta(rho);
  out[0] = s * (sinTheta(rho) + pt * rho) * INV_2PI;
  out[1] = pt * INV_2PI;
}

/** Dual activation of ABReLU(a, b). */
export function abreluDual(a: number, b: number, name = `abrelu:${a},${b}`): DualActivation {
  const ab = a * b;
  const c2 = (b - a) * (b - a);
  const mean = (a + b) / 2; // E[φ'(v)] for v ~ N(0, λ > 0)
  const sq = (a * a + b * b) / 2;
  const tmp = new Float64Array(2);
  return {
    name,
    method: 'closed-form',
    warnings: [],
    abrelu: { a, b },
    pair(l11, l12, l22, out) {
      const s = Math.sqrt(l11 * l22);
      if (!(s > 0)) {
        out[0] = 0;
        out[1] = l11 > 0 || l22 > 0 ? a * mean : a * a;
        return;
      }
      reluPair(l11, l12, l22, tmp);
      const rho = clippedCorrelation(l12, s);
      out[0] = ab * rho * s + c2 * tmp[0];
      out[1] = ab + c2 * tmp[1];
    },
    diag(l11, out) {
      if (!(l11 > 0)) {
        out[0] = 0;
        out[1] = a * a;
        return;
      }
      out[0] = sq * l11;
      out[1] = sq;
    },
  };
}
