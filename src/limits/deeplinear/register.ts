/**
 * The deep-linear limit in the Limit registry (src/limits/registry.ts): Bordelon–Pehlevan
 * recursions for linear networks in the meanfield parameterization (theory/deeplinear.md), one
 * deterministic reference per sweep.
 */
import { parseActivation } from '../../finite/activation.js';
import type { Limit } from '../registry.js';
import { runDeepLinearLimit } from './run.js';

export const deepLinearLimit: Limit = {
  name: 'deeplinear',
  pathwise: false,
  applies(model) {
    if (model.parameterization !== 'meanfield') return { ok: false, reason: 'needs the meanfield parameterization' };
    if (parseActivation(model.activation).family.kind !== 'identity') return { ok: false, reason: 'needs the identity activation' };
    return { ok: true, reason: `identity activation with the meanfield parameterization (deep linear network, depth ${model.depth}, γ0 = ${model.gamma0})` };
  },
  prepare: (spec, data, opts = {}) => ({ run: () => runDeepLinearLimit(spec, { dataset: data, baseDir: opts.baseDir }) }),
  run: (spec, opts) => runDeepLinearLimit(spec, opts),
  citations: () => ['bordelon2022', 'saxe2014'],
  expectations: () => [{ metric: 'fTrainSup', exponent: -0.5, tolerance: 0.1 }, { metric: 'fTestSup', exponent: -0.5, tolerance: 0.1 }],
};
