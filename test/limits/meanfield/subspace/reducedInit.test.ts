import { describe, expect, it } from 'vitest';
import { sphereInitQuadrature } from '../../../../src/limits/meanfield/subspace/reducedInit.js';

describe('quadrature of the reduced sphere init (theory/subspace-reduction.md#quadrature)', () => {
  it('reproduces the moments of u = w_1 for w uniform on S³: E u² = 1/4, E u⁴ = 1/8, E u⁶ = 5/64 (Beta(1/2, 3/2) law of u²)', () => {
    const { measure, y } = sphereInitQuadrature(5);
    const { M, weights } = measure;
    const mom = (p: number) => { let s = 0; for (let i = 0; i < M; i++) s += weights[i] * y[M + i] ** p; return s; };
    expect(mom(0)).toBeCloseTo(1, 14);
    expect(mom(2)).toBeCloseTo(1 / 4, 14);
    expect(mom(4)).toBeCloseTo(1 / 8, 14);
    expect(mom(6)).toBeCloseTo(5 / 64, 14);
    // a = ±1 with equal weight and independent of u; every point on the unit sphere
    let ea = 0, eau = 0;
    for (let i = 0; i < M; i++) {
      ea += weights[i] * y[i];
      eau += weights[i] * y[i] * y[M + i] ** 2;
      expect(y[M + i] ** 2 + y[2 * M + i] ** 2).toBeCloseTo(1, 14);
    }
    expect(Math.abs(ea)).toBeLessThan(1e-15);
    expect(Math.abs(eau)).toBeLessThan(1e-15);
  });
  it('is exact only up to degree 2N − 1: with N = 2 the 6th moment is off', () => {
    const { measure, y } = sphereInitQuadrature(2);
    let s = 0;
    for (let i = 0; i < measure.M; i++) s += measure.weights[i] * y[measure.M + i] ** 6;
    expect(Math.abs(s - 5 / 64)).toBeGreaterThan(1e-3);
  });
});
