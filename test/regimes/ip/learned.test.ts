import { describe, expect, it } from 'vitest';
import { learnedFraction, signAccuracy } from '../../../src/regimes/ip/cell.js';

describe('learning beyond the best constant (theory/ip.md#learned-fraction)', () => {
  const y = [1, -1, 1, 1, -1, 1]; // mean 1/3
  it('is 0 for the best constant, 1 for a perfect fit and negative for any other constant', () => {
    expect(learnedFraction(y.map(() => 1 / 3), y, 1)).toBeCloseTo(0, 14);
    expect(learnedFraction(y, y, 1)).toBe(1);
    // constant c: 1 − Σ(c − y)²/Σ(y − ȳ)² = −n(c − ȳ)²/Σ(y − ȳ)² (Σ(y − ȳ)² = 6 − 6/9 = 16/3)
    expect(learnedFraction(y.map(() => 70), y, 1)).toBeCloseTo(-6 * (70 - 1 / 3) ** 2 / (16 / 3), 9);
  });
  it('takes the mean per output column', () => {
    // two columns, rows (1, 10), (3, 20): column means 2 and 15 → the best constant gives 0
    expect(learnedFraction([2, 15, 2, 15], [1, 10, 3, 20], 2)).toBeCloseTo(0, 14);
  });
  it('sign accuracy counts matching signs of ±1 labels', () => {
    expect(signAccuracy([0.3, -2, 5, -0.1], [1, -1, -1, 1], 1)).toBe(0.5);
    expect(signAccuracy([1], [1, 1], 2)).toBeNaN();
  });
});
