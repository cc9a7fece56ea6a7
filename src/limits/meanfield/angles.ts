/**
 * Angle statistics for targets on a d_H-dimensional subspace H (theory/meanfield.md#angles; Hajjar, Chizat 2023,
 * arXiv 2211.08771, low-dimensional targets; theory/meanfield.md#angles):
 *
 *   cos θ_j = ‖w_{j,H}‖ / ‖w_j‖,
 *
 * the alignment of neuron j with H. For any isotropic initial law of w in R^d (Gaussian or
 * uniform on a sphere), w/‖w‖ is uniform on the sphere and cos²θ ~ Beta(d_H/2, (d − d_H)/2)
 * (ratio of χ²_{d_H} to χ²_{d_H} + χ²_{d−d_H}). H is spanned by the first d_H coordinates, or by
 * the orthonormal rows of a given basis.
 */
import type { Mat } from '../../core/matrix.js';
import type { ParticleShape } from './particles.js';

/** The subspace H: the first `dim` coordinates, or the span of orthonormal rows (dim × d). */
export type Subspace = { kind: 'coordinates'; dim: number } | { kind: 'basis'; rows: Mat };

/** cos θ_j for every particle of state y (0 for w_j = 0), into `out` (length m). */
export function subspaceCosines(
  y: Float64Array, shape: ParticleShape, H: Subspace, out: Float64Array = new Float64Array(shape.m),
): Float64Array {
  const { m, d } = shape;
  for (let j = 0; j < m; j++) {
    const o = m + j * d;
    let all = 0;
    for (let k = 0; k < d; k++) all += y[o + k] * y[o + k];
    let inH = 0;
    if (H.kind === 'coordinates') {
      for (let k = 0; k < H.dim; k++) inH += y[o + k] * y[o + k];
    } else {
      const B = H.rows;
      for (let r = 0; r < B.rows; r++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += B.data[r * d + k] * y[o + k];
        inH += s * s;
      }
    }
    out[j] = all > 0 ? Math.sqrt(inH / all) : 0;
  }
  return out;
}

/** log Γ(x), x > 0 (Lanczos, g = 7, 9 terms; relative error ~1e-15). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const z = x - 1;
  let s = c[0];
  for (let i = 1; i < 9; i++) s += c[i] / (z + i);
  const t = z + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/**
 * Regularized incomplete beta I_x(a, b) = P(B ≤ x) for B ~ Beta(a, b): the continued fraction of
 * Numerical Recipes §6.4 (modified Lentz), on the side where it converges fast.
 */
export function betaCdf(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  const front = Math.exp(lnFront);
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const TINY = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 500; m++) {
    const m2 = 2 * m;
    let num = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + num * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + num / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    num = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + num * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + num / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** Kolmogorov–Smirnov statistic sup_x |F_n(x) − F(x)| of a sample against a continuous CDF. */
export function ksStatistic(sample: ArrayLike<number>, cdf: (x: number) => number): number {
  const xs = Float64Array.from(sample).sort();
  const n = xs.length;
  let D = 0;
  for (let i = 0; i < n; i++) {
    const F = cdf(xs[i]);
    D = Math.max(D, (i + 1) / n - F, F - i / n);
  }
  return D;
}
