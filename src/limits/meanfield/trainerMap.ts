/**
 * The trainer's two-layer networks as particle systems (theory/meanfield.md#trainer-map).
 *
 * A depth-1 architecture (theory/conventions.md#presets) without biases computes
 *   F(x) = m_2 Σ_j W2_j φ(m_1 W1_j·x) = (1/h) Σ_j a_j φ(w_j·x)
 * with the particles  a_j = h m_2 W2_j,  w_j = m_1 W1_j  (W1: h×d rows, W2: 1×h).
 * A gradient step θ ← θ − η r_θ ∂Loss/∂θ (rates r_1, r_2) is then exactly the explicit Euler step
 *   a_j ← a_j − dt E_n[r φ(w_j·x)],  w_j ← w_j − dt κ a_j E_n[r φ'(w_j·x) x]
 * of the particle flow (empirical.ts) with
 *   dt = η r_2 h m_2²,   κ = r_1 m_1² / (h² r_2 m_2²),
 * so mean-field time t = (r_2 h m_2²) τ, τ = η·steps the trainer's flow time. For the `meanfield`
 * preset (m_1 = σ_w/√d, m_2 = 1/(γ0 h), r = γ0² h): t = τ, κ = γ0² σ_w²/d, and the initial law is
 * a ~ N(0, 1/γ0²), w ~ N(0, σ_w²/d · I): all independent of h, which is what makes it mean-field.
 */
import { InputError } from '../../core/errors.js';
import type { Architecture } from '../../finite/architecture.js';
import { allocParams, type Params } from '../../finite/params.js';
import type { MeanFieldModel, ParticleInit, ParticleShape } from './particles.js';

export interface TrainerMap {
  /** a_j = aScale · W2_j (= h m_2). */
  readonly aScale: number;
  /** w_j = wScale · W1_j (= m_1). */
  readonly wScale: number;
  /** Mean-field time per unit of trainer flow time τ = η·steps (= r_2 h m_2²). */
  readonly timePerTau: number;
  /** κ = r_1 m_1² / (h² r_2 m_2²). */
  readonly wRate: number;
  /** The initial law of (a, w) implied by the trainer's initialization. */
  readonly init: ParticleInit & { kind: 'gaussian' };
  readonly shape: ParticleShape;
}

/**
 * The map of a depth-1 architecture without biases, one output, zero-mean init and constant
 * rates (InputErrors otherwise, naming the spec field).
 */
export function trainerMap(arch: Architecture): TrainerMap {
  if (arch.depth !== 1) throw new InputError('model.depth', `the mean-field particle system is a two-layer network: depth must be 1, got ${arch.depth}`);
  if (arch.outputDim !== 1) throw new InputError('data.outputs', `the mean-field limit supports one output, got ${arch.outputDim}`);
  const [l1, l2] = arch.layers;
  if (l1.bias || l2.bias) throw new InputError('model.biasStd', 'the mean-field particle system has no biases: biasStd must be 0');
  if (l1.initMean !== 0 || l2.initMean !== 0) throw new InputError('model.initMean', 'the mean-field limit needs zero-mean initial weights');
  if (arch.firstStepRates) throw new InputError('model.parameterization', 'first-step rates (ip-llr) are not supported by the mean-field limit');
  const h = arch.width;
  const aScale = h * l2.multiplier;
  const wScale = l1.multiplier;
  const timePerTau = l2.rate * h * l2.multiplier * l2.multiplier;
  const wRate = (l1.rate * l1.multiplier * l1.multiplier) / (h * timePerTau);
  return {
    aScale, wScale, timePerTau, wRate,
    init: { kind: 'gaussian', aStd: aScale * l2.initStd, wStd: wScale * l1.initStd, symmetric: false },
    shape: { m: h, d: arch.inputDim },
  };
}

/** The model (activation, κ) of the map. */
export function trainerModel(arch: Architecture, map: TrainerMap = trainerMap(arch)): MeanFieldModel {
  return { activation: arch.activation, wRate: map.wRate };
}

/** Particles (layout of particles.ts) of the trainer's parameters. */
export function paramsToParticles(arch: Architecture, params: Params, map: TrainerMap = trainerMap(arch)): Float64Array {
  const { m, d } = map.shape;
  const y = new Float64Array(m * (d + 1));
  const W1 = params.W[0].data;
  const W2 = params.W[1].data;
  for (let j = 0; j < m; j++) y[j] = map.aScale * W2[j];
  for (let i = 0; i < m * d; i++) y[m + i] = map.wScale * W1[i];
  return y;
}

/** The trainer's parameters (flat-backed) of a particle state. */
export function particlesToParams(arch: Architecture, y: Float64Array, map: TrainerMap = trainerMap(arch)): Params {
  const { m, d } = map.shape;
  if (y.length !== m * (d + 1)) throw new RangeError(`particlesToParams: state length ${y.length}, expected ${m * (d + 1)}`);
  const { params } = allocParams(arch);
  const W1 = params.W[0].data;
  const W2 = params.W[1].data;
  for (let j = 0; j < m; j++) W2[j] = y[j] / map.aScale;
  for (let i = 0; i < m * d; i++) W1[i] = y[m + i] / map.wScale;
  return params;
}
