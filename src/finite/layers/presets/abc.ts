/**
 * Explicit width exponents (Yang–Hu 2021, arXiv 2011.14522, §3): m_l = c^m_l h^{−a_l},
 * s_l = c^s_l h^{−b_l}, r_l = h^{−c_l}; biases (σ_b > 0) enter as σ_b·b with b ~ N(0, 1) and rate h^{−c_l}.
 */
import { InputError, requireFinite, show } from '../../../core/errors.js';
import type { DenseLayer } from '../layer.js';
import { type AbcParameterization, type PresetDefinition, dense } from './options.js';

function perLayer(where: string, v: number | number[] | undefined, L1: number, dflt: number): number[] {
  if (v === undefined) return new Array(L1).fill(dflt);
  if (typeof v === 'number') return new Array(L1).fill(requireFinite(where, v));
  if (!Array.isArray(v) || v.length !== L1) {
    throw new InputError(where, `must be a number or an array of ${L1} numbers (one per layer), got ${show(v)}`);
  }
  return v.map((x, i) => requireFinite(`${where}[${i}]`, x));
}

export const abcPreset: PresetDefinition = {
  name: 'abc',
  source: 'Yang–Hu 2021 (arXiv 2011.14522) §3',
  build: (c) => {
    const p = c.o.parameterization as AbcParameterization;
    const L1 = c.L + 1;
    const a = perLayer('model.parameterization.a', p.a, L1, 0);
    const b = perLayer('model.parameterization.b', p.b, L1, 0);
    const e = perLayer('model.parameterization.c', p.c, L1, 0);
    const cm = perLayer('model.parameterization.cm', p.cm, L1, 1);
    const cs = perLayer('model.parameterization.cs', p.cs, L1, 1);
    const out: DenseLayer[] = [];
    for (let l = 0; l < L1; l++) {
      const bias = c.sb > 0 ? { multiplier: c.sb, initStd: 1, rate: Math.pow(c.h, -e[l]) } : null;
      out.push(dense(c, l, cm[l] * Math.pow(c.h, -a[l]), cs[l] * Math.pow(c.h, -b[l]), Math.pow(c.h, -e[l]), bias, 0, { a: a[l], b: b[l], c: e[l] }));
    }
    return { dense: out };
  },
  kernel: (h) => ({ note: `explicit abc parameterization: kernel scales computed at width ${h}` }),
};
