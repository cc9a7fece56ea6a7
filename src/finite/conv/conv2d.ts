/**
 * 2-D convolution as a self-contained layer: forward and vector–Jacobian product
 * (theory/finite.md#convolution). Images are stored channel-major per sample, `x[n][c][i][j]`
 * flattened row-major (NCHW), stride 1, zero padding `pad` on every side:
 *
 *   z[s][o][i][j] = m · Σ_{c, u, v} W[o][c][u][v] · x[s][c][i + u − pad][j + v − pad] + β · b[o],
 *
 * with output size H' = H + 2 pad − kh + 1 (same for W). `m` is the layer's multiplier: in the NTK
 * and Geiger parameterizations `m = σ_w / √(C_in · kh · kw)` with `W ~ N(0, 1)`, so the number of
 * channels plays the role of the width (theory/finite.md#convolution).
 */

/** Shape of a convolution layer. */
export interface Conv2dShape {
  readonly cIn: number;
  readonly cOut: number;
  /** Input height and width. */
  readonly height: number;
  readonly width: number;
  /** Kernel height and width. */
  readonly kh: number;
  readonly kw: number;
  /** Zero padding on each side. */
  readonly pad: number;
}

/** Output height and width of `s`. */
export function convOutputSize(s: Conv2dShape): { height: number; width: number } {
  const height = s.height + 2 * s.pad - s.kh + 1, width = s.width + 2 * s.pad - s.kw + 1;
  if (!(height > 0 && width > 0)) throw new RangeError(`conv2d: kernel ${s.kh}×${s.kw} with padding ${s.pad} does not fit a ${s.height}×${s.width} image`);
  return { height, width };
}

/** Number of weights C_out·C_in·kh·kw. */
export function convWeightCount(s: Conv2dShape): number {
  return s.cOut * s.cIn * s.kh * s.kw;
}

/**
 * z ← m·conv(W, x) + β b for `n` samples. `x` has n·C_in·H·W entries, `w` C_out·C_in·kh·kw,
 * `b` C_out (or null), `out` n·C_out·H'·W' (written).
 */
export function conv2dForward(
  s: Conv2dShape, n: number, x: Float64Array, w: Float64Array, b: Float64Array | null,
  m: number, beta: number, out: Float64Array,
): Float64Array {
  const { height: Ho, width: Wo } = convOutputSize(s);
  const { cIn, cOut, height: H, width: W, kh, kw, pad } = s;
  for (let smp = 0; smp < n; smp++) {
    for (let o = 0; o < cOut; o++) {
      const zo = (smp * cOut + o) * Ho * Wo;
      const bias = b ? beta * b[o] : 0;
      for (let i = 0; i < Ho; i++) {
        for (let j = 0; j < Wo; j++) {
          let acc = 0;
          for (let c = 0; c < cIn; c++) {
            const xc = (smp * cIn + c) * H * W, wc = (o * cIn + c) * kh * kw;
            for (let u = 0; u < kh; u++) {
              const ii = i + u - pad;
              if (ii < 0 || ii >= H) continue;
              for (let v = 0; v < kw; v++) {
                const jj = j + v - pad;
                if (jj < 0 || jj >= W) continue;
                acc += w[wc + u * kw + v] * x[xc + ii * W + jj];
              }
            }
          }
          out[zo + i * Wo + j] = m * acc + bias;
        }
      }
    }
  }
  return out;
}

/**
 * Vector–Jacobian product of {@link conv2dForward}: given `dz` (n·C_out·H'·W') it adds
 * ∂/∂W into `dw`, ∂/∂b into `db` (when given) and, when `dx` is given, writes ∂/∂x into `dx`.
 */
export function conv2dVjp(
  s: Conv2dShape, n: number, x: Float64Array, w: Float64Array, m: number, beta: number, dz: Float64Array,
  dw: Float64Array, db: Float64Array | null, dx: Float64Array | null,
): void {
  const { height: Ho, width: Wo } = convOutputSize(s);
  const { cIn, cOut, height: H, width: W, kh, kw, pad } = s;
  if (dx) dx.fill(0, 0, n * cIn * H * W);
  for (let smp = 0; smp < n; smp++) {
    for (let o = 0; o < cOut; o++) {
      const zo = (smp * cOut + o) * Ho * Wo;
      for (let i = 0; i < Ho; i++) {
        for (let j = 0; j < Wo; j++) {
          const g = dz[zo + i * Wo + j];
          if (g === 0) continue;
          if (db) db[o] += beta * g;
          const gm = m * g;
          for (let c = 0; c < cIn; c++) {
            const xc = (smp * cIn + c) * H * W, wc = (o * cIn + c) * kh * kw;
            for (let u = 0; u < kh; u++) {
              const ii = i + u - pad;
              if (ii < 0 || ii >= H) continue;
              for (let v = 0; v < kw; v++) {
                const jj = j + v - pad;
                if (jj < 0 || jj >= W) continue;
                dw[wc + u * kw + v] += gm * x[xc + ii * W + jj];
                if (dx) dx[xc + ii * W + jj] += gm * w[wc + u * kw + v];
              }
            }
          }
        }
      }
    }
  }
}
