/** Geiger et al.'s lazy/feature scan: the NTK multipliers, no biases, centred by default (Geiger, Spigler, Jacot, Wyart 2020, arXiv 1906.08034, §2). */
import { type PresetDefinition, dense, nIn } from './options.js';

export const geigerPreset: PresetDefinition = {
  name: 'geiger',
  source: 'Geiger, Spigler, Jacot, Wyart 2020 (arXiv 1906.08034) §2',
  centredByDefault: true,
  build: (c) => {
    const out = [];
    for (let l = 0; l <= c.L; l++) out.push(dense(c, l, c.sw / Math.sqrt(nIn(c, l)), 1, 1, null));
    return { dense: out };
  },
};
