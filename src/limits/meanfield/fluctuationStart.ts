/**
 * The exact prefactor at the start, C(0) (theory/finite-width-meanfield.md#exact-start): before
 * the flow acts, f_0(x) = (1/m) Σ_j a_j φ(w_j·x) is a mean of m i.i.d. terms with mean 0 (a is
 * centred and independent of w), so m · Var f_0(x) = E[a²] E[φ(w·x)²] exactly at every m. For a
 * positively 1-homogeneous φ, φ(u) = u φ(1) for u > 0 and |u| φ(−1) for u < 0, and w·x is
 * symmetric about 0, so E[φ(w·x)²] = E[(w·x)²] (φ(1)² + φ(−1)²)/2, with E[(w·x)²] = wStd² ‖x‖²
 * (Gaussian law) or radius² ‖x‖²/d (uniform on the sphere). The value for a set of inputs is the
 * mean over them (the prediction's convention).
 */
import { InputError } from '../../core/errors.js';
import type { Mat } from '../../core/matrix.js';
import type { Activation } from '../../finite/activation.js';
import type { ParticleInit } from './particles.js';

export function exactStartPrefactor(init: ParticleInit, activation: Activation, x: Mat): number {
  if (activation.family.kind !== 'abrelu') throw new InputError('model.activation', 'the exact C(0) needs a positively 1-homogeneous activation (ABReLU)');
  if (init.symmetric) throw new InputError('init', 'the exact C(0) is for i.i.d. particles; the symmetric pairing makes f_0 = 0');
  const d = x.cols;
  const a2 = init.kind === 'gaussian' ? init.aStd ** 2 : init.aScale ** 2;
  const w2 = init.kind === 'gaussian' ? init.wStd ** 2 : init.radius ** 2 / d;
  const phi = (activation.f(1) ** 2 + activation.f(-1) ** 2) / 2;
  let s = 0;
  for (let i = 0; i < x.rows; i++) for (let c = 0; c < d; c++) s += x.data[i * d + c] ** 2;
  return (a2 * w2 * phi * s) / x.rows;
}
