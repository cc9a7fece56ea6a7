import { describe, expect, it } from 'vitest';
import { mat } from '../../src/core/matrix.js';
import { type Loss, lossAndGradient, makeLoss, pointLoss, pointLossDerivative } from '../../src/finite/loss.js';
import { LOSSES, naivePointLoss } from './helpers.js';

const points: [number, number][] = [[0.3, 1], [-1.7, 1], [2.4, -1], [0.1, -1], [1.9, 1], [-0.6, -0.5]];

describe('losses', () => {
  for (const name of LOSSES) {
    const loss = makeLoss(name, 7);
    it(`${name}: value matches the definition and the derivative matches central differences (1e-8)`, () => {
      for (const [f, y] of points) {
        expect(pointLoss(loss, f, y)).toBeCloseTo(naivePointLoss(name, f, y, 7), 13);
        if (name === 'hinge' && Math.abs(1 - f * y) < 1e-3) continue; // kink
        const e = 1e-6;
        const fd = (pointLoss(loss, f + e, y) - pointLoss(loss, f - e, y)) / (2 * e);
        // truncation ~e²·ℓ''' ≈ 1e-12·β², rounding ~1e-16/e = 1e-10
        expect(Math.abs(fd - pointLossDerivative(loss, f, y))).toBeLessThan(1e-8);
      }
    });
  }

  it('Loss = (1/(α² n)) Σ_i Σ_a ℓ and its gradient is (1/(α² n)) ∂ℓ/∂f', () => {
    const f = mat(3, 2, Float64Array.from([0.3, -1, 2, 0.5, -0.2, 1.1]));
    const y = mat(3, 2, Float64Array.from([1, -1, 1, 1, -1, -1]));
    for (const name of LOSSES) {
      const loss = makeLoss(name);
      const g = mat(3, 2);
      const alpha = 2.5;
      const v = lossAndGradient(loss, f, y, alpha, g);
      let s = 0;
      for (let i = 0; i < 6; i++) {
        s += naivePointLoss(name, f.data[i], y.data[i]);
        expect(g.data[i]).toBeCloseTo(pointLossDerivative(loss, f.data[i], y.data[i]) / (alpha * alpha * 3), 14);
      }
      expect(v).toBeCloseTo(s / (alpha * alpha * 3), 14);
      expect(lossAndGradient(loss, f, y, alpha)).toBe(v);
    }
  });

  it('the soft hinge tends to the hinge as β grows (gap ≤ log 2 / β)', () => {
    for (const beta of [10, 100, 1000]) {
      const soft: Loss = { kind: 'soft-hinge', beta };
      for (const [f, y] of points) {
        const gap = pointLoss(soft, f, y) - pointLoss({ kind: 'hinge' }, f, y);
        expect(gap).toBeGreaterThanOrEqual(0);
        expect(gap).toBeLessThanOrEqual(Math.LN2 / beta + 1e-15);
      }
    }
  });

  it('do not overflow at huge margins', () => {
    expect(pointLoss({ kind: 'logistic' }, -1e4, 1)).toBeCloseTo(1e4, 8);
    expect(pointLoss({ kind: 'logistic' }, 1e4, 1)).toBe(0);
    expect(pointLoss({ kind: 'soft-hinge', beta: 20 }, -1e4, 1)).toBeCloseTo(1 + 1e4, 8);
    expect(pointLossDerivative({ kind: 'soft-hinge', beta: 20 }, -1e4, 1)).toBe(-1);
    expect(pointLossDerivative({ kind: 'logistic' }, 1e4, 1)).toBeCloseTo(0, 300);
  });
});
