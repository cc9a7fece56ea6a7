/** The standard (PyTorch-style) parameterization: m = 1, s_l = σ_w/√n_{l−1}, r = 1; its NTK grows with the width. */
import { type PresetDefinition, dense, nIn } from './options.js';

export const standardPreset: PresetDefinition = {
  name: 'standard',
  source: 'usual PyTorch-style init; its NTK grows with width',
  build: (c) => {
    const out = [];
    for (let l = 0; l <= c.L; l++) {
      out.push(dense(c, l, 1, c.sw / Math.sqrt(nIn(c, l)), 1, c.sb > 0 ? { multiplier: 1, initStd: c.sb, rate: 1 } : null));
    }
    return { dense: out };
  },
  kernel: (h) => ({
    note: `standard parameterization: its tangent kernel grows linearly with the width; computed at width ${h} ` +
      '(finite-width comparison only, no infinite-width limit)',
  }),
};
