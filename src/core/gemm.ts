/**
 * General matrix products on row-major Float64Array: the trainer's engine.
 *
 * `gemm(tA, tB, alpha, A, B, beta, C)` computes `C ← alpha · op(A) op(B) + beta · C` with
 * `op(X) = X` or `Xᵀ`. The loops are written for the JIT: the NN and TN products stream rows of B
 * into rows of C four at a time (i-k-j order, unrolled over k), the NT product computes 2×2 tiles
 * of dot products. Products with m, n ≥ 4 and m·n·k ≥ 2^15 go to the engine of engine.ts: the
 * native addon (gemmNative.ts, fused multiply-adds, several threads) or the WebAssembly SIMD kernel
 * of gemmWasm.ts (about five times faster than the loops). Summation order depends only on the
 * shapes (never on the thread count), so results are bit-identical from run to run on one engine.
 */
import { type Mat, mat, assertShape } from './matrix.js';
import { type LeftPanels, type RowEpilogue, WASM_MIN_WORK, wasmGemm, wasmGemmPackedLeft, wasmGemmRows, wasmLeftPanels } from './gemmWasm.js';
import { type NativeEpilogue, largeFloat64Array, nativeGemm } from './gemmNative.js';
import { engine } from './engine.js';

export type { LeftPanels, RowEpilogue } from './gemmWasm.js';
export type { NativeEpilogue } from './gemmNative.js';

/** Whether the product (m × n, inner k) goes to the native engine (the wasm kernels' size rule). */
function takesNative(m: number, n: number, k: number): boolean {
  return m >= 4 && n >= 4 && m * n * k >= WASM_MIN_WORK && engine() === 'native';
}

/** C ← alpha·op(A)·op(B) + beta·C. Returns C (allocated when omitted, then beta is ignored). */
export function gemm(
  transA: boolean,
  transB: boolean,
  alpha: number,
  a: Mat,
  b: Mat,
  beta = 0,
  c?: Mat,
): Mat {
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const kb = transB ? b.cols : b.rows;
  const n = transB ? b.rows : b.cols;
  if (k !== kb) {
    throw new RangeError(
      `gemm: inner dimensions differ: op(A) is ${m}x${k}, op(B) is ${kb}x${n}`,
    );
  }
  const out = c ?? mat(m, n, largeFloat64Array(m * n));
  assertShape('gemm(C)', out, m, n);
  const cd = out.data;
  if (alpha !== 0 && takesNative(m, n, k) && nativeGemm(transA, transB, m, n, k, alpha, a.data, b.data, c === undefined ? 0 : beta, cd)) return out;
  if (alpha !== 0 && engine() === 'wasm' && wasmGemm(transA, transB, m, n, k, alpha, a.data, b.data, c === undefined ? 0 : beta, cd)) return out;
  if (c === undefined || beta === 0) cd.fill(0);
  else if (beta !== 1) for (let i = 0; i < cd.length; i++) cd[i] *= beta;
  if (m === 0 || n === 0 || k === 0 || alpha === 0) return out;
  if (transB) {
    if (transA) gemmTT(m, n, k, alpha, a.data, b.data, cd);
    else gemmNT(m, n, k, alpha, a.data, b.data, cd);
  } else {
    // a(i, p) = A[i*k + p] (NN) or A[p*m + i] (TN)
    if (transA) gemmRowStream(m, n, k, alpha, a.data, 1, m, b.data, cd);
    else gemmRowStream(m, n, k, alpha, a.data, k, 1, b.data, cd);
  }
  return out;
}

/**
 * C = alpha·op(A)·op(B) (m×n) handed to `rows` row by row: `rows(i, src, so, scale)` must write row i
 * of `out` as `scale * src[so + j]` (j < n) and may do more with each value in the same pass (the
 * trainer applies bias and activation there). The values are the bits `gemm(tA, tB, alpha, A, B, 0,
 * out)` writes: from the SIMD kernels' memory (scale = alpha) when the product takes them, else
 * from `out` itself after the product (scale = 1, src = out.data). `rows` must not call gemm.
 *
 * With `fused`, when the product takes the native engine, `rows` is not called: the engine
 * applies `fused.epi` to each entry itself (the same arithmetic as `rows`, which it replaces) and
 * then `fused.after(i)` is called for each row i in order (the rest of `rows`' work, if any), or
 * `fused.done()` once instead when given (the same work for all rows at once).
 */
export function gemmRows(
  transA: boolean, transB: boolean, alpha: number, a: Mat, b: Mat, out: Mat, rows: RowEpilogue,
  fused?: { epi: NativeEpilogue; after?: (i: number) => void; done?: () => void },
): void {
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const n = transB ? b.rows : b.cols;
  const fits = k === (transB ? b.cols : b.rows) && out.rows === m && out.cols === n && alpha !== 0;
  if (fits && takesNative(m, n, k)) {
    if (fused && nativeGemm(transA, transB, m, n, k, alpha, a.data, b.data, 0, out.data, fused.epi)) {
      if (fused.done) fused.done();
      else if (fused.after) for (let i = 0; i < m; i++) fused.after(i);
      return;
    }
    if (nativeGemm(transA, transB, m, n, k, alpha, a.data, b.data, 0, out.data)) {
      for (let i = 0; i < m; i++) rows(i, out.data, i * n, 1);
      return;
    }
  }
  if (fits && engine() === 'wasm' && wasmGemmRows(transA, transB, m, n, k, alpha, a.data, b.data, rows)) return;
  gemm(transA, transB, alpha, a, b, 0, out);
  for (let i = 0; i < m; i++) rows(i, out.data, i * n, 1);
}

/**
 * For a product `gemm(transA, transB, alpha, A, B, beta, C)` with op(A) m×k and op(B) k×n: the
 * SIMD kernel's panels of op(A), for the producer of A to write op(A) into directly (layout in
 * {@link LeftPanels}), when the product takes that kernel whatever A holds; else null (then
 * call gemm). Fill every a(i, p), i < m, p < k, call no other product, then {@link gemmPackedLeft}.
 */
export function gemmLeftPanels(transA: boolean, m: number, n: number, k: number): LeftPanels | null {
  return engine() === 'wasm' ? wasmLeftPanels(transA, m, n, k) : null;
}

/**
 * C ← alpha·op(A)·op(B) + beta·C with op(A) in filled panels from {@link gemmLeftPanels}: the
 * bits of `gemm(transA, transB, alpha, A, B, beta, C)`. Returns C.
 */
export function gemmPackedLeft(left: LeftPanels, transB: boolean, alpha: number, b: Mat, beta: number, c: Mat): Mat {
  const kb = transB ? b.cols : b.rows;
  const n = transB ? b.rows : b.cols;
  if (kb !== left.k || n !== left.n) {
    throw new RangeError(`gemmPackedLeft: op(B) is ${kb}x${n}, the panels are for ${left.k}x${left.n}`);
  }
  assertShape('gemmPackedLeft(C)', c, left.m, n);
  if (alpha === 0) {
    // gemm's own path for alpha = 0 (the kernels are not used)
    if (beta === 0) c.data.fill(0);
    else if (beta !== 1) for (let i = 0; i < c.data.length; i++) c.data[i] *= beta;
    return c;
  }
  wasmGemmPackedLeft(left, transB, alpha, b.data, beta, c.data);
  return c;
}

/** Shorthand: A·B. */
export function matmul(a: Mat, b: Mat, out?: Mat): Mat {
  return gemm(false, false, 1, a, b, 0, out);
}

/**
 * C[i,:] += alpha Σ_p a(i,p) B[p,:], with a(i,p) = A[i*rs + p*cs]; B is k×n row-major.
 * Unrolled by four over p so that each pass over a row of C does four multiply-adds per load.
 */
function gemmRowStream(
  m: number, n: number, k: number, alpha: number,
  ad: Float64Array, rs: number, cs: number, bd: Float64Array, cd: Float64Array,
): void {
  const k4 = k - (k % 4);
  // Block over columns of C so four rows of B stay in cache for wide matrices.
  const JB = 512;
  for (let j0 = 0; j0 < n; j0 += JB) {
    const j1 = Math.min(n, j0 + JB);
    for (let i = 0; i < m; i++) {
      const ci = i * n;
      const ai = i * rs;
      let p = 0;
      for (; p < k4; p += 4) {
        const a0 = alpha * ad[ai + p * cs];
        const a1 = alpha * ad[ai + (p + 1) * cs];
        const a2 = alpha * ad[ai + (p + 2) * cs];
        const a3 = alpha * ad[ai + (p + 3) * cs];
        if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue;
        const b0 = p * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
        for (let j = j0; j < j1; j++) {
          cd[ci + j] += a0 * bd[b0 + j] + a1 * bd[b1 + j] + a2 * bd[b2 + j] + a3 * bd[b3 + j];
        }
      }
      for (; p < k; p++) {
        const a0 = alpha * ad[ai + p * cs];
        if (a0 === 0) continue;
        const b0 = p * n;
        for (let j = j0; j < j1; j++) cd[ci + j] += a0 * bd[b0 + j];
      }
    }
  }
}

/** C[i,j] += alpha Σ_p A[i,p] B[j,p]: 2×2 tiles of dot products. */
function gemmNT(
  m: number, n: number, k: number, alpha: number,
  ad: Float64Array, bd: Float64Array, cd: Float64Array,
): void {
  const m2 = m - (m % 2);
  const n2 = n - (n % 2);
  for (let i = 0; i < m2; i += 2) {
    const a0 = i * k, a1 = a0 + k;
    for (let j = 0; j < n2; j += 2) {
      const b0 = j * k, b1 = b0 + k;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = ad[a0 + p], x1 = ad[a1 + p], y0 = bd[b0 + p], y1 = bd[b1 + p];
        s00 += x0 * y0; s01 += x0 * y1; s10 += x1 * y0; s11 += x1 * y1;
      }
      cd[i * n + j] += alpha * s00; cd[i * n + j + 1] += alpha * s01;
      cd[(i + 1) * n + j] += alpha * s10; cd[(i + 1) * n + j + 1] += alpha * s11;
    }
    for (let j = n2; j < n; j++) {
      const b0 = j * k;
      let s0 = 0, s1 = 0;
      for (let p = 0; p < k; p++) { s0 += ad[a0 + p] * bd[b0 + p]; s1 += ad[a1 + p] * bd[b0 + p]; }
      cd[i * n + j] += alpha * s0; cd[(i + 1) * n + j] += alpha * s1;
    }
  }
  for (let i = m2; i < m; i++) {
    const a0 = i * k;
    for (let j = 0; j < n; j++) {
      const b0 = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += ad[a0 + p] * bd[b0 + p];
      cd[i * n + j] += alpha * s;
    }
  }
}

/** C[i,j] += alpha Σ_p A[p,i] B[j,p] (rarely used; simple loops). */
function gemmTT(
  m: number, n: number, k: number, alpha: number,
  ad: Float64Array, bd: Float64Array, cd: Float64Array,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += ad[p * m + i] * bd[j * k + p];
      cd[i * n + j] += alpha * s;
    }
  }
}
