/**
 * The mean-field parameterization (μP): NTK multipliers inside, 1/(γ0 h) at the readout, every rate
 * γ0² h (Bordelon–Pehlevan 2022, arXiv 2205.09653, §2; = μP of Yang–Hu 2021, arXiv 2011.14522).
 */
import { requirePositive } from '../../../core/errors.js';
import { type PresetDefinition, dense, nIn } from './options.js';

export const meanfieldPreset: PresetDefinition = {
  name: 'meanfield',
  source: 'Bordelon–Pehlevan 2022 (arXiv 2205.09653) §2; = μP of Yang–Hu 2021',
  build: (c) => {
    const g0 = requirePositive('model.gamma0', c.o.gamma0 ?? 1);
    const rate = g0 * g0 * c.h;
    const out = [];
    for (let l = 0; l <= c.L; l++) {
      const m = l === c.L ? 1 / (g0 * c.h) : c.sw / Math.sqrt(nIn(c, l));
      out.push(dense(c, l, m, 1, rate, c.sb > 0 ? { multiplier: c.sb, initStd: 1, rate } : null));
    }
    return { dense: out };
  },
  kernel: () => ({
    note: 'meanfield parameterization: the rate-weighted kernel at init is width-independent and the frozen-kernel ' +
      'dynamics are its γ0 → 0 (lazy) limit; the NNGP of the output vanishes as 1/(γ0² h)',
  }),
};
