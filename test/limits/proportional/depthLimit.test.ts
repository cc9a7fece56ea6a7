import { describe, expect, it } from 'vitest';
import { ISOTROPIC, type ProportionalProblem } from '../../../src/limits/proportional/problem.js';
import { solveResidualProportional } from '../../../src/limits/proportional/residual.js';

const T = 12;
const prob: ProportionalProblem = { depth: 1, nu: 1, gammaBar: 1, eta: 0.05, sigma: 0.3, steps: T, data: { kind: 'repeated', alpha: 2 }, spectrum: ISOTROPIC };

const supDiff = (a: Float64Array, b: Float64Array) => a.reduce((m, x, t) => Math.max(m, Math.abs(x - b[t])), 0);

describe('residual DMFT as L → ∞ (theory/proportional.md#depth-rate)', () => {
  it('β0 = 1/2: sup-over-time differences between L and 2L halve with L (rate 1/L), ratios → 2 from below', () => {
    const Ls = [4, 8, 16, 32, 64];
    const curves = Ls.map((L) => solveResidualProportional(prob, L, 0.5).testLoss);
    const d = Ls.slice(0, -1).map((_, i) => supDiff(curves[i], curves[i + 1]));
    const ratios = d.slice(0, -1).map((x, i) => x / d[i + 1]);
    // A rate 1/√L would give ratios √2 ≈ 1.41, a rate 1/L² ratios 4: the band [1.85, 2.05] excludes both.
    for (const r of ratios) expect(r).toBeGreaterThan(1.85);
    for (const r of ratios) expect(r).toBeLessThan(2.05);
    // Monotone approach to 2 (the next-order term B/L² shrinks): the last ratio is the closest.
    expect(Math.abs(ratios[ratios.length - 1] - 2)).toBeLessThan(Math.abs(ratios[0] - 2));
  });

  it('Richardson: 2·L_64 − L_32 agrees with 2·L_32 − L_16 to far better than L_64 with L_32', () => {
    const [c16, c32, c64] = [16, 32, 64].map((L) => solveResidualProportional(prob, L, 0.5).testLoss);
    const r1 = c32.map((x, t) => 2 * x - c16[t]);
    const r2 = c64.map((x, t) => 2 * x - c32[t]);
    // With error A/L + B/L², the extrapolations differ by B/(2·32²)·…, O(1/L²): a factor ≈ L smaller.
    expect(supDiff(r1, r2)).toBeLessThan(supDiff(c32, c64) / 8);
  });
});
