import { describe, expect, it } from 'vitest';
import { solveDepthOde, solveInfiniteDepth } from '../../../src/limits/proportional/depthOde.js';
import { regressionCurve } from '../../../src/limits/proportional/marchenkoPastur.js';
import { ISOTROPIC, type ProportionalProblem } from '../../../src/limits/proportional/problem.js';
import { solveResidualProportional } from '../../../src/limits/proportional/residual.js';
import { solveProportional } from '../../../src/limits/proportional/solve.js';

const T = 12;
const prob: ProportionalProblem = { depth: 1, nu: 1, gammaBar: 1, eta: 0.05, sigma: 0.3, steps: T, data: { kind: 'repeated', alpha: 2 }, spectrum: ISOTROPIC };
const supDiff = (a: Float64Array, b: Float64Array) => a.reduce((m, x, t) => Math.max(m, Math.abs(x - b[t])), 0);

describe('the depth ODE at L = ∞ (theory/proportional.md#depth-ode)', () => {
  it('β0 = 0 is the plain network of depth 1, exactly (every grid)', () => {
    const p = solveProportional(prob);
    for (const K of [1, 8]) expect(supDiff(solveDepthOde(prob, 0, K).testLoss, p.testLoss)).toBe(0);
  });

  it('Heun in τ has order 2: differences between K and 2K fall by 4 (β0 = 1)', () => {
    const curves = [16, 32, 64, 128].map((K) => solveDepthOde(prob, 1, K).testLoss);
    const d = curves.slice(1).map((c, i) => supDiff(c, curves[i]));
    // Order 1 would give ratios 2, order 3 ratios 8; the O(h³) term moves the ratio by O(h).
    for (let i = 1; i < d.length; i++) expect(d[i - 1] / d[i]).toBeGreaterThan(3.6);
    for (let i = 1; i < d.length; i++) expect(d[i - 1] / d[i]).toBeLessThan(4.4);
  });

  it('t = 0 closed form: the backward kernel at τ = 0 is e^{β0²}, so L(0) = ½(1 + e^{β0²} + σ²)', () => {
    for (const b0 of [0.5, 1, 1.5]) {
      const s = solveInfiniteDepth({ ...prob, steps: 1 }, b0, 64);
      // Heun on y' = b·y (b = β0²) has log-error −b³h²/6 + b⁴h³/8 + …; Richardson removes the h²
      // term and leaves −b⁴h³/48, i.e. ½e^b·b⁴/(48K³) on the loss (9.7e-6 at β0 = 1.5, K = 64):
      // allowed 1.5× that. An order-1 scheme or a wrong kernel would miss by ≥ 1e-3.
      const b = b0 * b0;
      const bound = 1.5 * 0.5 * Math.exp(b) * b ** 4 / (48 * 64 ** 3);
      const err = Math.abs(s.testLoss[0] - 0.5 * (1 + Math.exp(b) + 0.09));
      expect(err).toBeLessThan(bound);
      // The reported residual (u_2K's estimated error) is an upper estimate of the extrapolation's.
      expect(s.residual).toBeGreaterThan(err);
    }
  });

  it('NTK at ν → ∞: least squares with rate η e^{β0²}(2 + β0²) from an initial error of variance 1 + e^{β0²}', () => {
    // The L → ∞ limit of theory/proportional.md#residual-network's η[2(1+β²)^L + Lβ²(1+β²)^(L−1)].
    const nu = 1e4;
    for (const b0 of [0.5, 1]) {
      const e = Math.exp(b0 * b0);
      const s = solveInfiniteDepth({ ...prob, nu, gammaBar: 1 / Math.sqrt(nu) }, b0, 32);
      const c = regressionCurve(2, 0.05 * e * (2 + b0 * b0), 0.3, 1 + e, T);
      // O(1/ν) feature motion: 1e-4 as in the finite-L check.
      for (let t = 0; t <= T; t++) expect(Math.abs(s.testLoss[t] - c.testLoss[t])).toBeLessThan(1e-4);
    }
  });

  it('the block recursion converges to it at rate 1/L: fitted order −1, Richardson in L agrees to O(1/L²)', () => {
    const inf = solveInfiniteDepth(prob, 0.5, 64).testLoss;
    const Ls = [8, 16, 32, 64];
    const curves = Ls.map((L) => solveResidualProportional(prob, L, 0.5).testLoss);
    const gaps = curves.map((c) => supDiff(c, inf));
    const lx = Ls.map(Math.log);
    const ly = gaps.map(Math.log);
    const mx = lx.reduce((a, b) => a + b) / 4;
    const my = ly.reduce((a, b) => a + b) / 4;
    const slope = lx.reduce((a, x, i) => a + (x - mx) * (ly[i] - my), 0) / lx.reduce((a, x) => a + (x - mx) ** 2, 0);
    // A rate 1/√L gives −0.5, 1/L² gives −2: ±0.05 leaves room for the O(1/L²) term at L = 8.
    expect(slope).toBeGreaterThan(-1.05);
    expect(slope).toBeLessThan(-0.95);
    const rich = curves[3].map((x, t) => 2 * x - curves[2][t]);
    expect(supDiff(rich, inf)).toBeLessThan(gaps[3] / 8);
  });
});
