/** The NTK parameterization: m_l = σ_w/√n_{l−1}, s = 1, r = 1 (Jacot, Gabriel, Hongler 2018, arXiv 1806.07572, Eq. (1)). */
import { type PresetDefinition, dense, nIn } from './options.js';

export const ntkPreset: PresetDefinition = {
  name: 'ntk',
  source: 'Jacot, Gabriel, Hongler 2018 (arXiv 1806.07572), Eq. (1)',
  build: (c) => {
    const out = [];
    for (let l = 0; l <= c.L; l++) {
      out.push(dense(c, l, c.sw / Math.sqrt(nIn(c, l)), 1, 1, c.sb > 0 ? { multiplier: c.sb, initStd: 1, rate: 1 } : null));
    }
    return { dense: out };
  },
};
