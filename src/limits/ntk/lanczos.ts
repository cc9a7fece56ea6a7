/**
 * Lanczos tridiagonalization with full reorthogonalization (theory/ntk.md#krylov; Golub & Van
 * Loan, "Matrix Computations", 4th ed., §10.1 and Alg. 10.3.1 with complete reorthogonalization):
 * for symmetric A (n × n) and a start vector r, orthonormal q_0 = r/‖r‖, q_1, … span the Krylov
 * space K_m(A, r) and Q_mᵀ A Q_m = T_m is tridiagonal with diagonal `alpha`, off-diagonal `beta`.
 *
 * Every new vector is orthogonalized against all previous ones twice (classical Gram–Schmidt,
 * "twice is enough", Giraud et al. 2005), so Q stays orthonormal to O(ε) and the Ritz values do
 * not duplicate. A breakdown (β_j ≤ 1e-13 · ‖T‖) means K_m is A-invariant: every function of A
 * applied to r is then exact in this basis.
 */
import type { Mat } from '../../core/matrix.js';
import { tridiagonalEigen } from '../../core/eigh.js';

export interface LanczosState {
  readonly n: number;
  /** Orthonormal basis vectors q_0 … q_{m−1} (length n each). */
  readonly basis: Float64Array[];
  /** Diagonal of T_m (length m). */
  readonly alpha: number[];
  /** Off-diagonal of T_m (length m − 1 once extended; `next` holds β_{m−1}). */
  readonly beta: number[];
  /** ‖r‖ of the start vector. */
  readonly beta0: number;
  /** True when the Krylov space became invariant (or reached dimension n). */
  exhausted: boolean;
  /** Unnormalized next vector and its norm β_{m−1} (kept between extensions). */
  nextVector: Float64Array | null;
  nextNorm: number;
  /** Running max of |α|, β: the scale for the breakdown test. */
  scale: number;
}

/** Start a Lanczos process on r (not modified). A zero r gives an exhausted, empty state. */
export function lanczosStart(r: Float64Array): LanczosState {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i] * r[i];
  const beta0 = Math.sqrt(s);
  const st: LanczosState = {
    n: r.length, basis: [], alpha: [], beta: [], beta0, exhausted: !(beta0 > 0),
    nextVector: null, nextNorm: 0, scale: 0,
  };
  if (beta0 > 0) {
    const q = new Float64Array(r.length);
    for (let i = 0; i < r.length; i++) q[i] = r[i] / beta0;
    st.nextVector = q;
    st.nextNorm = 1;
  }
  return st;
}

/** Extend the basis to `m` vectors (or until exhaustion). `a` is symmetric n × n. */
export function lanczosExtend(a: Mat, st: LanczosState, m: number): void {
  const n = st.n;
  const ad = a.data;
  while (!st.exhausted && st.basis.length < m) {
    const v = st.nextVector as Float64Array;
    const j = st.basis.length;
    if (j > 0) st.beta.push(st.nextNorm);
    const q = new Float64Array(n);
    const inv = 1 / st.nextNorm;
    for (let i = 0; i < n; i++) q[i] = v[i] * inv;
    st.basis.push(q);
    // w = A q
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      const o = i * n;
      for (let p = 0; p < n; p++) s += ad[o + p] * q[p];
      w[i] = s;
    }
    let al = 0;
    for (let i = 0; i < n; i++) al += q[i] * w[i];
    st.alpha.push(al);
    // three-term recurrence, then full reorthogonalization (two passes)
    const bPrev = j > 0 ? st.beta[j - 1] : 0;
    const qPrev = j > 0 ? st.basis[j - 1] : null;
    for (let i = 0; i < n; i++) w[i] -= al * q[i] + (qPrev ? bPrev * qPrev[i] : 0);
    for (let pass = 0; pass < 2; pass++) {
      for (const b of st.basis) {
        let h = 0;
        for (let i = 0; i < n; i++) h += b[i] * w[i];
        for (let i = 0; i < n; i++) w[i] -= h * b[i];
      }
    }
    let nw = 0;
    for (let i = 0; i < n; i++) nw += w[i] * w[i];
    nw = Math.sqrt(nw);
    st.scale = Math.max(st.scale, Math.abs(al), nw, bPrev);
    st.nextVector = w;
    st.nextNorm = nw;
    if (!(nw > 1e-13 * st.scale) || st.basis.length >= n) st.exhausted = true;
  }
}

/**
 * Bounds on λ_max of symmetric PSD A from `steps` Lanczos steps started at a fixed vector
 * (1 + ½ sin(i + 1)): the largest Ritz value μ is a lower bound, and μ + |β_m s_m| (the Ritz
 * residual of the top pair, Parlett, "The Symmetric Eigenvalue Problem", Thm 11.4.1) an upper
 * bound up to the gap condition — exact when the Krylov space becomes invariant. The top of a
 * kernel spectrum is well separated, so 30 steps usually pin λ_max to rounding.
 */
export function lambdaMaxBounds(a: Mat, steps = 30): { lower: number; upper: number } {
  const n = a.rows;
  if (n === 0) return { lower: 0, upper: 0 };
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = 1 + 0.5 * Math.sin(i + 1);
  const st = lanczosStart(r);
  lanczosExtend(a, st, Math.min(n, steps));
  const m = st.basis.length;
  const tri = tridiagonalEigen(Float64Array.from(st.alpha), Float64Array.from(st.beta.slice(0, m - 1)), true);
  const mu = tri.values[m - 1];
  const last = (tri.vectors as Mat).data[(m - 1) * m + (m - 1)];
  const resid = st.exhausted ? 0 : Math.abs(st.nextNorm * last);
  return { lower: mu, upper: mu + resid };
}
