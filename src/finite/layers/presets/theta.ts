/**
 * The two-layer θ parameterization f = (1/α_θ) Σ_k a_k φ(w_k·x), a ~ N(0, β_1²), w ~ N(0, β_2² I) with
 * β_1 = h^{−p1}, β_2 = h^{−p2}, α_θ = h^{q} (Luo, Xu, Ma, Zhang 2021, JMLR 22:71, Eq. (2); Li, Luo, Zhou 2024, arXiv 2404.04859).
 */
import { InputError, requireFinite } from '../../../core/errors.js';
import { type PresetDefinition, dense } from './options.js';

export const thetaPreset: PresetDefinition = {
  name: 'theta',
  source: 'Luo, Xu, Ma, Zhang 2021 (JMLR 22:71) Eq. (2); Li, Luo, Zhou 2024 (arXiv 2404.04859)',
  build: (c) => {
    if (c.L !== 1) throw new InputError('model.depth', `the theta parameterization is two-layer: depth must be 1, got ${c.L}`);
    const t = c.o.theta ?? { p1: 0, p2: 0, q: 0.5 };
    const beta1 = Math.pow(c.h, -requireFinite('model.theta.p1', t.p1));
    const beta2 = Math.pow(c.h, -requireFinite('model.theta.p2', t.p2));
    const a = Math.pow(c.h, requireFinite('model.theta.q', t.q));
    // first layer m = 1, s = β_2; second m = 1/α_θ, s = β_1.
    return { dense: [dense(c, 0, 1, beta2, 1, null), dense(c, 1, 1 / a, beta1, 1, null)] };
  },
  kernel: (h) => ({
    note: `theta parameterization: the tangent kernel at init depends on the width; computed at width ${h} ` +
      '(the frozen-kernel dynamics are its linearization, valid in the θ-lazy regime)',
  }),
};
