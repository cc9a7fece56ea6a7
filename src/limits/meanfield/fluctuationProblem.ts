/**
 * The two-layer mean-field problem of a spec on the exact population risk, as the finite-width
 * fluctuation needs it (theory/finite-width-meanfield.md#setting): the particle model and initial
 * law of the trainer's networks (trainerMap.ts), the population risk of the data module's target,
 * the mean-field record times and the Euler scheme of gradient descent (theory/meanfield.md#trainer-map).
 */
import { InputError } from '../../core/errors.js';
import type { Dataset } from '../../data/dataset.js';
import { makeLoss, isPointLoss } from '../../finite/loss.js';
import type { Spec } from '../../spec/types.js';
import type { MeanFieldModel, ParticleInit } from './particles.js';
import type { PopulationRisk } from './population.js';
import { riskOf, trainerSteps, widthFreeMap } from './run.js';
import type { Scheme } from './steppers.js';

export interface MeanFieldPopulationProblem {
  model: MeanFieldModel;
  risk: PopulationRisk;
  init: ParticleInit;
  /** Input dimension d. */
  d: number;
  /** Mean-field record times (times[0] = 0) and the trainer's flow times τ = lr · step. */
  times: number[];
  taus: number[];
  scheme: Scheme;
}

/** The problem of `spec` (training.method `gd`, population risk); InputError otherwise. */
export function meanFieldPopulationProblem(spec: Spec, data: Dataset): MeanFieldPopulationProblem {
  const t = spec.training;
  if (t.method !== 'gd') throw new InputError('training.method', `the mean-field fluctuation is implemented for gd (Euler steps of the particle flow), got ${JSON.stringify(t.method)}`);
  const { arch, map } = widthFreeMap(spec, data);
  const loss = makeLoss(t.loss, t.softHingeBeta);
  if (!isPointLoss(loss)) throw new InputError('training.loss', 'the mean-field limit has one output per input');
  const risk = riskOf(spec, data, { particles: 1, seeds: 1, risk: 'population', init: 'gaussian', method: 'particles' }, loss);
  if (risk.kind !== 'population') throw new Error('unreachable');
  const steps = trainerSteps(spec, data.x.rows);
  const dt = map.timePerTau * t.lr;
  return {
    model: { activation: arch.activation, wRate: map.wRate }, risk, init: map.init, d: arch.inputDim,
    times: steps.map((s) => s * dt), taus: steps.map((s) => s * t.lr), scheme: { kind: 'euler', dt },
  };
}
