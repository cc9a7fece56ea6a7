/**
 * Symmetric rank-k product C ← α A Aᵀ (BLAS "syrk") on row-major Float64Array, built on `gemm`.
 *
 * A is n × k, C is n × n. Only one triangle is computed, by recursive halving of the row range:
 *
 *   [C11  C12]      C11 = α A1 A1ᵀ (recursion),  C22 = α A2 A2ᵀ (recursion),
 *   [C21  C22]      C12 = α A1 A2ᵀ (upper) or C21 = α A2 A1ᵀ (lower): one `gemm` call,
 *
 * down to diagonal blocks of at most {@link SYRK_BASE} rows, which are computed in full by `gemm`
 * (both of their triangles are written). The flops are n²k(1 + b/n) instead of 2n²k for a full
 * gemm, b the diagonal block size; all products are large enough for gemm's SIMD kernel. Block
 * sizes are multiples of 4 (gemm's register tile) except possibly the last.
 *
 * Each entry is one dot product formed by `gemm`, so it carries gemm's rounding (not bitwise equal
 * to the corresponding gemm(false, true, α, A, A) entry when the blocking changes its summation
 * order). The block layout depends only on n, so results are bit-identical from run to run.
 */
import { gemm } from './gemm.js';
import { type Mat, mat, assertShape } from './matrix.js';

/** Which triangle of C is computed: 'upper' (j ≥ i) or 'lower' (j ≤ i). */
export type Triangle = 'upper' | 'lower';

export interface SyrkOptions {
  /** Triangle computed (default 'lower'). */
  triangle?: Triangle;
  /**
   * Copy the computed triangle onto the other one (default true). When false, entries of the other
   * triangle outside the diagonal blocks are left as they were, and those inside are written.
   */
  mirror?: boolean;
}

/** Largest diagonal block computed in full by one gemm call. */
export const SYRK_BASE = 128;

/**
 * C ← α A Aᵀ (A: n × k, C: n × n, allocated when omitted). Returns C. See the file comment for
 * which entries are written.
 */
export function syrk(alpha: number, a: Mat, c?: Mat, options: SyrkOptions = {}): Mat {
  const n = a.rows;
  const out = c ?? mat(n, n);
  assertShape('syrk(C)', out, n, n);
  const upper = (options.triangle ?? 'lower') === 'upper';
  // Scratch for one off-diagonal block; the largest is the top-level split, ⌈n/2⌉ × ⌊n/2⌋ at most.
  const half = split(0, n);
  const scratch = new Float64Array(Math.max(half * (n - half), SYRK_BASE * SYRK_BASE));
  syrkRange(alpha, a, out, 0, n, upper, scratch);
  if (options.mirror ?? true) mirrorTriangle(out, upper);
  return out;
}

/** Rows [lo, hi) of C's chosen triangle. */
function syrkRange(alpha: number, a: Mat, c: Mat, lo: number, hi: number, upper: boolean, scratch: Float64Array): void {
  if (hi - lo <= SYRK_BASE) {
    block(alpha, a, c, lo, hi, lo, hi, scratch);
    return;
  }
  const mid = split(lo, hi);
  syrkRange(alpha, a, c, lo, mid, upper, scratch);
  if (upper) block(alpha, a, c, lo, mid, mid, hi, scratch);
  else block(alpha, a, c, mid, hi, lo, mid, scratch);
  syrkRange(alpha, a, c, mid, hi, upper, scratch);
}

/** The split point of [lo, hi): the middle rounded up to a multiple of 4 rows from lo. */
function split(lo: number, hi: number): number {
  const h = Math.ceil((hi - lo) / 2);
  return Math.min(hi, lo + Math.ceil(h / 4) * 4);
}

/** C[r0:r1, c0:c1] ← α A[r0:r1] A[c0:c1]ᵀ through gemm into scratch, then copied into C. */
function block(alpha: number, a: Mat, c: Mat, r0: number, r1: number, c0: number, c1: number, scratch: Float64Array): void {
  const k = a.cols, n = c.cols, m = r1 - r0, w = c1 - c0;
  if (m === 0 || w === 0) return;
  const ar = mat(m, k, a.data.subarray(r0 * k, r1 * k));
  const ac = mat(w, k, a.data.subarray(c0 * k, c1 * k));
  const tmp = mat(m, w, scratch.subarray(0, m * w));
  gemm(false, true, alpha, ar, ac, 0, tmp);
  const cd = c.data, td = tmp.data;
  for (let i = 0; i < m; i++) cd.set(td.subarray(i * w, (i + 1) * w), (r0 + i) * n + c0);
}

/** Copy the upper (upper = true) or lower triangle of a square matrix onto the other. */
export function mirrorTriangle(m: Mat, upper: boolean): void {
  const n = m.rows;
  assertShape('mirrorTriangle', m, n, n);
  const D = m.data;
  if (upper) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) D[j * n + i] = D[i * n + j];
  } else {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) D[i * n + j] = D[j * n + i];
  }
}
