/**
 * Input Gram matrices K⁰ = c · X X2ᵀ (the first step of the kernel recursion, theory/ntk.md#recursion).
 *
 * The symmetric case computes only the upper triangle with the blocked syrk of src/core/syrk.ts
 * (about half the flops of a gemm, on gemm's SIMD kernel), or on the native engine with its
 * upper-triangle product (the same bits, written straight into the result); the entries below the diagonal are
 * unspecified (the kernel recursion works on the upper triangle and mirrors at the end). The cross
 * case is `gemm(false, true, …)`. Summation order depends only on the shapes (bit-reproducible).
 */
import { gemm } from '../../core/gemm.js';
import { syrk } from '../../core/syrk.js';
import { largeFloat64Array, nativeSyrkUpper } from '../../core/gemmNative.js';
import { engine } from '../../core/engine.js';
import { type Mat, mat } from '../../core/matrix.js';

/**
 * Upper triangle (j ≥ i) of c · X Xᵀ into a new n×n matrix by {@link syrk} (entries below the
 * diagonal are unspecified). The diagonal is c‖x_i‖² summed in index order, exactly
 * {@link rowSquaredNorms}, so it matches the diagonal the recursion carries.
 */
export function gramUpper(x: Mat, c: number): Mat {
  const n = x.rows, d = x.cols;
  const out = mat(n, n, largeFloat64Array(n * n));
  // native: straight into C, no scratch blocks (each entry the same fused sum as through syrk)
  if (!(engine() === 'native' && n >= 4 && d > 0 && nativeSyrkUpper(n, d, c, x.data, out.data))) {
    syrk(c, x, out, { triangle: 'upper', mirror: false });
  }
  for (let i = 0; i < n; i++) out.data[i * n + i] = c * rowDot(x.data, i * d, i * d, d);
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
