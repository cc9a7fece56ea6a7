/**
 * The `ip` and `ip-llr` presets of src/finite/parameterization.ts against the table of
 * theory/conventions.md#presets, number by number (written out here from the spec, not from the code):
 *
 *   multipliers m_l: 1 (l = 1, with bias), 1/h (every l ≥ 2)
 *   init std s_l:    σ/√(d+1) (l = 1, weights and bias), σ (every l ≥ 2)
 *   rates r_l:       h (first, last), h² (intermediate)
 *   ip-llr first step only: h^{(L+1)/2} (first, last), h^{(L+2)/2} (intermediate); then as ip
 *   σ² = 2 for ReLU, 4 for GELU, 1 for tanh (authors' code).
 *
 * Tolerance: the numbers are products of a few powers, so they agree to a few ulps (1e-12 relative).
 */
import { describe, expect, it } from 'vitest';
import { parseActivation } from '../../../src/finite/activation.js';
import { buildArchitecture } from '../../../src/finite/parameterization.js';
import { parseSpec } from '../../../src/spec/validate.js';

const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.abs(b));

function ip(preset: 'ip' | 'ip-llr', activation: string, d: number, h: number, L: number) {
  return buildArchitecture({ inputDim: d, outputDim: 2, width: h, depth: L, activation: parseActivation(activation), parameterization: preset });
}

describe('ip and ip-llr presets match theory/conventions.md#presets', () => {
  const cases = [
    { act: 'relu', sigma2: 2 },
    { act: 'gelu', sigma2: 4 },
    { act: 'tanh', sigma2: 1 },
  ];
  for (const { act, sigma2 } of cases) {
    for (const [d, h, L] of [[5, 8, 3], [784, 64, 6]]) {
      it(`ip with ${act}, d = ${d}, h = ${h}, L = ${L}: multipliers, init std with σ² = ${sigma2}, rates, first-layer bias, no first-step rates`, () => {
        const a = ip('ip', act, d, h, L);
        const sigma = Math.sqrt(sigma2);
        expect(a.layers).toHaveLength(L + 1);
        a.layers.forEach((lay, l) => {
          const first = l === 0;
          const last = l === L;
          close(lay.multiplier, first ? 1 : 1 / h);
          close(lay.initStd, first ? sigma / Math.sqrt(d + 1) : sigma);
          close(lay.rate, first || last ? h : h * h);
          expect(lay.initMean).toBe(0);
          if (first) {
            expect(lay.bias).not.toBeNull();
            close(lay.bias!.multiplier, 1);
            close(lay.bias!.initStd, sigma / Math.sqrt(d + 1));
            close(lay.bias!.rate, h);
          } else {
            expect(lay.bias).toBeNull();
          }
        });
        expect(a.firstStepRates).toBeUndefined();
        expect(a.centred).toBe(false);
        expect(a.alpha).toBe(1);
      });

      it(`ip-llr with ${act}, d = ${d}, h = ${h}, L = ${L}: as ip, plus first-step rates h^((L+1)/2) at the ends and h^((L+2)/2) inside`, () => {
        const a = ip('ip-llr', act, d, h, L);
        const b = ip('ip', act, d, h, L);
        expect(a.layers).toEqual(b.layers);
        const fsr = a.firstStepRates!;
        expect(fsr.weights).toHaveLength(L + 1);
        for (let l = 0; l <= L; l++) {
          const end = l === 0 || l === L;
          close(fsr.weights[l], end ? Math.pow(h, (L + 1) / 2) : Math.pow(h, (L + 2) / 2));
        }
        // the only bias (first layer) takes the first layer's first-step rate
        close(fsr.biases[0], Math.pow(h, (L + 1) / 2));
      });
    }
  }

  it('a spec with parameterization ip gets σ from the activation by default (weightStd = √2 for ReLU, 2 for GELU, 1 for tanh)', () => {
    const std = (activation: string) => parseSpec({ model: { parameterization: 'ip', activation } }).model.weightStd;
    close(std('relu'), Math.SQRT2);
    close(std('gelu'), 2);
    close(std('tanh'), 1);
  });
});
