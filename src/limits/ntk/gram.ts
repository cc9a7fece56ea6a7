/**
 * Input Gram matrices K⁰ = c · X X2ᵀ (the first step of the kernel recursion, math.md §2).
 *
 * The symmetric case computes only the upper triangle (a "syrk", half the flops of a gemm) with
 * 3×2 tiles of dot products over contiguous rows; the entries below the diagonal are NOT written
 * (the kernel recursion works on the upper triangle and mirrors at the end). The cross case is
 * `gemm(false, true, …)`. Summation order depends only on the shapes (bit-reproducible).
 */
import { gemm } from '../../core/gemm.js';
import { type Mat, mat } from '../../core/matrix.js';

/** Upper triangle (j ≥ i) of c · X Xᵀ into a new n×n matrix (lower triangle left undefined/partly filled). */
export function gramUpper(x: Mat, c: number): Mat {
  const n = x.rows;
  const d = x.cols;
  const out = mat(n, n);
  const X = x.data;
  const C = out.data;
  const n3 = n - (n % 3);
  // 3×2 tiles: rows i..i+2, columns j, j+1 for j from the even index ≤ i.
  for (let i = 0; i < n3; i += 3) {
    const a0 = i * d, a1 = a0 + d, a2 = a1 + d;
    let j = i - (i % 2);
    for (; j + 1 < n; j += 2) {
      const b0 = j * d, b1 = b0 + d;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0;
      for (let p = 0; p < d; p++) {
        const x0 = X[a0 + p], x1 = X[a1 + p], x2 = X[a2 + p], y0 = X[b0 + p], y1 = X[b1 + p];
        s00 += x0 * y0; s01 += x0 * y1;
        s10 += x1 * y0; s11 += x1 * y1;
        s20 += x2 * y0; s21 += x2 * y1;
      }
      let o = i * n + j;
      C[o] = c * s00; C[o + 1] = c * s01; o += n;
      C[o] = c * s10; C[o + 1] = c * s11; o += n;
      C[o] = c * s20; C[o + 1] = c * s21;
    }
    for (; j < n; j++) {
      for (let r = 0; r < 3; r++) C[(i + r) * n + j] = c * rowDot(X, (i + r) * d, j * d, d);
    }
  }
  for (let i = n3; i < n; i++) {
    for (let j = i; j < n; j++) C[i * n + j] = c * rowDot(X, i * d, j * d, d);
  }
  return out;
}

function rowDot(X: Float64Array, a: number, b: number, d: number): number {
  let s = 0;
  for (let p = 0; p < d; p++) s += X[a + p] * X[b + p];
  return s;
}

/** c · X X2ᵀ (n × n2). */
export function gramCross(x: Mat, x2: Mat, c: number): Mat {
  return gemm(false, true, c, x, x2);
}

/** c · ‖x_i‖² for every row. */
export function rowSquaredNorms(x: Mat, c: number): Float64Array {
  const out = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) out[i] = c * rowDot(x.data, i * x.cols, i * x.cols, x.cols);
  return out;
}

/** Copy the upper triangle of a square matrix onto its lower triangle. */
export function mirrorUpper(m: Mat): void {
  const n = m.rows;
  const D = m.data;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) D[j * n + i] = D[i * n + j];
}
