/**
 * Dual activation of a smooth φ by its Hermite (Mehler) expansion, with 2-D Gauss–Hermite
 * quadrature as the fallback (theory/ntk.md#hermite).
 *
 * With h_k = He_k/√k! the orthonormal probabilists' Hermite polynomials and, for a variance λ,
 * a_k(λ) = E[φ(√λ Z) h_k(Z)] (Z ~ N(0, 1)), Mehler's formula gives for (u, v) ~ N(0, Λ):
 *
 *   E[φ(u)φ(v)] = Σ_k a_k(Λ11) a_k(Λ22) ρ^k,        ρ = Λ12/√(Λ11Λ22),
 *
 * and the same with b_k(λ) = E[φ'(√λ Z) h_k(Z)] for E[φ'φ']. The coefficients of a variance are
 * computed once (1-D Gauss–Hermite with {@link HERMITE_NODES} nodes, k ≤ {@link HERMITE_TERMS})
 * and cached, so a kernel entry costs O(K) multiply-adds instead of the n² evaluations of φ and φ'
 * of the tensor rule. The truncation error is bounded by Σ_{k>K} |a_k(Λ11) a_k(Λ22)| (|ρ| ≤ 1);
 * a variance whose last coefficients are not below 1e-7 of the largest (φ not smooth enough at
 * that scale: e.g. tanh beyond variance ≈ 3, erf beyond ≈ 4) is marked unconverged, and entries
 * involving it use the tensor rule.
 */
import type { Activation } from '../../finite/activation.js';
import { gaussHermiteNormal } from '../../core/gaussHermite.js';
import { type DualActivation, clippedCorrelation } from './dualTypes.js';
import { quadratureDual } from './dualQuadrature.js';

/**
 * Terms of the expansion kept (k = 0..HERMITE_TERMS − 1). The coefficients of a function analytic
 * in the strip |Im z| < σ decay like e^{−σ√(2k)}: tanh(√λ z) (σ = π/(2√λ)) needs ≈ 365 terms at
 * λ = 2 for 1e-13; erf'(√λ z) decays like (2λ/(1 + 2λ))^{k/2}, ≈ 390 terms at λ = 3. Measured:
 * tanh coefficients at k ≈ 480 are 3e-15 (λ = 1), 3e-10 (λ = 2), 1e-8 (λ = 3) of the largest.
 */
export const HERMITE_TERMS = 480;
/** Nodes of the 1-D rule that computes the coefficients (exact to degree 2N − 1 > K + degree of φ). */
export const HERMITE_NODES = 640;
/**
 * Convergence: the last 16 coefficients are below TAIL_TOL times the largest. The truncation error
 * of a product series is then about Σ_{k>K}|a_k a'_k| ≲ TAIL_TOL² × (number of slowly decaying
 * terms, ≲ 1e3) ≈ 1e-11 relative.
 */
const TAIL_TOL = 1e-7;
/** Terms below this times the largest coefficient (in both series) are dropped from the sums. */
const TERM_TOL = 1e-17;
/** Cached variances before the cache is cleared (memory bound: ~2·K doubles each). */
const CACHE_MAX = 20000;

export interface Coefficients {
  a: Float64Array;
  b: Float64Array;
  /** Terms actually needed (trailing coefficients below the tail tolerance dropped). */
  terms: number;
  converged: boolean;
}

export function hermiteDual(act: Activation, fallbackNodes: number): DualActivation & { coefficientsOf(lambda: number): Coefficients } {
  const rule = gaussHermiteNormal(HERMITE_NODES);
  const z = rule.nodes, w = rule.weights;
  const N = z.length, K = HERMITE_TERMS;
  const hw = hermiteTable(z, w, K);
  const fallback = quadratureDual(act, fallbackNodes, false);
  const cache = new Map<number, Coefficients>();
  const warnings: string[] = [];
  let worstFallback = 0;
  /** Record (once per order of magnitude) that a variance needed the tensor-rule fallback. */
  const noteFallback = (lambda: number) => {
    if (lambda <= worstFallback * 10) return;
    worstFallback = lambda;
    const msg =
      `the Hermite expansion of ${JSON.stringify(act.name)} does not converge at pre-activation variance ${lambda.toPrecision(3)} ` +
      `(φ too steep at that scale): such kernel entries use the ${fallbackNodes}-node tensor Gauss–Hermite rule, whose error can reach 1e-3 for steep activations`;
    if (warnings.length === 0) warnings.push(msg);
    else warnings[0] = msg;
  };
  const fv = new Float64Array(N), dv = new Float64Array(N);

  const coefficients = (lambda: number): Coefficients => {
    let c = cache.get(lambda);
    if (c) return c;
    c = expand(act, lambda, z, hw, K, fv, dv);
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(lambda, c);
    return c;
  };

  return {
    coefficientsOf: coefficients,
    name: act.name,
    method: 'hermite',
    warnings,
    pair(l11, l12, l22, out) {
      if (!(l11 > 0) || !(l22 > 0)) return fallback.pair(l11, l12, l22, out);
      const c1 = coefficients(l11), c2 = coefficients(l22);
      if (!c1.converged || !c2.converged) {
        noteFallback(c1.converged ? l22 : l11);
        return fallback.pair(l11, l12, l22, out);
      }
      const rho = clippedCorrelation(l12, Math.sqrt(l11 * l22));
      const m = Math.max(c1.terms, c2.terms);
      let s0 = 0, s1 = 0;
      for (let k = m - 1; k >= 0; k--) {
        s0 = s0 * rho + c1.a[k] * c2.a[k];
        s1 = s1 * rho + c1.b[k] * c2.b[k];
      }
      out[0] = s0;
      out[1] = s1;
    },
    diag(l11, out) {
      // unconverged variance: the fallback's diagonal, consistent with its pairs (duplicates)
      if (l11 > 0 && !coefficients(l11).converged) {
        noteFallback(l11);
        return fallback.diag(l11, out);
      }
      diagonal(act, l11, z, w, out);
    },
  };
}

/**
 * hw[k, i] = h_k(z_i) w_i (k < K). The recursion runs on ψ_k = h_k(z_i)√w_i, which is bounded by 1
 * (Christoffel: 1/w_i = Σ_{k<N} h_k(z_i)²), so neither h_k at the outer nodes (~z^k/√k!)
 * overflows nor the product with the tiny weights underflows prematurely.
 */
function hermiteTable(z: ArrayLike<number>, w: ArrayLike<number>, K: number): Float64Array {
  const N = z.length;
  const hw = new Float64Array(K * N);
  const sq = new Float64Array(K + 1);
  for (let k = 0; k <= K; k++) sq[k] = Math.sqrt(k);
  for (let i = 0; i < N; i++) {
    const sw = Math.sqrt(w[i]);
    let pPrev = 0, p = sw;
    for (let k = 0; k < K; k++) {
      hw[k * N + i] = p * sw;
      const next = (z[i] * p - sq[k] * pPrev) / sq[k + 1];
      pPrev = p;
      p = next;
    }
  }
  return hw;
}

/** The first K Hermite coefficients of φ(√λ Z) and φ'(√λ Z) (fv, dv: scratch of length N). */
function expand(act: Activation, lambda: number, z: ArrayLike<number>, hw: Float64Array, K: number, fv: Float64Array, dv: Float64Array): Coefficients {
  const N = z.length;
  const s = lambda > 0 ? Math.sqrt(lambda) : 0;
  for (let i = 0; i < N; i++) {
    fv[i] = act.f(s * z[i]);
    dv[i] = act.df(s * z[i]);
  }
  const a = new Float64Array(K), b = new Float64Array(K);
  let ok = true;
  for (let k = 0; k < K; k++) {
    let sa = 0, sb = 0;
    for (let i = 0; i < N; i++) { sa += hw[k * N + i] * fv[i]; sb += hw[k * N + i] * dv[i]; }
    a[k] = sa;
    b[k] = sb;
    if (!Number.isFinite(sa) || !Number.isFinite(sb)) ok = false;
  }
  const c: Coefficients = { a, b, terms: K, converged: ok && converged(a) && converged(b) };
  if (c.converged) c.terms = Math.max(lastSignificant(a), lastSignificant(b)) + 1;
  return c;
}

/** (E φ(u)², E φ'(u)²), u ~ N(0, l11), by the same N-point rule as the coefficients (Σ_k a_k² equals it: discrete Parseval, K < N). */
function diagonal(act: Activation, l11: number, z: ArrayLike<number>, w: ArrayLike<number>, out: Float64Array): void {
  const sc = l11 > 0 ? Math.sqrt(l11) : 0;
  let s0 = 0, s1 = 0;
  for (let i = 0; i < z.length; i++) {
    const f = act.f(sc * z[i]), d = act.df(sc * z[i]);
    s0 += w[i] * f * f;
    s1 += w[i] * d * d;
  }
  out[0] = s0;
  out[1] = s1;
}

/** The last 16 coefficients are all below TAIL_TOL times the largest. */
function converged(a: Float64Array): boolean {
  let big = 0;
  for (const v of a) big = Math.max(big, Math.abs(v));
  for (let k = a.length - 16; k < a.length; k++) if (Math.abs(a[k]) > TAIL_TOL * big) return false;
  return true;
}

/** Index of the last coefficient above TERM_TOL·max (−1 for all zero). */
function lastSignificant(a: Float64Array): number {
  let big = 0;
  for (const v of a) big = Math.max(big, Math.abs(v));
  for (let k = a.length - 1; k >= 0; k--) if (Math.abs(a[k]) > TERM_TOL * big) return k;
  return -1;
}
