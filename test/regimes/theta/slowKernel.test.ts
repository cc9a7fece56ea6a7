import { describe, expect, it } from 'vitest';
import { eigh } from '../../../src/core/eigh.js';
import { mat } from '../../../src/core/matrix.js';
import { Rng } from '../../../src/core/rng.js';
import { boundRatio, slowMotion } from '../../../src/regimes/theta/slowKernel.js';
import { frozenLoss, frozenSpectrum } from '../../../src/regimes/theta/frozenRate.js';
import { randomKernel as kernel } from './randomKernel.js';

const times = Array.from({ length: 40 }, (_, i) => 0.01 * Math.pow(10, i / 8));

describe('boundRatio: the worst exponential rate of a loss record over 2λ/n', () => {
  it('is 1 for the single mode e^{−2λt/n}, ½ for a mode at half the rate, and ignores times past tEnd', () => {
    const n = 8, lam = 0.7;
    expect(boundRatio(times, times.map((t) => Math.exp((-2 * lam * t) / n)), Infinity, lam, n)).toBeCloseTo(1, 12);
    expect(boundRatio(times, times.map((t) => Math.exp((-lam * t) / n)), Infinity, lam, n)).toBeCloseTo(0.5, 12);
    // a late stall past tEnd does not count
    const stalled = times.map((t) => (t > 10 ? Math.exp((-2 * lam * 10) / n) : Math.exp((-2 * lam * t) / n)));
    expect(boundRatio(times, stalled, 10, lam, n)).toBeCloseTo(1, 12);
    expect(boundRatio(times, stalled, Infinity, lam, n)).toBeLessThan(0.9);
  });

  it('is ≥ 1 for every frozen-kernel curve (a sum of exponentials with rates ≥ 2λ_min/n) and tends to 1 at long times', () => {
    for (const seed of ['a', 'b', 'c']) {
      const n = 6, K = kernel(n, seed), rng = new Rng(`r-${seed}`);
      const sp = frozenSpectrum(K, Array.from({ length: n }, () => rng.normal()));
      const L0 = frozenLoss(sp, 0);
      const ratio = times.map((t) => frozenLoss(sp, t) / L0);
      const b = boundRatio(times, ratio, Infinity, sp.lambda[0], n);
      expect(b).toBeGreaterThanOrEqual(1 - 1e-12);
      const late = Array.from({ length: 5 }, (_, i) => 1e4 * (i + 1));
      expect(boundRatio(late, late.map((t) => frozenLoss(sp, t) / L0), Infinity, sp.lambda[0], n)).toBeLessThan(1.01);
    }
  });
});

describe('slowMotion: the kernel\'s relative motion on its slow subspace', () => {
  const n = 6, K = kernel(n, 'k0');
  const { values, vectors } = eigh(K);

  it('is 0 for an unmoved kernel and c for a kernel scaled by 1 + c, whatever the subspace', () => {
    for (const tF of [1e-3, n / values[2], 1e6]) {
      expect(slowMotion(K, K, tF).motion).toBeLessThan(1e-12);
      const scaled = mat(n, n, K.data.map((v) => 1.3 * v));
      const s = slowMotion(K, scaled, tF);
      expect(s.motion).toBeCloseTo(0.3, 10);
      expect(s.lambdaMinRatio).toBeCloseTo(1.3, 10);
    }
  });

  it('takes S = {k : λ_k t/n ≤ 1} (at least the slowest), and does not see a motion along a fast eigenvector', () => {
    expect(slowMotion(K, K, 1e9).modes).toBe(1);
    expect(slowMotion(K, K, n / values[2]).modes).toBe(3);
    expect(slowMotion(K, K, 1e-9).modes).toBe(n);
    // Θ_T = Θ_0 + c u u ᵀ along the fastest eigenvector: η = 0 on S = the three slowest, c/λ_max on S = all
    const u = Array.from({ length: n }, (_, i) => vectors.data[i * n + n - 1]);
    const moved = mat(n, n, K.data.map((v, ij) => v + 0.5 * u[Math.floor(ij / n)] * u[ij % n]));
    expect(slowMotion(K, moved, n / values[2]).motion).toBeLessThan(1e-10);
    expect(slowMotion(K, moved, 1e-9).motion).toBeCloseTo(0.5 / values[n - 1], 10);
    // along the slowest eigenvector: η = c/λ_min, and λ_min moves by c when the shift keeps it the smallest
    const w = Array.from({ length: n }, (_, i) => vectors.data[i * n]);
    const c = 0.2 * (values[1] - values[0]);
    const slowMoved = mat(n, n, K.data.map((v, ij) => v + c * w[Math.floor(ij / n)] * w[ij % n]));
    const s = slowMotion(K, slowMoved, n / values[2]);
    expect(s.motion).toBeCloseTo(c / values[0], 10);
    expect(s.lambdaMinRatio).toBeCloseTo((values[0] + c) / values[0], 10);
  });
});
