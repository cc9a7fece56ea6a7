import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { variance } from '../../../src/core/stats.js';
import { collapseMeasure, crossingAlpha, seedVariance } from '../../../src/regimes/geiger/analysis.js';
import { firstTimeBelow, logStd, logTimes } from '../../../src/regimes/geiger/curves.js';

describe('crossover α* of a kernel-motion curve', () => {
  it('is exact for a power law A/(√h α) crossing the level (log–log interpolation of a power law is exact)', () => {
    for (const h of [16, 64, 256]) {
      const alphas = [0.01, 0.03, 0.1, 0.3, 1, 3, 10].map((a) => a / Math.sqrt(h) * 4);
      const A = 2.7;
      const motion = alphas.map((a) => A / (Math.sqrt(h) * a));
      // A/(√h α*) = 1 ⇒ α* = A/√h; tolerance: rounding of a few logs, 1e-12 relative
      expect(crossingAlpha(alphas, motion, 1)).toBeCloseTo(A / Math.sqrt(h), 12);
    }
  });

  it('approaches from the lazy side: with a non-monotone curve the crossing nearest the largest α is taken', () => {
    const alphas = [1, 2, 4, 8, 16];
    const motion = [3, 0.5, 2, 0.5, 0.1]; // crosses 1 between 4 and 8 (from above) and between 1 and 2
    const a = crossingAlpha(alphas, motion, 1);
    expect(a).toBeGreaterThan(4);
    expect(a).toBeLessThan(8);
  });

  it('is NaN when the largest α is above the level or the curve never crosses it', () => {
    expect(crossingAlpha([1, 2, 3], [5, 4, 3], 1)).toBeNaN();
    expect(crossingAlpha([1, 2, 3], [0.5, 0.4, 0.3], 1)).toBeNaN();
    expect(crossingAlpha([1, 2, 3], [NaN, 5, 0.3], 1)).toBeGreaterThan(2); // the crossing below the gap still counts
    expect(crossingAlpha([1, 2, 3], [5, NaN, 0.3], 1)).toBeNaN(); // no crossing across a failed run
  });
});

describe('seed variance of the learned function', () => {
  it('is the mean over test inputs of the unbiased variance over seeds, and its per-seed terms average to it', () => {
    const rng = new Rng('sv');
    const f = Array.from({ length: 5 }, () => Array.from({ length: 7 }, () => rng.normal()));
    const { variance: v, terms } = seedVariance(f);
    let direct = 0;
    for (let x = 0; x < 7; x++) direct += variance(f.map((row) => row[x])) / 7;
    expect(v).toBeCloseTo(direct, 13); // two summation orders of the same quantity
    expect(terms.reduce((a, b) => a + b, 0) / terms.length).toBeCloseTo(v, 13);
  });

  it('estimates the variance of independent Gaussian outputs (Monte Carlo)', () => {
    const rng = new Rng('sv-mc');
    const sigma2 = 0.37;
    const S = 400, nx = 20;
    const f = Array.from({ length: S }, () => Array.from({ length: nx }, () => Math.sqrt(sigma2) * rng.normal()));
    // standard error of the mean of nx independent variance estimates: σ² √(2/((S−1) nx)) ≈ 0.016 σ²; 5 s.e.
    expect(Math.abs(seedVariance(f).variance / sigma2 - 1)).toBeLessThan(5 * Math.sqrt(2 / ((S - 1) * nx)));
  });

  it('is NaN with a single seed', () => {
    expect(seedVariance([[1, 2]]).variance).toBeNaN();
  });
});

describe('recorded curves', () => {
  it('log-spaced record times have the asked density and end at T_max', () => {
    const t = logTimes(1e-3, 50, 4);
    expect(t[0]).toBe(1e-3);
    expect(t[t.length - 1]).toBe(50);
    for (let i = 1; i < t.length - 1; i++) expect(t[i] / t[i - 1]).toBeCloseTo(Math.pow(10, 0.25), 12);
  });

  it('first time below a level is exact for a power-law curve and NaN when never reached', () => {
    const times = logTimes(0.1, 100, 3);
    const L = times.map((t) => Math.min(1, Math.pow(t, -1.5)));
    // L = t^{-1.5} crosses 0.05 at t = 0.05^{-2/3}; log-log interpolation of a power law is exact
    expect(firstTimeBelow(times, L, 0.05)).toBeCloseTo(Math.pow(0.05, -2 / 3), 10);
    expect(firstTimeBelow(times, L, 1e-9)).toBeNaN();
    expect(firstTimeBelow([0, 1], [0.1, 0.05], 0.2)).toBe(0);
    expect(logStd([1, Math.E, Math.E ** 2])).toBeCloseTo(1, 14);
  });
});

describe('loss-curve collapse against t/(√h α)', () => {
  const g = (u: number) => 1 / (1 + Math.pow(u, 3)); // a decreasing master curve
  const curve = (s: number, of: (t: number) => number) => {
    const times = logTimes(1e-4, 1e4, 10);
    return { sqrtHAlpha: s, times, lossRatio: times.map(of) };
  };

  it('is ≈ 0 for curves L(t) = g(t/√hα) and large (> 1) for curves that do not depend on √hα', () => {
    const ss = [0.01, 0.03, 0.1, 0.3];
    const scaled = collapseMeasure(ss.map((s) => curve(s, (t) => g(t / s))));
    // interpolation error of log L between records 10 per decade: ≪ the ln-spread of 1.27 between √hα values
    expect(scaled.ratio).toBeLessThan(0.02);
    expect(scaled.rawSpread).toBeGreaterThan(1);
    const unscaled = collapseMeasure(ss.map((s) => curve(s, g)));
    expect(unscaled.ratio).toBeGreaterThan(1e6); // raw spread ≈ 0, scaled spread = spread of ln √hα
  });

  it('skips levels not reached by every curve', () => {
    const c = collapseMeasure([curve(0.1, (t) => g(t / 0.1)), curve(1, () => 0.6)], [0.9, 0.5, 0.1]);
    expect(c.levels).toEqual([0.9]);
  });
});
