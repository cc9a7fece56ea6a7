/**
 * Cholesky factorization A = L Lᵀ of a symmetric positive definite matrix, triangular solves, and
 * a guarded SPD solver that adds diagonal jitter when needed (theory/numerics.md#cholesky).
 *
 * Only the lower triangle of A is read. Small matrices: the row-oriented (left-looking)
 * Cholesky–Banachiewicz algorithm: entry (i, j) is a dot product of rows i and j of L, both
 * contiguous in row-major storage; rows and columns are taken in pairs (2×2 tiles of dot products,
 * four independent accumulators, half the loads). Above 128: right-looking blocked, with the
 * trailing updates in gemm.
 */
import { type Mat, mat, assertShape } from './matrix.js';
import { gemm } from './gemm.js';
import type { Status } from './errors.js';

/**
 * Lower-triangular L (n×n, zeros above the diagonal) with A = L Lᵀ, or null when A (n×n, lower
 * triangle read) is not numerically positive definite (a pivot ≤ 0 or non-finite).
 */
export function cholesky(a: Mat): Mat | null {
  const n = a.rows;
  assertShape('cholesky', a, n, n);
  return n > 2 * BLOCK ? choleskyBlocked(a) : choleskyUnblocked(a);
}

/** Diagonal block size of the blocked factorization (and rows per gemm of its trailing update). */
const BLOCK = 64;

/**
 * Right-looking blocked Cholesky (LAPACK dpotrf order): factor a diagonal block, solve the block
 * column below it, and subtract its outer product from the trailing lower triangle by gemm, in
 * blocks of BLOCK rows. n³/3 flops, nearly all in gemm.
 */
function choleskyBlocked(a: Mat): Mat | null {
  const n = a.rows;
  const l = mat(n, n);
  const ld = l.data;
  for (let i = 0; i < n; i++) ld.set(a.data.subarray(i * n, i * n + i + 1), i * n);
  const panel = new Float64Array(n * BLOCK);
  const tmp = new Float64Array(BLOCK * n);
  for (let k0 = 0; k0 < n; k0 += BLOCK) {
    const k1 = Math.min(n, k0 + BLOCK);
    const b = k1 - k0;
    if (!factorDiagonalBlock(ld, n, k0, k1)) return null;
    if (k1 === n) break;
    // Block column: L21 = A21 L11⁻ᵀ, row by row (forward substitution with L11ᵀ).
    for (let i = k1; i < n; i++) {
      const ri = i * n;
      for (let j = k0; j < k1; j++) {
        const rj = j * n;
        let s = ld[ri + j];
        for (let p = k0; p < j; p++) s -= ld[ri + p] * ld[rj + p];
        ld[ri + j] = s / ld[rj + j];
      }
    }
    // P = L21 as a contiguous (n − k1) × b matrix; trailing lower triangle −= P Pᵀ.
    const m = n - k1;
    for (let i = 0; i < m; i++) panel.set(ld.subarray((k1 + i) * n + k0, (k1 + i) * n + k1), i * b);
    for (let r0 = 0; r0 < m; r0 += BLOCK) {
      const rows = Math.min(BLOCK, m - r0);
      const cols = r0 + rows; // columns k1 .. k1 + cols − 1 reach the diagonal of the last row
      const c = mat(rows, cols, tmp.subarray(0, rows * cols));
      gemm(false, true, 1, mat(rows, b, panel.subarray(r0 * b, (r0 + rows) * b)), mat(cols, b, panel.subarray(0, cols * b)), 0, c);
      const cd = c.data;
      for (let rr = 0; rr < rows; rr++) {
        const ri = (k1 + r0 + rr) * n + k1;
        const last = r0 + rr; // column offset of the diagonal
        const ro = rr * cols;
        for (let j = 0; j <= last; j++) ld[ri + j] -= cd[ro + j];
      }
    }
  }
  return l;
}

/** In-place unblocked Cholesky of the diagonal block [k0, k1) of ld (lower, stride n). */
function factorDiagonalBlock(ld: Float64Array, n: number, k0: number, k1: number): boolean {
  for (let i = k0; i < k1; i++) {
    const ri = i * n;
    for (let j = k0; j < i; j++) {
      const rj = j * n;
      let s = ld[ri + j];
      for (let p = k0; p < j; p++) s -= ld[ri + p] * ld[rj + p];
      ld[ri + j] = s / ld[rj + j];
    }
    let s = ld[ri + i];
    for (let p = k0; p < i; p++) s -= ld[ri + p] * ld[ri + p];
    if (!(s > 0) || !Number.isFinite(s)) return false;
    ld[ri + i] = Math.sqrt(s);
  }
  return true;
}

/** Unblocked row Cholesky with 2×2 tiles (small n). */
function choleskyUnblocked(a: Mat): Mat | null {
  const n = a.rows;
  const l = mat(n, n);
  const ad = a.data;
  const ld = l.data;
  let i = 0;
  // Rows in pairs: the 2×2 tiles of dot products share their loads (gemm NT style).
  for (; i + 1 < n; i += 2) {
    const r0 = i * n, r1 = r0 + n;
    let j = 0;
    for (; j + 1 < i; j += 2) {
      const q0 = j * n, q1 = q0 + n;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let k = 0; k < j; k++) {
        const x0 = ld[r0 + k], x1 = ld[r1 + k], y0 = ld[q0 + k], y1 = ld[q1 + k];
        s00 += x0 * y0; s01 += x0 * y1; s10 += x1 * y0; s11 += x1 * y1;
      }
      const ljj = ld[q0 + j], lj1j = ld[q1 + j], lj1j1 = ld[q1 + j + 1];
      const a00 = (ad[r0 + j] - s00) / ljj;
      const a10 = (ad[r1 + j] - s10) / ljj;
      ld[r0 + j] = a00;
      ld[r1 + j] = a10;
      ld[r0 + j + 1] = (ad[r0 + j + 1] - s01 - a00 * lj1j) / lj1j1;
      ld[r1 + j + 1] = (ad[r1 + j + 1] - s11 - a10 * lj1j) / lj1j1;
    }
    for (; j < i; j++) { // at most one column left before the diagonal block
      const q0 = j * n;
      let s0 = 0, s1 = 0;
      for (let k = 0; k < j; k++) { s0 += ld[r0 + k] * ld[q0 + k]; s1 += ld[r1 + k] * ld[q0 + k]; }
      ld[r0 + j] = (ad[r0 + j] - s0) / ld[q0 + j];
      ld[r1 + j] = (ad[r1 + j] - s1) / ld[q0 + j];
    }
    // Diagonal 2×2 block: L_ii, L_{i+1,i}, L_{i+1,i+1}.
    let d0 = 0, c = 0, d1 = 0;
    for (let k = 0; k < i; k++) {
      const x0 = ld[r0 + k], x1 = ld[r1 + k];
      d0 += x0 * x0; c += x1 * x0; d1 += x1 * x1;
    }
    const p0 = ad[r0 + i] - d0;
    if (!(p0 > 0) || !Number.isFinite(p0)) return null;
    const lii = Math.sqrt(p0);
    ld[r0 + i] = lii;
    const li1i = (ad[r1 + i] - c) / lii;
    ld[r1 + i] = li1i;
    const p1 = ad[r1 + i + 1] - d1 - li1i * li1i;
    if (!(p1 > 0) || !Number.isFinite(p1)) return null;
    ld[r1 + i + 1] = Math.sqrt(p1);
  }
  if (i < n) { // last row when n is odd
    const r0 = i * n;
    for (let j = 0; j < i; j++) {
      const q0 = j * n;
      let s = 0;
      for (let k = 0; k < j; k++) s += ld[r0 + k] * ld[q0 + k];
      ld[r0 + j] = (ad[r0 + j] - s) / ld[q0 + j];
    }
    let s = 0;
    for (let k = 0; k < i; k++) s += ld[r0 + k] * ld[r0 + k];
    const p = ad[r0 + i] - s;
    if (!(p > 0) || !Number.isFinite(p)) return null;
    ld[r0 + i] = Math.sqrt(p);
  }
  return l;
}

/** Solve L Lᵀ X = B for X (n×m) given the Cholesky factor L (n×n) and B (n×m). */
export function choleskySolve(l: Mat, b: Mat): Mat {
  const n = l.rows;
  assertShape('choleskySolve(L)', l, n, n);
  if (b.rows !== n) throw new RangeError(`choleskySolve: B has ${b.rows} rows, expected ${n}`);
  const m = b.cols;
  const x = mat(n, m, b.data.slice());
  const ld = l.data;
  const xd = x.data;
  // Forward: L Y = B, row by row: Y_i = (B_i − Σ_k<i L_ik Y_k) / L_ii.
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    const xi = i * m;
    for (let k = 0; k < i; k++) {
      const lik = ld[ri + k];
      if (lik === 0) continue;
      const xk = k * m;
      for (let c = 0; c < m; c++) xd[xi + c] -= lik * xd[xk + c];
    }
    const inv = 1 / ld[ri + i];
    for (let c = 0; c < m; c++) xd[xi + c] *= inv;
  }
  // Backward: Lᵀ X = Y, column-oriented so that row i of L is read contiguously:
  // X_i = Y_i / L_ii, then Y_k −= L_ik X_i for k < i.
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * n;
    const xi = i * m;
    const inv = 1 / ld[ri + i];
    for (let c = 0; c < m; c++) xd[xi + c] *= inv;
    for (let k = 0; k < i; k++) {
      const lik = ld[ri + k];
      if (lik === 0) continue;
      const xk = k * m;
      for (let c = 0; c < m; c++) xd[xk + c] -= lik * xd[xi + c];
    }
  }
  return x;
}

/** Solve L Lᵀ x = b for a vector b (length n). */
export function choleskySolveVec(l: Mat, b: Float64Array): Float64Array {
  return choleskySolve(l, mat(b.length, 1, b)).data;
}

/** Result of {@link solveSpd}: `jitter` is the relative diagonal shift used (0 when none). */
export interface SpdSolution {
  x: Mat;
  jitter: number;
  status: Status;
  message: string;
}

/**
 * Solve A X = B for symmetric positive (semi)definite A (n×n, lower triangle read), B (n×m).
 * Tries plain Cholesky, then A + jitter·mean(diag A)·I for jitter = 1e-12, 1e-10, … ≤ maxJitter
 * (default 1e-6), and reports the jitter used. Never returns non-finite values silently: on failure
 * `status` is 'failed', `message` says why, and `x` is NaN-filled.
 */
export function solveSpd(a: Mat, b: Mat, opts: { maxJitter?: number } = {}): SpdSolution {
  const n = a.rows;
  assertShape('solveSpd(A)', a, n, n);
  if (b.rows !== n) throw new RangeError(`solveSpd: B has ${b.rows} rows, expected ${n}`);
  const maxJitter = opts.maxJitter ?? 1e-6;
  const fail = (message: string): SpdSolution => ({
    x: mat(n, b.cols, new Float64Array(n * b.cols).fill(NaN)),
    jitter: NaN,
    status: 'failed',
    message,
  });
  for (let i = 0; i < b.data.length; i++) {
    if (!Number.isFinite(b.data[i])) return fail(`right-hand side has a non-finite entry at index ${i}`);
  }
  let l = cholesky(a);
  let jitter = 0;
  if (l === null) {
    let diagMean = 0;
    for (let i = 0; i < n; i++) diagMean += a.data[i * n + i];
    diagMean /= n;
    if (!(diagMean > 0) || !Number.isFinite(diagMean)) {
      return fail(`matrix is not positive definite (mean diagonal ${diagMean})`);
    }
    const shifted = mat(n, n, a.data.slice());
    for (let j = 1e-12; j <= maxJitter * (1 + 1e-9) && l === null; j *= 100) {
      for (let i = 0; i < n; i++) shifted.data[i * n + i] = a.data[i * n + i] + j * diagMean;
      l = cholesky(shifted);
      jitter = j;
    }
    if (l === null) {
      return fail(
        `matrix is not positive definite even with jitter ${maxJitter} × mean diagonal ${diagMean}`,
      );
    }
  }
  const x = choleskySolve(l, b);
  for (let i = 0; i < x.data.length; i++) {
    if (!Number.isFinite(x.data[i])) return fail(`solution overflowed (entry ${i} non-finite)`);
  }
  return { x, jitter, status: 'ok', message: '' };
}
