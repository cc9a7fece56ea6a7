/**
 * Exact dual activation of a polynomial φ(u) = Σ_i c_i u^i (theory/ntk.md#polynomials).
 *
 * Isserlis/Wick: for (u, v) ~ N(0, Λ), E[u^i v^j] sums over the pairings of i copies of u and j
 * copies of v; a pairing with k cross pairs (u–v) contributes Λ12^k Λ11^{(i−k)/2} Λ22^{(j−k)/2},
 * and there are C(i,k) C(j,k) k! (i−k−1)!! (j−k−1)!! of them (i − k, j − k even). Summing over
 * i, j, the factors separate:
 *
 *   E[φ(u)φ(v)] = Σ_k k! A_k(Λ11) A_k(Λ22) Λ12^k,
 *   A_k(λ) = Σ_{i ≥ k, i−k even} c_i C(i,k) (i−k−1)!! λ^{(i−k)/2} = E[φ^{(k)}(u)]/k!, u ~ N(0, λ),
 *
 * which is Mehler's (Hermite) expansion E[φ(u)φ(v)] = Σ_k Λ12^k E[φ^{(k)}(u)] E[φ^{(k)}(v)] / k!,
 * finite for a polynomial. E[φ'φ'] is the same with the coefficients (i+1) c_{i+1}. The identity
 * activation is the polynomial [0, 1]: E = Λ12, E' = 1. Cost O(D²) per entry for degree D.
 */
import type { DualActivation } from './dualTypes.js';

/** (m − 1)!! for m ≥ 0, with (−1)!! = 1. */
function oddDoubleFactorial(m: number): number {
  let r = 1;
  for (let t = m - 1; t > 1; t -= 2) r *= t;
  return r;
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let t = 1; t <= k; t++) r = (r * (n - k + t)) / t;
  return r;
}

/**
 * Table w[k][q] such that A_k(λ) = Σ_q w[k][q] λ^q, with i = k + 2q:
 * w[k][q] = c_{k+2q} C(k+2q, k) (2q − 1)!!, times √(k!) so that E = Σ_k Ã_k(Λ11) Ã_k(Λ22) Λ12^k.
 */
function momentTable(c: readonly number[]): Float64Array[] {
  const D = c.length - 1;
  const w: Float64Array[] = [];
  let kfact = 1;
  for (let k = 0; k <= D; k++) {
    if (k > 0) kfact *= k;
    const sk = Math.sqrt(kfact);
    const row = new Float64Array(Math.floor((D - k) / 2) + 1);
    for (let q = 0; k + 2 * q <= D; q++) {
      const i = k + 2 * q;
      row[q] = sk * c[i] * binomial(i, k) * oddDoubleFactorial(2 * q);
    }
    w.push(row);
  }
  return w;
}

function polyAt(row: Float64Array, x: number): number {
  let s = 0;
  for (let q = row.length - 1; q >= 0; q--) s = s * x + row[q];
  return s;
}

/** Σ_k Ã_k(l11) Ã_k(l22) l12^k. */
function wickPair(w: Float64Array[], l11: number, l12: number, l22: number): number {
  let s = 0;
  let p = 1;
  for (let k = 0; k < w.length; k++) {
    s += polyAt(w[k], l11) * polyAt(w[k], l22) * p;
    p *= l12;
  }
  return s;
}

/** E[u^m] for u ~ N(0, λ): (m − 1)!! λ^{m/2} for even m, 0 for odd m. */
function gaussianMoment(m: number, l: number): number {
  return m % 2 === 1 ? 0 : oddDoubleFactorial(m) * Math.pow(l, m / 2);
}

/** E[φ(u)²] = Σ_{i,j} c_i c_j E[u^{i+j}]. */
function wickDiag(c: readonly number[], l: number): number {
  let s = 0;
  for (let i = 0; i < c.length; i++) {
    if (c[i] === 0) continue;
    for (let j = 0; j < c.length; j++) s += c[i] * c[j] * gaussianMoment(i + j, l);
  }
  return s;
}

/** Derivative coefficients: (i+1) c_{i+1}. */
export function derivativeCoefficients(c: readonly number[]): number[] {
  const d: number[] = [];
  for (let i = 1; i < c.length; i++) d.push(i * c[i]);
  return d.length === 0 ? [0] : d;
}

/** Dual activation of the polynomial with coefficients `coeffs` (coeffs[i] multiplies u^i). */
export function polynomialDual(coeffs: readonly number[], name = 'polynomial'): DualActivation {
  const c = coeffs.length === 0 ? [0] : [...coeffs];
  const dc = derivativeCoefficients(c);
  const w = momentTable(c);
  const wd = momentTable(dc);
  return {
    name,
    method: 'wick',
    warnings: [],
    pair(l11, l12, l22, out) {
      out[0] = wickPair(w, l11, l12, l22);
      out[1] = wickPair(wd, l11, l12, l22);
    },
    diag(l11, out) {
      out[0] = wickDiag(c, l11);
      out[1] = wickDiag(dc, l11);
    },
  };
}
