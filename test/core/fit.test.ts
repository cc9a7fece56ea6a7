import { describe, it, expect } from 'vitest';
import { fitLine, fitPowerLaw } from '../../src/core/fit.js';
import { Rng } from '../../src/core/rng.js';
import { mean, std } from '../../src/core/stats.js';

describe('fitLine', () => {
  it('recovers an exact line (1e-12) with r² = 1 and zero slope error', () => {
    const x = [0.5, 1, 2, 3.5, 7];
    const f = fitLine(x, x.map((t) => 2.5 - 0.75 * t));
    expect(Math.abs(f.slope + 0.75)).toBeLessThan(1e-12);
    expect(Math.abs(f.intercept - 2.5)).toBeLessThan(1e-12);
    expect(f.r2).toBeCloseTo(1, 12);
    expect(f.slopeStderr).toBeLessThan(1e-12);
  });

  it('slopeStderr matches the Monte Carlo spread of the slope (within 15%, 400 repetitions)', () => {
    // The sd of an sd estimate from 400 samples is ~3.5%; the mean stderr is biased by < 5% at n = 12.
    const rng = new Rng('line-se');
    const x = Array.from({ length: 12 }, (_, i) => i / 3);
    const slopes: number[] = [];
    const ses: number[] = [];
    for (let r = 0; r < 400; r++) {
      const f = fitLine(x, x.map((t) => 1 + 2 * t + 0.3 * rng.normal()));
      slopes.push(f.slope);
      ses.push(f.slopeStderr);
    }
    expect(Math.abs(mean(slopes) - 2)).toBeLessThan(5 * std(slopes) / 20);
    expect(Math.abs(mean(ses) / std(slopes) - 1)).toBeLessThan(0.15);
  });

  it('returns NaN fields for fewer than 2 points and NaN stderr for exactly 2; throws on length mismatch', () => {
    expect(fitLine([1], [2]).slope).toBeNaN();
    const two = fitLine([1, 2], [3, 5]);
    expect(two.slope).toBeCloseTo(2, 14);
    expect(two.slopeStderr).toBeNaN();
    expect(() => fitLine([1, 2], [1])).toThrow(RangeError);
  });
});

describe('fitPowerLaw', () => {
  const widths = [16, 32, 64, 128, 256, 512, 1024];

  it('recovers exact power laws to 1e-12, with a degenerate interval when all seeds agree', () => {
    for (const p of [-0.5, -1, 0.25]) {
      const values = [0, 1, 2].map(() => widths.map((h) => 3 * h ** p));
      const f = fitPowerLaw(widths, values, { rng: new Rng(1), nBoot: 50 });
      expect(f.status).toBe('ok');
      expect(Math.abs(f.exponent - p)).toBeLessThan(1e-12);
      expect(Math.abs(f.intercept - Math.log(3))).toBeLessThan(1e-11);
      expect(Math.abs(f.ci[0] - p)).toBeLessThan(1e-12);
      expect(Math.abs(f.ci[1] - p)).toBeLessThan(1e-12);
      expect(f.r2).toBeCloseTo(1, 12);
      expect(f.nBoot).toBe(50);
    }
  });

  it('ignores missing values (NaN, ±∞, ≤ 0) and widths without any usable seed', () => {
    const values = [
      widths.map((h, i) => (i === 2 ? NaN : 5 / h)),
      widths.map((h, i) => (i === 2 ? -1 : i === 4 ? 0 : 5 / h)),
      widths.map((h, i) => (i === 2 ? Infinity : 5 / h)),
    ];
    const f = fitPowerLaw(widths, values, { rng: new Rng(2), nBoot: 20 });
    expect(f.status).toBe('ok');
    expect(Math.abs(f.exponent + 1)).toBeLessThan(1e-12);
    expect(f.means[2]).toBeNaN();
    expect(f.means[4]).toBeCloseTo(5 / 256, 15);
  });

  it('fails with a message (exponent NaN, no throw) when fewer than 2 widths are usable', () => {
    const f = fitPowerLaw([10, 20, 40], [[1, NaN, -2], [3, 0, NaN]], { rng: new Rng(3) });
    expect(f.status).toBe('failed');
    expect(f.exponent).toBeNaN();
    expect(f.message).toMatch(/at least 2 widths/);
    expect(fitPowerLaw([], [], { rng: new Rng(3) }).status).toBe('failed');
  });

  it('one seed: point estimate but no bootstrap interval (ci NaN)', () => {
    const f = fitPowerLaw(widths, [widths.map((h) => 1 / h)], { rng: new Rng(4) });
    expect(f.status).toBe('ok');
    expect(f.exponent).toBeCloseTo(-1, 12);
    expect(f.ci[0]).toBeNaN();
  });

  /** D_s(h) = c h^p (1 + σ ε_{s,h}) plus a per-seed factor shared across widths (seed correlation). */
  function synthetic(rng: Rng, nSeeds: number, p: number): number[][] {
    const out: number[][] = [];
    for (let s = 0; s < nSeeds; s++) {
      const seedFactor = 1 + 0.2 * rng.normal();
      out.push(widths.map((h) => 2 * h ** p * Math.abs(seedFactor * (1 + 0.3 * rng.normal()))));
    }
    return out;
  }

  it('the 95% bootstrap interval covers the true exponent in ≥ 80% of 60 synthetic experiments, and narrows with more seeds', () => {
    // A correct percentile interval covers ≈ 90–95% here (slightly under nominal with 20 seeds);
    // 80% sits ~3 binomial sd below 92%. An interval ignoring the seed spread covers far less, and
    // an inflated one fails the narrowing check: 4× the seeds must shrink the width by ~2 (0.35–0.7).
    const rng = new Rng('coverage');
    const p = -0.5;
    let covered = 0;
    const widthFew: number[] = [];
    const widthMany: number[] = [];
    for (let r = 0; r < 60; r++) {
      const f = fitPowerLaw(widths, synthetic(rng, 20, p), { rng: rng.child(`boot/${r}`), nBoot: 300 });
      if (f.ci[0] <= p && p <= f.ci[1]) covered++;
      widthFew.push(f.ci[1] - f.ci[0]);
      const g = fitPowerLaw(widths, synthetic(rng, 80, p), { rng: rng.child(`bootMany/${r}`), nBoot: 300 });
      widthMany.push(g.ci[1] - g.ci[0]);
    }
    expect(covered / 60).toBeGreaterThanOrEqual(0.8);
    const ratio = mean(widthMany) / mean(widthFew);
    expect(ratio).toBeGreaterThan(0.35);
    expect(ratio).toBeLessThan(0.7);
  });

  it('is deterministic for a given rng seed; the point estimate does not depend on the rng', () => {
    const values = synthetic(new Rng('det'), 8, -1);
    const a = fitPowerLaw(widths, values, { rng: new Rng('x'), nBoot: 200 });
    const b = fitPowerLaw(widths, values, { rng: new Rng('x'), nBoot: 200 });
    const c = fitPowerLaw(widths, values, { rng: new Rng('y'), nBoot: 200 });
    expect(b).toEqual(a);
    expect(c.exponent).toBe(a.exponent);
    expect(c.ci).not.toEqual(a.ci);
    expect(a.level).toBe(0.95);
    expect(() => fitPowerLaw(widths, values, { rng: new Rng(1), level: 1.5 })).toThrow(RangeError);
    expect(() => fitPowerLaw(widths, [[1, 2]], { rng: new Rng(1) })).toThrow(RangeError);
  });
});
