/**
 * The rate statistics of theory/proportional.md#finite-size-rates on a known model: per seed
 * L_s(t) = L∞(t) + b(t)/D + √(V(t)/D) ξ_s(t), ξ Gaussian and correlated in time (ρ = 0.8), so the
 * expectations are known exactly: E[D²·biasSquared] = mean_t b², E[D·meanSeedVariance] = mean_t V,
 * and E sup_t|ξ| does not depend on D when b = 0.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { agreement, type LossTable } from '../../../src/regimes/proportional/convergence.js';
import { biasSquared, meanSeedVariance, meanSupDeviation, rateOf, signedRmsBias } from '../../../src/regimes/proportional/rates.js';

const T = 41;
const theory = Float64Array.from({ length: T }, (_, t) => 0.1 + 0.5 * Math.exp(-t / 10));
const V = Float64Array.from({ length: T }, (_, t) => 0.05 + 0.1 * Math.exp(-t / 8));
const meanV = V.reduce((a, x) => a + x, 0) / T;

function sample(rng: Rng, D: number, S: number, bScale: number): Float64Array[] {
  const rho = 0.8;
  return Array.from({ length: S }, () => {
    const z0 = rng.normal();
    return Float64Array.from({ length: T }, (_, t) => {
      const xi = rho * z0 + Math.sqrt(1 - rho * rho) * rng.normal();
      return theory[t] + (bScale * Math.sin(t / 7)) / D + Math.sqrt(V[t] / D) * xi;
    });
  });
}

const meanSqBias = (bScale: number) => Array.from({ length: T }, (_, t) => (bScale * Math.sin(t / 7)) ** 2).reduce((a, x) => a + x, 0) / T;

describe('finite-size rate statistics (theory/proportional.md#finite-size-rates)', () => {
  it('D²·biasSquared is unbiased for mean_t b², where the clipped RMS bias is not', () => {
    const rng = new Rng('rates/unbiased');
    const D = 256;
    for (const bScale of [0, 3]) {
      const reps = 300;
      let acc = 0;
      let acc2 = 0;
      let clipped = 0;
      for (let r = 0; r < reps; r++) {
        const curves = sample(rng, D, 16, bScale);
        const x = D * D * biasSquared(curves, theory);
        acc += x / reps;
        acc2 += (x * x) / reps;
        clipped += (D * agreement(curves, theory).bias) ** 2 / reps;
      }
      const se = Math.sqrt((acc2 - acc * acc) / reps);
      const truth = meanSqBias(bScale);
      expect(Math.abs(acc - truth)).toBeLessThan(4 * se);
      if (bScale === 0) expect(clipped).toBeGreaterThan(truth + 4 * se); // the clipped statistic's upward bias
    }
  });

  it('D·meanSeedVariance is unbiased for mean_t V', () => {
    const rng = new Rng('rates/variance');
    const reps = 200;
    const xs = Array.from({ length: reps }, () => 512 * meanSeedVariance(sample(rng, 512, 12, 3)));
    const m = xs.reduce((a, x) => a + x, 0) / reps;
    const se = Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (reps - 1) / reps);
    expect(Math.abs(m - meanV)).toBeLessThan(4 * se);
  });

  it('rates: −1/2 for the per-network sup deviation and −1 for the variance when noise dominates; the sup rate steepens when the bias dominates', () => {
    const dims = [64, 128, 256, 512, 1024];
    const table = (bScale: number, seed: string): LossTable => {
      const rng = new Rng(seed);
      return new Map(dims.map((D) => [D, sample(rng, D, 400, bScale)]));
    };
    const quiet = table(0, 'rates/quiet');
    expect(Math.abs(rateOf((c) => meanSupDeviation(c, theory))(quiet) + 0.5)).toBeLessThan(0.03);
    expect(Math.abs(rateOf(meanSeedVariance)(quiet) + 1)).toBeLessThan(0.05);
    // b(t) of amplitude 100 (≫ √(V D) at D ≤ 1024): the sup is bias-dominated, the variance rate unchanged
    const biased = table(100, 'rates/biased');
    expect(rateOf((c) => meanSupDeviation(c, theory))(biased)).toBeLessThan(-0.75);
    expect(Math.abs(rateOf(meanSeedVariance)(biased) + 1)).toBeLessThan(0.05);
  });

  it('signedRmsBias takes both signs under pure noise and recovers the RMS bias when it dominates', () => {
    const rng = new Rng('rates/signed');
    const noise = Array.from({ length: 200 }, () => signedRmsBias(sample(rng, 256, 16, 0), theory));
    const negative = noise.filter((x) => x < 0).length / noise.length;
    expect(negative).toBeGreaterThan(0.2);
    expect(negative).toBeLessThan(0.8);
    const big = signedRmsBias(sample(rng, 256, 256, 60), theory) * 256;
    expect(Math.abs(big / Math.sqrt(meanSqBias(60)) - 1)).toBeLessThan(0.05);
  });
});
