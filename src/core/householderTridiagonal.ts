/**
 * Householder reduction of a symmetric matrix to tridiagonal form, Qᵀ A Q = T, and the application
 * of Q to a matrix (theory/numerics.md#eigh). Golub & Van Loan, "Matrix Computations", 4th ed.,
 * Alg. 8.3.1; compact WY blocks: Schreiber & Van Loan 1989 (LAPACK dsytd2, dlarft, dlarfb).
 */
import { gemm } from './gemm.js';
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

/** LAPACK dlarfg's threshold safmin/ε = 2^−1022/2^−52 on |β|, and its inverse (exact powers of two). */
const SAFMIN = 2 ** -970;
const RSAFMIN = 2 ** 970;

/**
 * Reflector H = I − τ v vᵀ with H x = β e₁ for x = w[rk+j0 .. rk+n−1] (LAPACK dlarfg convention:
 * v[j0] = 1, β = −sign(x₀)‖x‖, τ = (β − x₀)/β). Writes v into u[j0..n−1] and into w's row (for
 * forming Q later), β into e[k]; returns τ (0 when x is already a multiple of e₁). A vector with
 * |β| < 2^−970 (subnormal entries) is scaled up first, so v and τ stay finite.
 */
function householder(
  w: Float64Array, rk: number, j0: number, n: number, u: Float64Array, e: Float64Array, k: number,
): number {
  const x0 = w[rk + j0];
  let scale = 0;
  for (let j = j0 + 1; j < n; j++) scale = Math.max(scale, Math.abs(w[rk + j]));
  if (scale === 0) {
    e[k] = x0;
    w[rk + j0] = 1;
    for (let j = j0 + 1; j < n; j++) w[rk + j] = 0;
    return 0;
  }
  scale = Math.max(scale, Math.abs(x0));
  let ss = 0;
  for (let j = j0; j < n; j++) {
    const t = w[rk + j] / scale;
    ss += t * t;
  }
  const norm = scale * Math.sqrt(ss);
  const beta = x0 >= 0 ? -norm : norm;
  if (Math.abs(beta) < SAFMIN) {
    // 1/(x0 − β) below would overflow (|β| < 2^−1024 for subnormal x) and give Inf·0 = NaN in v.
    // As LAPACK dlarfg: scale x by 2^970 (exact, and |x_j| ≤ |β| keeps it ≤ 1), reflect the
    // scaled vector (τ and v are scale-invariant, and now |β| ≥ 2^−104) and scale β back.
    for (let j = j0; j < n; j++) w[rk + j] *= RSAFMIN;
    const t = householder(w, rk, j0, n, u, e, k);
    e[k] *= SAFMIN;
    return t;
  }
  const tau = (beta - x0) / beta;
  const f = 1 / (x0 - beta);
  u[j0] = 1;
  w[rk + j0] = 1;
  for (let j = j0 + 1; j < n; j++) {
    const v = w[rk + j] * f;
    u[j] = v;
    w[rk + j] = v;
  }
  e[k] = beta;
  return tau;
}

/** Reflectors per block in {@link formQ} (W is NB × n: 256 kB at n = 1000). */

/** Reflectors per compact-WY block in {@link applyReflectors}. */
const NB = 64;

/**
 * Z ← Q Z for Q = H_0 H_1 ⋯ H_{n−3} stored by {@link tridiagonalize} in `w` (n×n) and `taus`,
 * Z n×c row-major. Blocks of NB reflectors, last block first, each applied in compact WY form
 * H_{k0}⋯H_{k0+b−1} = I − V T Vᵀ: Z[r0:, :] −= V (T (Vᵀ Z[r0:, :])) with two gemm calls; rows
 * r0.. of Z are contiguous, so no copy is needed. About 2 n² c flops, all in gemm.
 */
export function applyReflectors(w: Float64Array, n: number, taus: Float64Array, z: Float64Array, c: number): void {
  const last = n - 3; // H_{n−2} is the identity
  if (last < 0 || c === 0) return;
  const vb = new Float64Array(n * NB);
  const t = new Float64Array(NB * NB);
  const tmp = new Float64Array(NB);
  for (let kEnd = last + 1; kEnd > 0; kEnd -= NB) {
    const k0 = Math.max(0, kEnd - NB);
    const b = kEnd - k0;
    const r0 = k0 + 1; // first affected row
    const mr = n - r0;
    // V (mr × b): column r is v_{k0+r}, zero above its unit entry at row k0+r+1.
    vb.fill(0, 0, mr * b);
    for (let r = 0; r < b; r++) {
      const src = (k0 + r) * n;
      for (let i = k0 + r + 1; i < n; i++) vb[(i - r0) * b + r] = w[src + i];
    }
    buildT(vb, mr, b, taus, k0, t, tmp);
    const v = mat(mr, b, vb.subarray(0, mr * b));
    const zr = mat(mr, c, z.subarray(r0 * c, n * c));
    const wv = gemm(true, false, 1, v, zr); // b × c
    // W ← T W (T upper triangular, stride NB; ascending r reads only rows s ≥ r, not yet overwritten).
    const wd = wv.data;
    for (let r = 0; r < b; r++) {
      const tr = r * NB, wr = r * c;
      const trr = t[tr + r];
      for (let j = 0; j < c; j++) wd[wr + j] *= trr;
      for (let s = r + 1; s < b; s++) {
        const trs = t[tr + s];
        if (trs === 0) continue;
        const ws = s * c;
        for (let j = 0; j < c; j++) wd[wr + j] += trs * wd[ws + j];
      }
    }
    gemm(false, false, -1, v, wv, 1, zr);
  }
}

/** T (b×b upper, stride NB) of the compact WY form: T_ii = τ_i, T[0:i, i] = −τ_i T[0:i,0:i] V[:,0:i]ᵀ v_i. */
function buildT(
  vb: Float64Array, mr: number, b: number, taus: Float64Array, k0: number, t: Float64Array, tmp: Float64Array,
): void {
  t.fill(0);
  for (let i = 0; i < b; i++) {
    const tau = taus[k0 + i];
    t[i * NB + i] = tau;
    if (i === 0 || tau === 0) continue;
    tmp.fill(0, 0, i);
    for (let row = i; row < mr; row++) {
      const vi = vb[row * b + i];
      if (vi === 0) continue;
      const o = row * b;
      for (let r = 0; r < i; r++) tmp[r] += vb[o + r] * vi;
    }
    for (let r = 0; r < i; r++) {
      let s = 0;
      for (let q = r; q < i; q++) s += t[r * NB + q] * tmp[q];
      t[r * NB + i] = -tau * s;
    }
  }
}
