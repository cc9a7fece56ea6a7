/**
 * The θ parameterization (theory/theta.md#exponents, theory/theta.md#multilayer).
 *
 * Two layers (depth 1): f = (1/α_θ) Σ_k a_k φ(w_k·x), a ~ N(0, β_1²), w ~ N(0, β_2² I), β_1 = h^{−p1},
 * β_2 = h^{−p2}, α_θ = h^{q} (Luo, Xu, Ma, Zhang 2021, JMLR 22:71, Eq. (2)).
 *
 * L ≥ 2 hidden layers (Li, Luo, Zhou 2024, arXiv 2404.04859, fully connected form): the input layer
 * W^[1] ~ N(0, β_2²), the hidden-to-hidden layers W^[l] ~ N(0, β_h²) with β_h = h^{−ph} (default ph = ½),
 * the readout a ~ N(0, β_1²) and the output divided by α_θ; every weight is a plain parameter (multiplier 1,
 * rate 1) except the readout's 1/α_θ. The depth-1 layers are built exactly as before (same numbers).
 */
import { InputError, requireFinite } from '../../../core/errors.js';
import type { DenseLayer } from '../layer.js';
import { type PresetDefinition, dense } from './options.js';

/** Hidden-to-hidden exponent when none is given: β_h = h^{−1/2} (then κ = h^{1−γ} at every depth). */
export const THETA_DEFAULT_PH = 0.5;

export const thetaPreset: PresetDefinition = {
  name: 'theta',
  source: 'Luo, Xu, Ma, Zhang 2021 (JMLR 22:71) Eq. (2); Li, Luo, Zhou 2024 (arXiv 2404.04859)',
  build: (c) => {
    const t = c.o.theta ?? { p1: 0, p2: 0, q: 0.5 };
    const beta1 = Math.pow(c.h, -requireFinite('model.theta.p1', t.p1));
    const beta2 = Math.pow(c.h, -requireFinite('model.theta.p2', t.p2));
    const a = Math.pow(c.h, requireFinite('model.theta.q', t.q));
    if (c.L === 1) {
      if (t.ph !== undefined) throw new InputError('model.theta.ph', 'the hidden-to-hidden exponent needs depth ≥ 2');
      // first layer m = 1, s = β_2; second m = 1/α_θ, s = β_1.
      return { dense: [dense(c, 0, 1, beta2, 1, null), dense(c, 1, 1 / a, beta1, 1, null)] };
    }
    if (c.L < 1) throw new InputError('model.depth', `the theta parameterization needs depth ≥ 1, got ${c.L}`);
    const betaH = Math.pow(c.h, -requireFinite('model.theta.ph', t.ph ?? THETA_DEFAULT_PH));
    const out: DenseLayer[] = [dense(c, 0, 1, beta2, 1, null)];
    for (let l = 1; l < c.L; l++) out.push(dense(c, l, 1, betaH, 1, null));
    out.push(dense(c, c.L, 1 / a, beta1, 1, null));
    return { dense: out };
  },
  kernel: (h) => ({
    note: `theta parameterization: the tangent kernel at init depends on the width; computed at width ${h} ` +
      '(the frozen-kernel dynamics are its linearization, valid in the θ-lazy regime)',
  }),
};
