/**
 * Householder reduction of a symmetric matrix to tridiagonal form, Qᵀ A Q = T
 * (theory/numerics.md#eigh); Q is applied to a matrix by applyReflectors.ts. Golub & Van Loan,
 * "Matrix Computations", 4th ed., Alg. 8.3.1; blocked as LAPACK dsytrd/dlatrd.
 */
import { gemm } from './gemm.js';
import { householder } from './householderReflector.js';
import { mat } from './matrix.js';

/** Columns per panel of the blocked reduction, and rows per block of its rank-2·PANEL update. */
const PANEL = 32;
const ROWS = 64;

/**
 * Householder tridiagonalization of the symmetric matrix whose upper triangle is in `w` (n×n,
 * overwritten). Outputs: d (diagonal), e (e[k] couples k, k+1; e[n−1] = 0), taus[k], and the
 * reflector v_k (v_k[k+1] = 1) in row k of `w`, columns k+1..n−1: H_k = I − τ_k v_k v_kᵀ and
 * T = H_{n−2}⋯H_0 A H_0⋯H_{n−2}.
 *
 * Step k computes p = τ A_k v_k, w_k = p − (τ/2)(pᵀv_k) v_k and A_{k+1} = A_k − v_k w_kᵀ − w_k v_kᵀ
 * on the trailing block. For large n the steps are grouped in panels of PANEL columns (LAPACK
 * dsytrd/dlatrd): within a panel the trailing matrix is only read (one symmetric matrix–vector
 * product per step, corrected for the panel's pending updates), and the panel's rank-2·PANEL
 * update A −= V Wᵀ + W Vᵀ is then done by gemm. The last columns use the unblocked form.
 */
export function tridiagonalize(w: Float64Array, n: number, d: Float64Array, e: Float64Array, taus: Float64Array): void {
  let k = 0;
  if (n > 4 * PANEL) {
    const ws = new PanelWorkspace(n);
    for (; n - k > 2 * PANEL; k += PANEL) reducePanel(w, n, k, d, e, taus, ws);
  }
  tridiagonalizeFrom(w, n, k, d, e, taus);
}

/** Buffers of {@link reducePanel}: V and W as n × PANEL row-major, vectors, and the update block. */
class PanelWorkspace {
  readonly v: Float64Array;
  readonly w: Float64Array;
  readonly u: Float64Array;
  readonly p: Float64Array;
  readonly t1 = new Float64Array(PANEL);
  readonly t2 = new Float64Array(PANEL);
  readonly block: Float64Array;
  constructor(n: number) {
    this.v = new Float64Array(n * PANEL);
    this.w = new Float64Array(n * PANEL);
    this.u = new Float64Array(n);
    this.p = new Float64Array(n);
    this.block = new Float64Array(ROWS * n);
  }
}

/** Reduce columns k..k+PANEL−1 (LAPACK dlatrd, lower ≡ our row-major upper) and update the rest. */
function reducePanel(
  a: Float64Array, n: number, k: number, d: Float64Array, e: Float64Array, taus: Float64Array, ws: PanelWorkspace,
): void {
  const { v: vr, w: wr, u, p, t1, t2 } = ws;
  const P = PANEL;
  vr.fill(0, k * P);
  wr.fill(0, k * P);
  for (let i = 0; i < P; i++) {
    const j = k + i;
    const rj = j * n;
    // Row j (= column j) gets the panel's pending updates: a_jr −= Σ_c v_rc w_jc + w_rc v_jc.
    if (i > 0) {
      for (let r = j; r < n; r++) {
        let s = 0;
        const o = r * P, oj = j * P;
        for (let c = 0; c < i; c++) s += vr[o + c] * wr[oj + c] + wr[o + c] * vr[oj + c];
        a[rj + r] -= s;
      }
    }
    d[j] = a[rj + j];
    const tau = householder(a, rj, j + 1, n, u, e, j);
    taus[j] = tau;
    if (tau === 0) continue; // v and w columns stay zero
    for (let r = j + 1; r < n; r++) vr[r * P + i] = u[r];
    // w = τ (A v − V (Wᵀv) − W (Vᵀv)), then w −= (τ/2)(wᵀv) v, with A the matrix at the panel start.
    p.fill(0, j + 1, n);
    multiplyUpper(a, n, j + 1, u, p);
    t1.fill(0, 0, i);
    t2.fill(0, 0, i);
    for (let r = j + 1; r < n; r++) {
      const ur = u[r], o = r * P;
      for (let c = 0; c < i; c++) { t1[c] += wr[o + c] * ur; t2[c] += vr[o + c] * ur; }
    }
    let pv = 0;
    for (let r = j + 1; r < n; r++) {
      const o = r * P;
      let s = p[r];
      for (let c = 0; c < i; c++) s -= vr[o + c] * t1[c] + wr[o + c] * t2[c];
      s *= tau;
      p[r] = s;
      pv += s * u[r];
    }
    const half = 0.5 * tau * pv;
    for (let r = j + 1; r < n; r++) wr[r * P + i] = p[r] - half * u[r];
  }
  // Trailing update A[k1:, k1:] −= V Wᵀ + W Vᵀ (upper triangle), ROWS rows at a time.
  const k1 = k + P;
  for (let r0 = k1; r0 < n; r0 += ROWS) {
    const rows = Math.min(ROWS, n - r0);
    const cols = n - r0;
    const blk = mat(rows, cols, ws.block.subarray(0, rows * cols));
    const vBlk = mat(rows, P, vr.subarray(r0 * P, (r0 + rows) * P));
    const wBlk = mat(rows, P, wr.subarray(r0 * P, (r0 + rows) * P));
    const vAll = mat(cols, P, vr.subarray(r0 * P, n * P));
    const wAll = mat(cols, P, wr.subarray(r0 * P, n * P));
    gemm(false, true, 1, vBlk, wAll, 0, blk);
    gemm(false, true, 1, wBlk, vAll, 1, blk);
    const bd = blk.data;
    for (let rr = 0; rr < rows; rr++) {
      const r = r0 + rr, ra = r * n, rb = rr * cols - r0;
      for (let c = r; c < n; c++) a[ra + c] -= bd[rb + c];
    }
  }
}

/** The unblocked reduction from column k0 on (fused update and product, see updateAndMultiply). */
function tridiagonalizeFrom(w: Float64Array, n: number, k0: number, d: Float64Array, e: Float64Array, taus: Float64Array): void {
  if (n === 0) return;
  let vPrev = new Float64Array(n);
  let wPrev = new Float64Array(n);
  let u = new Float64Array(n);
  let p = new Float64Array(n);
  let pending = false;
  for (let k = k0; k < n - 1; k++) {
    const rk = k * n;
    if (pending) {
      const vk = vPrev[k], wk = wPrev[k];
      for (let j = k; j < n; j++) w[rk + j] -= vk * wPrev[j] + wk * vPrev[j];
    }
    d[k] = w[rk + k];
    const tau = householder(w, rk, k + 1, n, u, e, k);
    taus[k] = tau;
    if (tau === 0 && !pending) continue;
    p.fill(0, k + 1, n);
    if (tau === 0) {
      for (let i = k + 1; i < n; i++) {
        const ri = i * n, vi = vPrev[i], wi = wPrev[i];
        for (let j = i; j < n; j++) w[ri + j] -= vi * wPrev[j] + wi * vPrev[j];
      }
    } else if (pending) {
      updateAndMultiply(w, n, k + 1, vPrev, wPrev, u, p);
    } else {
      multiplyUpper(w, n, k + 1, u, p);
    }
    pending = tau !== 0;
    if (!pending) continue;
    let pv = 0;
    for (let j = k + 1; j < n; j++) {
      p[j] *= tau;
      pv += p[j] * u[j];
    }
    const half = 0.5 * tau * pv;
    for (let j = k + 1; j < n; j++) p[j] -= half * u[j];
    let t = vPrev; vPrev = u; u = t;
    t = wPrev; wPrev = p; p = t;
  }
  d[n - 1] = w[(n - 1) * n + n - 1];
  e[n - 1] = 0;
}

/**
 * Rows i ≥ i0 of the upper triangle: apply A ← A − v wᵀ − w vᵀ and accumulate p += A u (A
 * symmetric, only j ≥ i stored). Rows are taken in pairs so that the loads of v, w, u, p are
 * shared and the two row dot products form independent dependency chains.
 */
function updateAndMultiply(
  a: Float64Array, n: number, i0: number,
  v: Float64Array, w: Float64Array, u: Float64Array, p: Float64Array,
): void {
  let i = i0;
  for (; i + 1 < n; i += 2) {
    const r0 = i * n, r1 = r0 + n;
    const v0 = v[i], w0 = w[i], u0 = u[i];
    const v1 = v[i + 1], w1 = w[i + 1], u1 = u[i + 1];
    // (i, i): dot only; (i, i+1): both; (i+1, i+1): dot only.
    const t00 = a[r0 + i] - v0 * w[i] - w0 * v[i];
    a[r0 + i] = t00;
    const t01 = a[r0 + i + 1] - v0 * w1 - w0 * v1;
    a[r0 + i + 1] = t01;
    const t11 = a[r1 + i + 1] - v1 * w1 - w1 * v1;
    a[r1 + i + 1] = t11;
    let s0 = t00 * u0 + t01 * u1;
    let s1 = t11 * u1;
    p[i + 1] += t01 * u0;
    for (let j = i + 2; j < n; j++) {
      const vj = v[j], wj = w[j], uj = u[j];
      const x0 = a[r0 + j] - v0 * wj - w0 * vj;
      const x1 = a[r1 + j] - v1 * wj - w1 * vj;
      a[r0 + j] = x0;
      a[r1 + j] = x1;
      s0 += x0 * uj;
      s1 += x1 * uj;
      p[j] += x0 * u0 + x1 * u1;
    }
    p[i] += s0;
    p[i + 1] += s1;
  }
  if (i < n) {
    const r0 = i * n;
    const t = a[r0 + i] - 2 * v[i] * w[i];
    a[r0 + i] = t;
    p[i] += t * u[i];
  }
}

/** p += A u over rows i ≥ i0 of the upper triangle of symmetric A (no update; see above). */
function multiplyUpper(a: Float64Array, n: number, i0: number, u: Float64Array, p: Float64Array): void {
  let i = i0;
  // Four rows per pass: the loads of u_j and p_j are shared by four matrix entries.
  for (; i + 3 < n; i += 4) {
    const r0 = i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
    const u0 = u[i], u1 = u[i + 1], u2 = u[i + 2], u3 = u[i + 3];
    const a01 = a[r0 + i + 1], a02 = a[r0 + i + 2], a03 = a[r0 + i + 3];
    const a12 = a[r1 + i + 2], a13 = a[r1 + i + 3], a23 = a[r2 + i + 3];
    // The 4×4 diagonal block, both triangles (symmetry).
    let s0 = a[r0 + i] * u0 + a01 * u1 + a02 * u2 + a03 * u3;
    let s1 = a01 * u0 + a[r1 + i + 1] * u1 + a12 * u2 + a13 * u3;
    let s2 = a02 * u0 + a12 * u1 + a[r2 + i + 2] * u2 + a23 * u3;
    let s3 = a03 * u0 + a13 * u1 + a23 * u2 + a[r3 + i + 3] * u3;
    for (let j = i + 4; j < n; j++) {
      const uj = u[j];
      const x0 = a[r0 + j], x1 = a[r1 + j], x2 = a[r2 + j], x3 = a[r3 + j];
      s0 += x0 * uj;
      s1 += x1 * uj;
      s2 += x2 * uj;
      s3 += x3 * uj;
      p[j] += x0 * u0 + x1 * u1 + x2 * u2 + x3 * u3;
    }
    p[i] += s0;
    p[i + 1] += s1;
    p[i + 2] += s2;
    p[i + 3] += s3;
  }
  for (; i + 1 < n; i += 2) {
    const r0 = i * n, r1 = r0 + n;
    const u0 = u[i], u1 = u[i + 1];
    const t01 = a[r0 + i + 1];
    let s0 = a[r0 + i] * u0 + t01 * u1;
    let s1 = a[r1 + i + 1] * u1;
    p[i + 1] += t01 * u0;
    for (let j = i + 2; j < n; j++) {
      const uj = u[j];
      const x0 = a[r0 + j], x1 = a[r1 + j];
      s0 += x0 * uj;
      s1 += x1 * uj;
      p[j] += x0 * u0 + x1 * u1;
    }
    p[i] += s0;
    p[i + 1] += s1;
  }
  if (i < n) p[i] += a[i * n + i] * u[i];
}
