/**
 * One hidden unit's share of the empirical tangent kernel of a one-hidden-layer network
 * (theory/finite-width.md#neuron-kernel). With z = m1 W x + β1 b1, F = m2 Σ_j a_j φ(z_j) + β2 b2 and
 * m2² = c2/h, the empirical kernel is
 *
 *   Θ̂(x, x') = rb2 β2² + (1/h) Σ_j θ(ω_j)(x, x'),
 *   θ(ω)(x, x') = c2 [ r2 φ(u)φ(u') + a² φ'(u)φ'(u') Z(x)·Z(x') ],   Z(x)·Z(x') = r1 m1² x·x' + rb1 β1²,
 *
 * ω = (w, b, a) one unit's weights, u = m1 w·x + β1 b. The sampler draws ω from the initialization
 * and returns φ(u), φ'(u) at every input and a.
 */
import { InputError } from '../../core/errors.js';
import { type Mat, mat } from '../../core/matrix.js';
import type { Rng } from '../../core/rng.js';
import type { Architecture } from '../../finite/architecture.js';

export interface NeuronKernelModel {
  /** c2 = m2² h (width-independent for the NTK parameterization). */
  readonly c2: number;
  /** r2: rate of the readout weights. */
  readonly r2: number;
  /** rb2 β2²: the non-fluctuating readout-bias part of Θ̂. */
  readonly constant: number;
  /** Z: one row per input (the rows of `inputs`), d + 1 columns, Z(x)·Z(x') = r1 m1² x·x' + rb1 β1². */
  readonly features: Mat;
  /** Draw one unit: fills p = φ(u), q = φ'(u) (one entry per input) and returns its readout weight a. */
  sample(rng: Rng, p: Float64Array, q: Float64Array): number;
}

/** The unit model of `arch` on the rows of `inputs` (one hidden layer, one output, centred weights). */
export function neuronKernelModel(arch: Architecture, inputs: Mat): NeuronKernelModel {
  if (arch.depth !== 1 || arch.outputDim !== 1) {
    throw new InputError('model', `finite-width prediction: one hidden layer and one output only (got depth ${arch.depth}, ${arch.outputDim} outputs)`);
  }
  const [l1, l2] = arch.layers;
  if (l1.initMean !== 0 || l2.initMean !== 0) throw new InputError('model', 'finite-width prediction: non-centred initializations are not supported');
  if (arch.parameterization !== 'ntk') {
    throw new InputError('model.parameterization', `finite-width prediction: parameterization 'ntk' only (got '${arch.parameterization}'; theory/finite-width.md#scope)`);
  }
  const d = arch.inputDim;
  const N = inputs.rows;
  const c2 = l2.multiplier * l2.multiplier * arch.width;
  const b1 = l1.bias;
  const b2 = l2.bias;
  const constant = b2 ? b2.rate * b2.multiplier * b2.multiplier : 0;
  const features = mat(N, d + 1);
  const sw = Math.sqrt(l1.rate) * l1.multiplier;
  const sb = b1 ? Math.sqrt(b1.rate) * b1.multiplier : 0;
  for (let i = 0; i < N; i++) {
    for (let c = 0; c < d; c++) features.data[i * (d + 1) + c] = sw * inputs.data[i * d + c];
    features.data[i * (d + 1) + d] = sb;
  }
  const w = new Float64Array(d);
  const phi = arch.activation.f;
  const dphi = arch.activation.df;
  return {
    c2, r2: l2.rate, constant, features,
    sample(rng, p, q) {
      for (let c = 0; c < d; c++) w[c] = l1.initStd * rng.normal();
      const bias = b1 ? b1.multiplier * b1.initStd * rng.normal() : 0;
      const a = l2.initStd * rng.normal();
      for (let i = 0; i < N; i++) {
        let wx = 0;
        for (let c = 0; c < d; c++) wx += w[c] * inputs.data[i * d + c];
        const u = l1.multiplier * wx + bias;
        p[i] = phi(u);
        q[i] = dphi(u);
      }
      return a;
    },
  };
}
