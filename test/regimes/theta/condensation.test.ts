import { describe, expect, it } from 'vitest';
import { mat } from '../../../src/core/matrix.js';
import { Rng } from '../../../src/core/rng.js';
import { effectiveDirections } from '../../../src/regimes/theta/condensation.js';

/** Rows of a m × d matrix from a function of (row, column). */
function rows(m: number, d: number, f: (k: number, i: number) => number) {
  const data = new Float64Array(m * d);
  for (let k = 0; k < m; k++) for (let i = 0; i < d; i++) data[k * d + i] = f(k, i);
  return mat(m, d, data);
}

describe('effective number of neuron directions N_eff = 1/tr(M²) (theory/theta.md#condensation)', () => {
  it('is d for the d coordinate axes, 1 for rows on one line (either sign, any norm), c for c equally filled orthogonal lines', () => {
    expect(effectiveDirections(rows(5, 5, (k, i) => (k === i ? 2 + k : 0)))).toBeCloseTo(5, 12);
    expect(effectiveDirections(rows(7, 4, (k, i) => (k % 2 ? -1 : 3) * (k + 1) * [1, -2, 0.5, 3][i]))).toBeCloseTo(1, 12);
    expect(effectiveDirections(rows(12, 6, (k, i) => (i === k % 3 ? (k % 2 ? -1 : 1) : 0)))).toBeCloseTo(3, 12);
  });

  it('skips zero rows and is NaN when every row is zero', () => {
    expect(effectiveDirections(rows(4, 4, (k, i) => (k < 2 && i === k ? 1 : 0)))).toBeCloseTo(2, 12);
    expect(effectiveDirections(rows(3, 2, () => 0))).toBeNaN();
  });

  it('Monte Carlo: for Gaussian rows E tr M² = 1/D + (1 − 1/D)/m (mean of 400 draws within 5 standard errors)', () => {
    const rng = new Rng(7).child('directions');
    for (const [m, D] of [[8, 4], [32, 32]] as const) {
      const v: number[] = [];
      for (let s = 0; s < 400; s++) v.push(1 / effectiveDirections(rows(m, D, () => rng.normal())));
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
      expect(Math.abs(mean - (1 / D + (1 - 1 / D) / m))).toBeLessThan(5 * sd / Math.sqrt(v.length));
    }
  });
});
