import { describe, expect, it } from 'vitest';
import { parseActivation } from '../../src/finite/activation.js';
import { ipSigma } from '../../src/finite/parameterization.js';

describe('elu activation', () => {
  const elu = parseActivation('elu');
  it('is x for x > 0 and e^x − 1 below, with the derivative of central differences (1e-9) and C¹ at 0', () => {
    expect(elu.f(2.5)).toBe(2.5);
    expect(elu.f(-1)).toBeCloseTo(Math.exp(-1) - 1, 15);
    expect(elu.f(-40)).toBeCloseTo(-1, 15);
    for (const x of [-3, -0.7, -1e-3, 1e-3, 0.4, 5]) {
      const e = 1e-6;
      expect(Math.abs((elu.f(x + e) - elu.f(x - e)) / (2 * e) - elu.df(x))).toBeLessThan(1e-9);
    }
    expect(Math.abs(elu.df(1e-12) - elu.df(-1e-12))).toBeLessThan(1e-11);
  });
  it('takes the ip preset σ = 1 (σ² = 1 as tanh in the authors\' code) and no parameter', () => {
    expect(ipSigma(elu)).toBe(1);
    expect(() => parseActivation('elu:2')).toThrow(/takes no parameter/);
  });
});
