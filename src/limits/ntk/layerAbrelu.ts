/**
 * Fused ABReLU layer of the kernel recursion (the hot loop of kernels.ts): for every entry,
 * one arccos and one square root (√Λ_ii precomputed per row), then
 *
 *   E[φφ] = ab ρ s + (b − a)² s (√(1 − ρ²) + (π − θ) ρ)/(2π),   E[φ'φ'] = ab + (b − a)² (π − θ)/(2π),
 *   Σ ← wv E[φφ] + bv,   Θ ← wt E[φφ] + bt + Θ · wv E[φ'φ'],
 *
 * with s = √Λ11 √Λ22, ρ = Λ12/s clipped and snapped (dualTypes.ts), θ = arccos ρ (dualAbrelu.ts, Cho & Saul 2009). Same
 * formulas and degenerate-variance conventions as {@link abreluDual}; results agree with the
 * generic loop to rounding (s is formed as a product of square roots instead of √(Λ11Λ22)).
 */
import type { KernelLayer } from './kernelOptions.js';
import { RHO_SNAP } from './dualTypes.js';

const INV_2PI = 1 / (2 * Math.PI);
const PI = Math.PI;
/** Snap band of clippedCorrelation (dualTypes.ts). */
const HI = 1 - RHO_SNAP;
const LO = RHO_SNAP - 1;

function sqrtDiag(sig: Float64Array): Float64Array {
  const q = new Float64Array(sig.length);
  for (let i = 0; i < sig.length; i++) q[i] = sig[i] > 0 ? Math.sqrt(sig[i]) : 0;
  return q;
}

/** Upper triangle (j ≥ i) of the n×n Σ (S) and Θ (T), in place; `sig` (diag of Σ) updated. */
export function abreluLayerSymmetric(
  a: number, b: number, lay: KernelLayer,
  S: Float64Array, T: Float64Array, n: number, sig: Float64Array,
): void {
  const wv = lay.weightVar, bv = lay.biasVar, wt = lay.weightTangent, bt = lay.biasTangent;
  const ab = a * b, c2 = (b - a) * (b - a), degenerateOne = a * ((a + b) / 2), sq = (a * a + b * b) / 2;
  const q = sqrtDiag(sig);
  for (let i = 0; i < n; i++) {
    const qi = q[i];
    const o = i * n;
    // diagonal: ρ = 1 exactly
    const li = sig[i];
    const d0 = li > 0 ? sq * li : 0;
    const d1 = li > 0 ? sq : a * a;
    S[o + i] = wv * d0 + bv;
    T[o + i] = wt * d0 + bt + T[o + i] * wv * d1;
    sig[i] = S[o + i];
    for (let j = i + 1; j < n; j++) {
      const s = qi * q[j];
      let e0: number, e1: number;
      if (s > 0) {
        let rho = S[o + j] / s;
        rho = rho > HI ? 1 : rho < LO ? -1 : rho;
        const pt = PI - Math.acos(rho);
        e0 = ab * rho * s + c2 * (s * (Math.sqrt(1 - rho * rho) + pt * rho) * INV_2PI);
        e1 = ab + c2 * (pt * INV_2PI);
      } else {
        e0 = 0;
        e1 = qi > 0 || q[j] > 0 ? degenerateOne : a * a;
      }
      S[o + j] = wv * e0 + bv;
      T[o + j] = wt * e0 + bt + T[o + j] * wv * e1;
    }
  }
}

/** The full n × m block of Σ (S) and Θ (T) between two input sets, in place; both diagonals updated. */
export function abreluLayerCross(
  a: number, b: number, lay: KernelLayer,
  S: Float64Array, T: Float64Array, n: number, m: number, sig1: Float64Array, sig2: Float64Array,
): void {
  const wv = lay.weightVar, bv = lay.biasVar, wt = lay.weightTangent, bt = lay.biasTangent;
  const ab = a * b, c2 = (b - a) * (b - a), degenerateOne = a * ((a + b) / 2), sq = (a * a + b * b) / 2;
  const q1 = sqrtDiag(sig1);
  const q2 = sqrtDiag(sig2);
  for (let i = 0; i < n; i++) {
    const qi = q1[i];
    const o = i * m;
    for (let j = 0; j < m; j++) {
      const s = qi * q2[j];
      let e0: number, e1: number;
      if (s > 0) {
        let rho = S[o + j] / s;
        rho = rho > HI ? 1 : rho < LO ? -1 : rho;
        const pt = PI - Math.acos(rho);
        e0 = ab * rho * s + c2 * (s * (Math.sqrt(1 - rho * rho) + pt * rho) * INV_2PI);
        e1 = ab + c2 * (pt * INV_2PI);
      } else {
        e0 = 0;
        e1 = qi > 0 || q2[j] > 0 ? degenerateOne : a * a;
      }
      S[o + j] = wv * e0 + bv;
      T[o + j] = wt * e0 + bt + T[o + j] * wv * e1;
    }
  }
  for (const sig of [sig1, sig2]) {
    for (let i = 0; i < sig.length; i++) sig[i] = wv * (sig[i] > 0 ? sq * sig[i] : 0) + bv;
  }
}
