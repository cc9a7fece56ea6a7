/**
 * Pooling layers for the convolutional network (theory/finite.md#convolution), NCHW as conv2d.ts:
 * average pooling over non-overlapping p×p windows (H, W divisible by p) and global average
 * pooling (one value per channel). Both are linear, so their vector–Jacobian product is the
 * transpose: every input of a window receives its output's cotangent divided by the window size.
 */

/** Average pooling with p×p windows: (n, C, H, W) → (n, C, H/p, W/p). */
export function avgPoolForward(n: number, c: number, h: number, w: number, p: number, x: Float64Array, out: Float64Array): Float64Array {
  if (h % p !== 0 || w % p !== 0) throw new RangeError(`avgPool: ${h}×${w} is not divisible into ${p}×${p} windows`);
  const ho = h / p, wo = w / p, inv = 1 / (p * p);
  for (let sc = 0; sc < n * c; sc++) {
    for (let i = 0; i < ho; i++) {
      for (let j = 0; j < wo; j++) {
        let s = 0;
        for (let u = 0; u < p; u++) for (let v = 0; v < p; v++) s += x[sc * h * w + (i * p + u) * w + j * p + v];
        out[sc * ho * wo + i * wo + j] = s * inv;
      }
    }
  }
  return out;
}

/** Transpose of {@link avgPoolForward}: dx (n·C·H·W, written) from dz (n·C·(H/p)·(W/p)). */
export function avgPoolVjp(n: number, c: number, h: number, w: number, p: number, dz: Float64Array, dx: Float64Array): Float64Array {
  const ho = h / p, wo = w / p, inv = 1 / (p * p);
  for (let sc = 0; sc < n * c; sc++) {
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) dx[sc * h * w + i * w + j] = dz[sc * ho * wo + Math.floor(i / p) * wo + Math.floor(j / p)] * inv;
    }
  }
  return dx;
}

/** Global average pooling: (n, C, H, W) → (n, C). */
export function globalAvgPoolForward(n: number, c: number, hw: number, x: Float64Array, out: Float64Array): Float64Array {
  for (let sc = 0; sc < n * c; sc++) {
    let s = 0;
    for (let q = 0; q < hw; q++) s += x[sc * hw + q];
    out[sc] = s / hw;
  }
  return out;
}

/** Transpose of {@link globalAvgPoolForward}. */
export function globalAvgPoolVjp(n: number, c: number, hw: number, dz: Float64Array, dx: Float64Array): Float64Array {
  for (let sc = 0; sc < n * c; sc++) {
    const g = dz[sc] / hw;
    for (let q = 0; q < hw; q++) dx[sc * hw + q] = g;
  }
  return dx;
}
