import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { trainProportionalNetwork } from '../../../src/finite/deepLinearProportional.js';
import { regressionCurve } from '../../../src/limits/proportional/marchenkoPastur.js';
import { ISOTROPIC, powerLawSpectrum, type ProportionalProblem } from '../../../src/limits/proportional/problem.js';
import { solveProportional } from '../../../src/limits/proportional/solve.js';

const base: ProportionalProblem = { depth: 0, nu: 1, gammaBar: 1, eta: 0.3, sigma: 0.5, steps: 30, data: { kind: 'repeated', alpha: 2 }, spectrum: ISOTROPIC };

function maxDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('proportional DMFT against closed forms', () => {
  it('depth 0 is gradient descent on least squares: Marchenko–Pastur closed form (1e-12)', () => {
    // Both are exact limits; the tolerance is rounding plus the spectrally accurate quadrature.
    for (const alpha of [0.5, 2, 3.5]) {
      const s = solveProportional({ ...base, data: { kind: 'repeated', alpha } });
      const c = regressionCurve(alpha, 0.3, 0.5, 1, 30);
      expect(s.status).toBe('ok');
      expect(maxDiff(s.testLoss, c.testLoss)).toBeLessThan(1e-12);
      expect(maxDiff(s.trainLoss, c.trainLoss)).toBeLessThan(1e-12);
    }
  });

  it('NTK parameterization at ν → ∞ is least squares with rate (L+1)η from an initial error of variance 2', () => {
    // theory/proportional.md#lazy: corrections vanish as ν → ∞; measured 1e-6 at ν = 1e4, and the
    // same comparison at ν = 4 is off by more than 1e-3 (so the check can fail).
    for (const depth of [1, 3]) {
      const c = regressionCurve(2, 0.1 * (depth + 1), 0.3, 2, 30);
      const at = (nu: number) => solveProportional({ ...base, depth, nu, gammaBar: 1 / Math.sqrt(nu), eta: 0.1, sigma: 0.3 });
      const far = at(1e4);
      expect(maxDiff(far.testLoss, c.testLoss)).toBeLessThan(1e-4);
      expect(maxDiff(far.trainLoss, c.trainLoss)).toBeLessThan(1e-4);
      expect(maxDiff(at(4).testLoss, c.testLoss)).toBeGreaterThan(1e-3);
    }
  });

  it('one-pass SGD at depth 0 from the fresh-batch recursion u ← (1 − ηκ…)…: test = train before each step', () => {
    const s = solveProportional({ ...base, data: { kind: 'online', batchRatio: 0.5 } });
    // Closed form of one-pass SGD on isotropic least squares: E|u(t+1)|² = (1 − 2η + η²(1 + 1/κ))E|u|² + η²σ²/κ.
    let u2 = 1;
    for (let t = 0; t <= 30; t++) {
      expect(Math.abs(s.testLoss[t] - 0.5 * (u2 + 0.25))).toBeLessThan(1e-12);
      expect(s.trainLoss[t]).toBeCloseTo(s.testLoss[t], 14);
      u2 = (1 - 0.6 + 0.09 * (1 + 2)) * u2 + (0.09 * 0.25) / 0.5;
    }
  });
});

describe('proportional DMFT against finite networks (Monte Carlo)', () => {
  // Seed means of 24 networks at D = 128; |z| < 4 at every step (max of 21 correlated normals,
  // plus the O(1/D) finite-size bias, measured |z| ≤ 2.1 on these configurations).
  const D = 128;
  const T = 20;
  const seeds = 24;
  const cases: Array<[string, ProportionalProblem['data'], { kind: 'repeated'; samples: number } | { kind: 'online'; batch: number }]> = [
    ['repeated data α = 2', { kind: 'repeated', alpha: 2 }, { kind: 'repeated', samples: 2 * D }],
    ['one-pass SGD κ = 1/2', { kind: 'online', batchRatio: 0.5 }, { kind: 'online', batch: D / 2 }],
  ];
  for (const [name, data, finiteData] of cases) {
    it(`depth 1, μP γ̄ = 1, ν = 1: ${name}`, () => {
      const s = solveProportional({ depth: 1, nu: 1, gammaBar: 1, eta: 0.2, sigma: 0.3, steps: T, data, spectrum: ISOTROPIC });
      const runs = Array.from({ length: seeds }, (_, i) => trainProportionalNetwork({ dim: D, width: D, depth: 1, gammaBar: 1, eta: 0.2, sigma: 0.3, steps: T, data: finiteData }, new Rng(`mc${i}`)));
      for (const key of ['testLoss', 'trainLoss'] as const) {
        for (let t = 0; t <= T; t++) {
          const xs = runs.map((r) => r[key][t]);
          const m = xs.reduce((a, b) => a + b, 0) / seeds;
          const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (seeds - 1);
          expect(Math.abs(m - s[key][t]) / Math.sqrt(v / seeds)).toBeLessThan(4);
        }
      }
    });
  }
});

describe('proportional DMFT with a power-law input spectrum (Monte Carlo)', () => {
  it('four groups λ_k ∝ k^-1.5, teacher variance ∝ k^-0.5: seed means of 24 networks at D = 128 within 4 SE', () => {
    // η = 0.1: at η = 0.3 the largest group (λ ≈ 2.1) sits near the stability edge and the
    // finite-size deviation of depth 1 at D = 128 reaches 0.08, shrinking to 0.02 at D = 512 (measured);
    // depth 0 agrees at both rates.
    const spectrum = powerLawSpectrum(4, 1.5, 0.5);
    const D = 128;
    const T = 15;
    const lambda = new Float64Array(D);
    const teacherVar = new Float64Array(D);
    for (let k = 0; k < D; k++) {
      const g = spectrum[Math.floor((k * spectrum.length) / D)];
      lambda[k] = g.lambda;
      teacherVar[k] = g.teacherVar;
    }
    for (const data of [{ kind: 'repeated', alpha: 2 }, { kind: 'online', batchRatio: 1 }] as const) {
      const s = solveProportional({ depth: 1, nu: 1, gammaBar: 1, eta: 0.1, sigma: 0.2, steps: T, data, spectrum });
      const finiteData = data.kind === 'repeated' ? { kind: 'repeated' as const, samples: 2 * D } : { kind: 'online' as const, batch: D };
      const runs = Array.from({ length: 24 }, (_, i) => trainProportionalNetwork({ dim: D, width: D, depth: 1, gammaBar: 1, eta: 0.1, sigma: 0.2, steps: T, data: finiteData, lambda, teacherVar }, new Rng(`pl${i}`)));
      for (let t = 0; t <= T; t++) {
        const xs = runs.map((r) => r.testLoss[t]);
        const m = xs.reduce((a, b) => a + b, 0) / xs.length;
        const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
        expect(Math.abs(m - s.testLoss[t]) / Math.sqrt(v / xs.length)).toBeLessThan(4);
      }
    }
  });
});
