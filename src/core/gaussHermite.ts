/**
 * Gauss–Hermite quadrature for the standard normal measure, and Gaussian expectations over a
 * bivariate normal by tensor-product quadrature (theory/numerics.md#gauss-hermite).
 *
 * Nodes: eigenvalues of the Jacobi matrix of the probabilists' Hermite polynomials (zero diagonal,
 * off-diagonal √k, k = 1..n−1; Golub & Welsch 1969), each polished by Newton steps on the
 * orthonormal three-term recurrence √(k+1) p_{k+1} = x p_k − √k p_{k−1}. Weights: the Christoffel
 * formula w_i = 1/(n p_{n−1}(x_i)²), which keeps full relative accuracy even for the tiny weights
 * of the outermost nodes (the Golub–Welsch eigenvector formula only has absolute accuracy ε).
 * The rule is exact for polynomials of degree ≤ 2n − 1.
 */
import { tridiagonalEigen } from './eigh.js';

/** Nodes x_i (ascending) and weights w_i (Σw = 1) with Σ w_i g(x_i) ≈ E g(Z), Z ~ N(0, 1). */
export interface GaussRule {
  nodes: Float64Array;
  weights: Float64Array;
}

const cache = new Map<number, GaussRule>();

/** The n-point Gauss rule for N(0, 1) (cached per n; the returned arrays must not be modified). */
export function gaussHermiteNormal(n: number): GaussRule {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`gaussHermiteNormal: n must be a positive integer, got ${n}`);
  let rule = cache.get(n);
  if (rule === undefined) {
    rule = computeRule(n);
    cache.set(n, rule);
  }
  return rule;
}

function computeRule(n: number): GaussRule {
  const diag = new Float64Array(n);
  const off = new Float64Array(n - 1);
  for (let k = 1; k < n; k++) off[k - 1] = Math.sqrt(k);
  const nodes = tridiagonalEigen(diag, off, false).values;
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x = nodes[i];
    for (let it = 0; it < 3; it++) {
      const r = recurrence(x, n);
      // p_n' = √n p_{n−1} (He_n' = n He_{n−1}), so the Newton step is p_n / (√n p_{n−1}).
      const dx = r.pn / (Math.sqrt(n) * r.pn1);
      x -= dx;
      if (Math.abs(dx) <= 1e-16 * Math.max(1, Math.abs(x))) break;
    }
    nodes[i] = x;
    const r = recurrence(x, n);
    // w = 1/(n p_{n−1}²), with p_{n−1} = pn1 · 2^{scale}.
    weights[i] = Math.exp(-Math.log(n) - 2 * (Math.log(Math.abs(r.pn1)) + r.log2Scale * Math.LN2));
  }
  // Exact symmetry x_i = −x_{n−1−i}, w_i = w_{n−1−i}.
  for (let i = 0; i < n >> 1; i++) {
    const j = n - 1 - i;
    const x = 0.5 * (nodes[j] - nodes[i]);
    const w = 0.5 * (weights[i] + weights[j]);
    nodes[i] = -x; nodes[j] = x;
    weights[i] = w; weights[j] = w;
  }
  if (n % 2 === 1) nodes[n >> 1] = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += weights[i];
  for (let i = 0; i < n; i++) weights[i] /= sum;
  return { nodes, weights };
}

/**
 * Orthonormal Hermite values (p_n(x), p_{n−1}(x)), both divided by 2^{log2Scale}: the recurrence
 * is rescaled whenever |p_k| exceeds 2^300, so large n (huge |p_k| at the outer nodes) cannot overflow.
 */
function recurrence(x: number, n: number): { pn: number; pn1: number; log2Scale: number } {
  let pPrev = 0; // p_{-1}
  let p = 1; // p_0
  let log2Scale = 0;
  for (let k = 0; k < n; k++) {
    const next = (x * p - Math.sqrt(k) * pPrev) / Math.sqrt(k + 1);
    pPrev = p;
    p = next;
    if (Math.abs(p) > 2 ** 300) {
      p *= 2 ** -300;
      pPrev *= 2 ** -300;
      log2Scale += 300;
    }
  }
  return { pn: p, pn1: pPrev, log2Scale };
}

/**
 * E g(u, v) for (u, v) ~ N(0, Λ), Λ = [[l11, l12], [l12, l22]], by the n×n tensor-product Gauss
 * rule after the Cholesky factorization u = √l11 z₁, v = (l12/√l11) z₁ + √(l22 − l12²/l11) z₂.
 * Degenerate Λ is handled without NaN: zero variances, and a Schur complement l22 − l12²/l11 that
 * is ≤ 0 (perfect correlation, up to rounding) are treated as exactly singular, and the integral
 * collapses to one dimension (n evaluations instead of n²). Negative variances (from rounding)
 * are clamped to 0. Exact when g is a polynomial of degree ≤ 2n − 1 in each variable; kinks (ReLU)
 * converge only algebraically in n.
 */
export function normalExpectation2(
  g: (u: number, v: number) => number,
  l11: number,
  l12: number,
  l22: number,
  n = 64,
): number {
  const { nodes, weights } = gaussHermiteNormal(n);
  const a = Math.max(0, l11);
  const c = Math.max(0, l22);
  if (a === 0) {
    // u ≡ 0 (l12 must vanish for Λ ⪰ 0); v = √l22 z.
    const sv = Math.sqrt(c);
    let s = 0;
    for (let i = 0; i < n; i++) s += weights[i] * g(0, sv * nodes[i]);
    return s;
  }
  const su = Math.sqrt(a);
  const b = l12 / su; // coefficient of z₁ in v
  const schur = c - b * b;
  if (!(schur > 1e-15 * c)) {
    // Rank one: v = (l12/√l11) z₁ exactly (|ρ| = 1 up to rounding).
    let s = 0;
    for (let i = 0; i < n; i++) s += weights[i] * g(su * nodes[i], b * nodes[i]);
    return s;
  }
  const sv = Math.sqrt(schur);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const z1 = nodes[i];
    const u = su * z1;
    const v0 = b * z1;
    let s = 0;
    for (let j = 0; j < n; j++) s += weights[j] * g(u, v0 + sv * nodes[j]);
    total += weights[i] * s;
  }
  return total;
}
