/**
 * 2-D convolution of a batch as one matrix product (the im2col form; theory/finite.md#convolution):
 * the k×k patches of all n images become the columns of a (C_in·kh·kw) × (n·H'·W') matrix X, so that
 *
 *   Z = m · W X  (C_out × n·H'·W'),   ∂W = m · G Xᵀ,   ∂X = m · Wᵀ G,
 *
 * with W the C_out × (C_in·kh·kw) weight of conv2d.ts and G the cotangent of Z; ∂x is ∂X summed back
 * onto the pixels (col2im). Same map as conv2d.ts (which is its check, test/finite/layers/conv.test.ts),
 * with the products on the engine's gemm (src/core/gemm.ts); summation order differs, so the two
 * agree to rounding.
 */
import { gemm } from '../../core/gemm.js';
import { mat } from '../../core/matrix.js';
import { type Conv2dShape, convOutputSize } from './conv2d.js';

/** The patch matrix X ((C_in·kh·kw) × (n·H'·W'), column s·H'W' + i·W' + j) of `x` (n images). */
export function im2col(s: Conv2dShape, n: number, x: Float64Array): Float64Array {
  const { height: Ho, width: Wo } = convOutputSize(s);
  const { cIn, height: H, width: W, kh, kw, pad } = s;
  const N = n * Ho * Wo, X = new Float64Array(cIn * kh * kw * N);
  for (let c = 0; c < cIn; c++) {
    for (let u = 0; u < kh; u++) {
      for (let v = 0; v < kw; v++) {
        const rowOff = ((c * kh + u) * kw + v) * N;
        for (let smp = 0; smp < n; smp++) {
          const xc = (smp * cIn + c) * H * W, col0 = rowOff + smp * Ho * Wo;
          for (let i = 0; i < Ho; i++) {
            const ii = i + u - pad;
            if (ii < 0 || ii >= H) continue;
            for (let j = 0; j < Wo; j++) {
              const jj = j + v - pad;
              if (jj >= 0 && jj < W) X[col0 + i * Wo + j] = x[xc + ii * W + jj];
            }
          }
        }
      }
    }
  }
  return X;
}

/** z (n·C_out·H'·W', sample-major) ← m·conv(W, x) + β b, via {@link im2col}; returns z and X. */
export function convForwardGemm(
  s: Conv2dShape, n: number, x: Float64Array, w: Float64Array, b: Float64Array | null, m: number, beta: number,
): { z: Float64Array; cols: Float64Array } {
  const { height: Ho, width: Wo } = convOutputSize(s);
  const K = s.cIn * s.kh * s.kw, HW = Ho * Wo, N = n * HW;
  const cols = im2col(s, n, x);
  const Z = gemm(false, false, m, mat(s.cOut, K, w), mat(K, N, cols)).data;
  const z = new Float64Array(n * s.cOut * HW);
  for (let o = 0; o < s.cOut; o++) {
    const bias = b ? beta * b[o] : 0;
    for (let smp = 0; smp < n; smp++) {
      const src = o * N + smp * HW, dst = (smp * s.cOut + o) * HW;
      for (let q = 0; q < HW; q++) z[dst + q] = Z[src + q] + bias;
    }
  }
  return { z, cols };
}

/** Adds ∂W (and ∂b) of the cotangent g of z into dw (db); returns ∂x (n·C_in·H·W). */
export function convVjpGemm(
  s: Conv2dShape, n: number, cols: Float64Array, w: Float64Array, m: number, beta: number, g: Float64Array,
  dw: Float64Array, db: Float64Array | null,
): Float64Array {
  const { height: Ho, width: Wo } = convOutputSize(s);
  const { cIn, cOut, height: H, width: W, kh, kw, pad } = s;
  const K = cIn * kh * kw, HW = Ho * Wo, N = n * HW;
  const G = new Float64Array(cOut * N);
  for (let o = 0; o < cOut; o++) {
    let sb = 0;
    for (let smp = 0; smp < n; smp++) {
      const src = (smp * cOut + o) * HW, dst = o * N + smp * HW;
      for (let q = 0; q < HW; q++) { G[dst + q] = g[src + q]; sb += g[src + q]; }
    }
    if (db) db[o] += beta * sb;
  }
  gemm(false, true, m, mat(cOut, N, G), mat(K, N, cols), 1, mat(cOut, K, dw));
  const dX = gemm(true, false, m, mat(cOut, K, w), mat(cOut, N, G)).data;
  const dx = new Float64Array(n * cIn * H * W);
  for (let c = 0; c < cIn; c++) {
    for (let u = 0; u < kh; u++) {
      for (let v = 0; v < kw; v++) {
        const rowOff = ((c * kh + u) * kw + v) * N;
        for (let smp = 0; smp < n; smp++) {
          const xc = (smp * cIn + c) * H * W, col0 = rowOff + smp * HW;
          for (let i = 0; i < Ho; i++) {
            const ii = i + u - pad;
            if (ii < 0 || ii >= H) continue;
            for (let j = 0; j < Wo; j++) {
              const jj = j + v - pad;
              if (jj >= 0 && jj < W) dx[xc + ii * W + jj] += dX[col0 + i * Wo + j];
            }
          }
        }
      }
    }
  }
  return dx;
}
