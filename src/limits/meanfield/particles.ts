/**
 * Particles of the two-layer mean-field network (theory/meanfield.md#model; Mei, Montanari, Nguyen 2018,
 * arXiv 1804.06561, Eq. (2); Chizat, Bach 2018, arXiv 1805.09545, §2.1):
 *
 *   f(x) = (1/m) Σ_j a_j φ(w_j·x),   particle j = (a_j ∈ R, w_j ∈ R^d).
 *
 * State layout (the ODE unknowns, m·(d+1) numbers in one Float64Array `y`):
 *   y[0 .. m)              a_0 … a_{m−1}
 *   y[m + j·d .. m+(j+1)d)  w_j (row j of the m×d matrix W, row-major)
 *
 * Initial laws ({@link ParticleInit}): i.i.d. Gaussian; w uniform on a sphere with a = ±scale;
 * either one optionally with the symmetric pairing (a, w) / (−a, −w) (particle j + m/2 mirrors
 * particle j). For ABReLU(p, q) a pair contributes a(φ(w·x) − φ(−w·x)) = (p + q) a w·x, so a
 * paired network is linear in x — the structure the odd-target reduction keeps for all times
 * (theory/meanfield.md#odd-target). Both laws are symmetric under (a, w) → (−a, −w) at m = ∞.
 */
import { InputError, requirePositiveInt } from '../../core/errors.js';
import type { Mat } from '../../core/matrix.js';
import type { Rng } from '../../core/rng.js';
import type { Activation } from '../../finite/activation.js';

/** Sizes of a particle system: m particles in R^{1+d}. */
export interface ParticleShape {
  readonly m: number;
  readonly d: number;
}

/** Length of the state vector: m(d+1). */
export function stateLength(s: ParticleShape): number {
  return s.m * (s.d + 1);
}

/** Initial law of one particle (a, w) ∈ R × R^d. */
export type ParticleInit =
  /** a ~ N(0, aStd²), w ~ N(0, wStd² I_d), independent. */
  | { kind: 'gaussian'; aStd: number; wStd: number; symmetric: boolean }
  /** w uniform on the sphere of radius `radius`, a = ±aScale with a fair random sign. */
  | { kind: 'sphere'; radius: number; aScale: number; symmetric: boolean };

/**
 * Draw m particles in R^{1+d} from `init` (a stream `rng`). With `symmetric`, m must be even:
 * particles 0..m/2−1 are drawn (a then w, particle by particle) and particle j + m/2 is
 * (−a_j, −w_j). Returns a fresh state vector (layout above).
 */
export function sampleParticles(init: ParticleInit, shape: ParticleShape, rng: Rng): Float64Array {
  const { m, d } = shape;
  requirePositiveInt('particles', m);
  requirePositiveInt('dimension', d);
  if (init.symmetric && m % 2 !== 0) {
    throw new InputError('particles', `the symmetric pairing needs an even number of particles, got ${m}`);
  }
  const y = new Float64Array(stateLength(shape));
  const drawn = init.symmetric ? m / 2 : m;
  for (let j = 0; j < drawn; j++) drawOne(init, y, shape, j, rng);
  if (init.symmetric) {
    for (let j = 0; j < drawn; j++) {
      const k = j + drawn;
      y[k] = -y[j];
      for (let i = 0; i < d; i++) y[m + k * d + i] = -y[m + j * d + i];
    }
  }
  return y;
}

function drawOne(init: ParticleInit, y: Float64Array, { m, d }: ParticleShape, j: number, rng: Rng): void {
  const o = m + j * d;
  switch (init.kind) {
    case 'gaussian':
      y[j] = init.aStd * rng.normal();
      for (let i = 0; i < d; i++) y[o + i] = init.wStd * rng.normal();
      return;
    case 'sphere': {
      y[j] = init.aScale * rng.sign();
      let s = 0;
      do {
        s = 0;
        for (let i = 0; i < d; i++) {
          const g = rng.normal();
          y[o + i] = g;
          s += g * g;
        }
      } while (s === 0);
      const f = init.radius / Math.sqrt(s);
      for (let i = 0; i < d; i++) y[o + i] *= f;
      return;
    }
    default: {
      const never: never = init;
      throw new Error(`unknown particle init ${JSON.stringify(never)}`);
    }
  }
}

/**
 * f(x_i) = (1/m) Σ_j a_j φ(w_j·x_i) for each row x_i of X (n×d), into `out` (length n).
 * Cost O(n m d); ABReLU activations use a branch instead of a call.
 */
export function evaluateParticles(
  y: Float64Array, shape: ParticleShape, act: Activation, X: Mat, out: Float64Array = new Float64Array(X.rows),
): Float64Array {
  const { m, d } = shape;
  if (X.cols !== d) throw new RangeError(`evaluateParticles: inputs have ${X.cols} columns, particles live in R^${d}`);
  const xd = X.data;
  out.fill(0);
  const fam = act.family;
  const lin = fam.kind === 'abrelu' ? fam.a : 0;
  const pos = fam.kind === 'abrelu' ? fam.b : 0;
  const f = act.f;
  for (let j = 0; j < m; j++) {
    const aj = y[j];
    const o = m + j * d;
    for (let i = 0; i < X.rows; i++) {
      const xo = i * d;
      let z = 0;
      for (let k = 0; k < d; k++) z += y[o + k] * xd[xo + k];
      const phi = fam.kind === 'abrelu' ? (z > 0 ? pos * z : lin * z) : f(z);
      out[i] += aj * phi;
    }
  }
  const inv = 1 / m;
  for (let i = 0; i < X.rows; i++) out[i] *= inv;
  return out;
}

/**
 * Per-particle a_j² − ‖w_j‖²/κ (κ the rate of w, see {@link MeanFieldModel}). Conserved by the
 * flow when φ is positively 1-homogeneous (ReLU without bias): theory/meanfield.md#balance.
 */
export function balance(y: Float64Array, shape: ParticleShape, wRate = 1, out: Float64Array = new Float64Array(shape.m)): Float64Array {
  const { m, d } = shape;
  for (let j = 0; j < m; j++) {
    let s = 0;
    const o = m + j * d;
    for (let k = 0; k < d; k++) s += y[o + k] * y[o + k];
    out[j] = y[j] * y[j] - s / wRate;
  }
  return out;
}

/**
 * ½ (1/m) Σ_j a_j w_j (length d): for an odd activation part (ReLU: relu(u) − relu(−u) = u) and
 * a symmetric configuration, the network is exactly x ↦ (this)·x (theory/meanfield.md#odd-target).
 */
export function linearCoefficient(y: Float64Array, shape: ParticleShape, out: Float64Array = new Float64Array(shape.d)): Float64Array {
  const { m, d } = shape;
  out.fill(0);
  for (let j = 0; j < m; j++) {
    const aj = y[j];
    const o = m + j * d;
    for (let k = 0; k < d; k++) out[k] += aj * y[o + k];
  }
  for (let k = 0; k < d; k++) out[k] *= 0.5 / m;
  return out;
}

/**
 * The model the particles describe: activation φ and the rate κ of the hidden weights. The flow is
 *   ȧ_j = −E[(f − f*) φ(w_j·x)],   ẇ_j = −κ a_j E[(f − f*) φ'(w_j·x) x]
 * (κ = 1 is theory/meanfield.md#model; the trainer's `meanfield` networks have κ = γ0² σ_w² / d,
 * theory/meanfield.md#trainer-map).
 */
export interface MeanFieldModel {
  readonly activation: Activation;
  /** κ > 0: rate multiplier of w relative to a. */
  readonly wRate: number;
}
