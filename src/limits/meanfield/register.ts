/**
 * The mean-field limit of two-layer networks in the Limit registry (src/limits/registry.ts): the
 * particle Wasserstein flow (theory/meanfield.md), one deterministic reference per sweep.
 */
import { parseActivation } from '../../finite/activation.js';
import type { Limit } from '../registry.js';
import { runMeanFieldLimit } from './run.js';

export const meanFieldLimit: Limit = {
  name: 'meanfield',
  pathwise: false,
  applies(model) {
    if (model.parameterization !== 'meanfield') return { ok: false, reason: 'needs the meanfield parameterization' };
    if (parseActivation(model.activation).family.kind === 'identity') return { ok: false, reason: 'a linear network is the deeplinear limit' };
    if (model.depth !== 1) return { ok: false, reason: `needs depth 1 (a two-layer network), got ${model.depth}` };
    return { ok: true, reason: 'two-layer network (depth 1) in the meanfield parameterization (Wasserstein gradient flow of the neurons)' };
  },
  prepare: (spec, data, opts = {}) => ({ run: () => runMeanFieldLimit(spec, { dataset: data, baseDir: opts.baseDir }) }),
  run: (spec, opts) => runMeanFieldLimit(spec, opts),
  citations: () => ['mei2018', 'chizat2018'],
  expectations: () => [{ metric: 'fTrainSup', exponent: -0.5, tolerance: 0.1 }, { metric: 'fTestSup', exponent: -0.5, tolerance: 0.1 }],
};
