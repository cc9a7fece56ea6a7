/**
 * The particle velocity of a risk given by samples (theory/meanfield.md#empirical-velocity; Chizat, Bach 2018,
 * arXiv 1805.09545, §2.1; theory/meanfield.md#empirical-velocity):
 *
 *   R = (1/(α² n)) Σ_i ℓ(α F(x_i), y_i),   F(x) = (1/m) Σ_j a_j φ(w_j·x),
 *   r_i = ℓ'(α F(x_i), y_i)/α   (mse: r_i = F(x_i) − y_i/α),
 *   ȧ_j = −(1/n) Σ_i r_i φ(w_j·x_i),   ẇ_j = −κ a_j (1/n) Σ_i r_i φ'(w_j·x_i) x_i.
 *
 * (α, ℓ as in the trainer, theory/conventions.md#output-scale: the loss is divided by α².) Used for the empirical risk on
 * a fixed data set and, batch by batch, for the online risk (field.ts). Cost O(n m d) per call,
 * memory O(n): two passes over (particle, sample) pairs (F first, then the velocities), each
 * recomputing w_j·x_i (sampleKernels.ts) — with d small, loops beat materialising the n×m
 * pre-activations for gemm.
 */
import type { Mat } from '../../core/matrix.js';
import { type PointLoss, pointLoss, pointLossDerivative } from '../../finite/loss.js';
import type { MeanFieldModel, ParticleShape } from './particles.js';
import {
  type SampleKernels, abreluSampleKernels, compiledAbreluSampleKernels, genericSampleKernels,
} from './sampleKernels.js';

/** The empirical risk on a fixed data set (x n×d, y length n). */
export interface EmpiricalRisk {
  readonly kind: 'empirical';
  readonly x: Mat;
  readonly y: Float64Array;
  readonly loss: PointLoss;
  /** Output scale α of the trainer (f = α F, loss / α²); 1 for the plain mean-field risk. */
  readonly alpha: number;
}

/** Velocity of the sample risk for up to `nMax` samples at a time. */
export interface SampleField {
  /** dy ← velocity at y for samples (x: rows 0..n−1, y: length ≥ n). Returns the risk on them. */
  velocity(y: Float64Array, x: Mat, target: Float64Array, dy: Float64Array): number;
  /** The risk on the samples, and F on them into `fOut` when given. */
  risk(y: Float64Array, x: Mat, target: Float64Array, fOut?: Float64Array): number;
}

/** The kernels for `model`'s activation (`unrolled` false: plain loops, for tests). */
export function sampleKernelsFor(model: MeanFieldModel, d: number, unrolled = true): SampleKernels {
  const fam = model.activation.family;
  if (fam.kind === 'abrelu' || fam.kind === 'identity') {
    const p = fam.kind === 'abrelu' ? fam.a : 1;
    const q = fam.kind === 'abrelu' ? fam.b : 1;
    return unrolled ? compiledAbreluSampleKernels(p, q, d) : abreluSampleKernels(p, q);
  }
  return genericSampleKernels(model.activation.f, model.activation.df);
}

export function createSampleField(
  model: MeanFieldModel, shape: ParticleShape, nMax: number, loss: PointLoss, alpha: number, unrolled = true,
): SampleField {
  const { m, d } = shape;
  const kernels = sampleKernelsFor(model, d, unrolled);
  const kappa = model.wRate;
  const F = new Float64Array(nMax);
  const r = new Float64Array(nMax);
  const gw = new Float64Array(d);

  /** F(x_i) = (1/m) Σ_j a_j φ(w_j·x_i) for the n samples into F. */
  function forward(y: Float64Array, x: Mat): void {
    const n = x.rows;
    if (n > nMax || x.cols !== d) throw new RangeError(`sample field: got ${n}×${x.cols} samples, expected at most ${nMax}×${d}`);
    F.fill(0, 0, n);
    kernels.forward({ m, d, n, y, X: x.data }, F);
    for (let i = 0; i < n; i++) F[i] /= m;
  }

  function lossValue(n: number, target: Float64Array, withResidual: boolean): number {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const fi = alpha * F[i];
      s += pointLoss(loss, fi, target[i]);
      if (withResidual) r[i] = pointLossDerivative(loss, fi, target[i]) / alpha;
    }
    return s / (alpha * alpha * n);
  }

  function velocity(y: Float64Array, x: Mat, target: Float64Array, dy: Float64Array): number {
    forward(y, x);
    const R = lossValue(x.rows, target, true);
    kernels.backward({ m, d, n: x.rows, y, X: x.data }, r, kappa, dy, gw);
    return R;
  }

  function risk(y: Float64Array, x: Mat, target: Float64Array, fOut?: Float64Array): number {
    forward(y, x);
    if (fOut) fOut.set(F.subarray(0, x.rows));
    return lossValue(x.rows, target, false);
  }

  return { velocity, risk };
}
