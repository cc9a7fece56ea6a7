import { describe, it, expect } from 'vitest';
import { mean, variance, std, stderr, quantile, rms, sorted } from '../../src/core/stats.js';

describe('stats', () => {
  it('mean, unbiased variance, sd and standard error of a textbook sample', () => {
    const x = [2, 4, 4, 4, 5, 5, 7, 9]; // Σ(x − 5)² = 32
    expect(mean(x)).toBe(5);
    expect(variance(x)).toBeCloseTo(32 / 7, 15);
    expect(std(x)).toBeCloseTo(Math.sqrt(32 / 7), 15);
    expect(stderr(x)).toBeCloseTo(Math.sqrt(32 / 7 / 8), 15);
  });

  it('variance is exact for data with a large offset (two-pass, no Σx² − n x̄² cancellation)', () => {
    // Deviations −6, −3, 3, 6 from 1e9 + 10: Σd² = 90, variance 30; the naive formula loses ~7 digits.
    expect(variance(Float64Array.from([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]))).toBe(30);
  });

  it('is NaN where undefined: empty mean, variance of one value', () => {
    expect(mean([])).toBeNaN();
    expect(variance([1])).toBeNaN();
    expect(stderr([1])).toBeNaN();
    expect(rms([])).toBeNaN();
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('quantile interpolates between order statistics like NumPy (type 7)', () => {
    // np.quantile([1, 2, 3, 4], [0, .25, .5, .9, 1]) = [1, 1.75, 2.5, 3.7, 4]
    const s = [1, 2, 3, 4];
    expect(quantile(s, 0)).toBe(1);
    expect(quantile(s, 0.25)).toBeCloseTo(1.75, 15);
    expect(quantile(s, 0.5)).toBeCloseTo(2.5, 15);
    expect(quantile(s, 0.9)).toBeCloseTo(3.7, 15);
    expect(quantile(s, 1)).toBe(4);
    expect(quantile(s, 1.5)).toBe(4); // clamped
    expect(quantile([7], 0.3)).toBe(7);
  });

  it('rms is √mean(x²); sorted copies and sorts numerically', () => {
    expect(rms([3, -4, 0, 0])).toBeCloseTo(2.5, 15);
    const x = [10, 9, 100, 1];
    expect(Array.from(sorted(x))).toEqual([1, 9, 10, 100]);
    expect(x).toEqual([10, 9, 100, 1]);
  });
});
