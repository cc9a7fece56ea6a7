import { describe, expect, it } from 'vitest';
import { mat } from '../../../src/core/matrix.js';
import { Rng } from '../../../src/core/rng.js';
import { runThetaCell } from '../../../src/regimes/theta/cell.js';
import { thetaExponents } from '../../../src/regimes/theta/exponents.js';
import { frozenLoss, frozenSpectrum, frozenTimeTo } from '../../../src/regimes/theta/frozenRate.js';
import { parseSpec } from '../../../src/spec/validate.js';
import { randomKernel as kernel } from './randomKernel.js';

describe('frozen-kernel loss curve', () => {
  it('equals the loss of the linear ODE dr/dt = −Θ r/n integrated by RK4 (independent of the eigendecomposition)', () => {
    const n = 6;
    const K = kernel(n, 'k');
    const rng = new Rng('r0');
    const r0 = Array.from({ length: n }, () => rng.normal());
    const sp = frozenSpectrum(K, r0);
    const rhs = (r: number[]) => r.map((_, i) => -r.reduce((a, rj, j) => a + K.data[i * n + j] * rj, 0) / n);
    let r = [...r0];
    const h = 1e-3;
    for (let step = 1; step <= 3000; step++) {
      const k1 = rhs(r), k2 = rhs(r.map((v, i) => v + 0.5 * h * k1[i])), k3 = rhs(r.map((v, i) => v + 0.5 * h * k2[i])), k4 = rhs(r.map((v, i) => v + h * k3[i]));
      r = r.map((v, i) => v + (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));
      if (step % 1000 === 0) {
        const L = r.reduce((a, v) => a + v * v, 0) / (2 * n);
        // RK4 global error ~ (h λ_max/n)^4 ≪ 1e-10 relative here
        expect(frozenLoss(sp, step * h) / L - 1).toBeCloseTo(0, 9);
      }
    }
  });

  it('the time to a loss level inverts the curve', () => {
    const sp = frozenSpectrum(kernel(5, 'k2'), [1, -2, 0.5, 0.3, 1]);
    for (const rho of [0.5, 1e-2, 1e-4]) {
      const t = frozenTimeTo(sp, rho);
      expect(frozenLoss(sp, t) / frozenLoss(sp, 0)).toBeCloseTo(rho, 8);
    }
  });
});

describe('loss rate of trained θ networks against their frozen kernel', () => {
  const spec = parseSpec({ data: { source: 'gaussian', n: 8, nTest: 4, dim: 4, target: 'teacher-relu', seed: 0 }, model: { parameterization: 'theta', depth: 1, activation: 'relu' } });
  const run = (gamma: number, gammaPrime: number, m: number) => runThetaCell({
    spec, baseDir: '.', width: m, point: { gamma, gammaPrime }, exponents: thetaExponents({ gamma, gammaPrime }), seed: 0,
    tolerance: 1e-4, stopLossRatio: 1e-3, horizon: 50, savesPerDecade: 6, rateLevel: 1e-2,
  });

  it('in the θ-lazy area (NTK point, log κ/log m = 1/2) the loss reaches 1 % at the frozen kernel’s time, better at larger width', () => {
    const wide = run(0.5, 0, 1024), narrow = run(0.5, 0, 32);
    expect(wide.status).toBe('ok');
    // deviations from the frozen kernel scale as RD ~ m^{-1/2} ≈ 0.03 at m = 1024 (this data set: λ_min/λ_max ≈ 0.01, so
    // the time to 1 % is set by well-separated modes; measured |ratio − 1| ≤ 0.02 at m ≥ 512 over two seeds)
    expect(Math.abs(wide.rateRatio - 1)).toBeLessThan(0.1);
    expect(wide.maxLogDeviation).toBeLessThan(narrow.maxLogDeviation);
    expect(wide.rdInput).toBeLessThan(narrow.rdInput / 3); // RD ∝ m^{-1/2}: factor ≈ 5.7 expected over m 32 → 1024
  });

  it('in the condensed region (γ, γ′) = (1.5, 0) the initial kernel does not predict the loss decay', () => {
    const c = run(1.5, 0, 256);
    expect(c.status).toBe('ok');
    expect(Number.isFinite(c.stopTime)).toBe(true);
    // the initial kernel is ~1/κ too small: training is far faster than it predicts (measured ratio ≫ 2)
    expect(c.rateRatio).toBeGreaterThan(2);
    expect(c.rdInput).toBeGreaterThan(1);
  });
});
