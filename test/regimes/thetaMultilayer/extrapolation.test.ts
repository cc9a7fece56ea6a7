import { describe, expect, it } from 'vitest';
import { fitLine } from '../../../src/core/fit.js';
import { Rng } from '../../../src/core/rng.js';
import { checkConfig, resolveExperiment } from '../../../src/harness/experiments.js';
import type { GenericResults, LongRecord } from '../../../src/harness/types.js';
import { extrapolatedLimit, rateLimitStatistics, seedWidthTable } from '../../../src/regimes/thetaMultilayer/extrapolation.js';
import { thetaMultilayerKind } from '../../../src/regimes/thetaMultilayer/kind.js';

const WIDTHS = [256, 512, 1024, 2048];

/** ratio = r∞ + c·m^-p + noise (sd per seed and width), as a [seed][width] table. */
function synthetic(seeds: number, rInf: number, c: number, p: number, sd: number, rng: Rng): number[][] {
  return Array.from({ length: seeds }, () => WIDTHS.map((m) => rInf + c * Math.pow(m, -p) + sd * rng.normal()));
}

describe('the extrapolated rate ratio r∞ (theory/theta.md#multilayer-mean-bias)', () => {
  it('the least-squares line equals the two-point solution and recovers a noiseless law exactly', () => {
    // two points: the line through them, solved by hand
    const l = fitLine([0.25, 0.125], [0.7, 0.85]);
    expect(l.slope).toBeCloseTo(-1.2, 12);
    expect(l.intercept).toBeCloseTo(1.0, 12);
    const table = synthetic(8, 0.97, -4.6, 0.5, 0, new Rng(1));
    const s = extrapolatedLimit(WIDTHS, table, 0.5, new Rng(2), 200);
    expect(s.estimate).toBeCloseTo(0.97, 12);
    expect(s.slope).toBeCloseTo(-4.6, 10);
    expect(s.ci[0]).toBeCloseTo(0.97, 10); // no noise: every resample gives the same line
    expect(s.ci[1]).toBeCloseTo(0.97, 10);
    expect(s.seeds).toBe(8);
  });

  it("the bootstrap interval's half-width matches the intercept's closed-form standard error (Monte Carlo)", () => {
    // r∞ = Σ_w a_w ȳ_w with a_w = 1/W − x̄(x_w − x̄)/Sxx; independent noise sd σ per seed and width:
    // se = σ·sqrt(Σ a_w² / n); the percentile interval spans ≈ 2·1.96·se·sqrt((n−1)/n)
    const n = 400, sd = 0.05, p = 0.5;
    const x = WIDTHS.map((m) => Math.pow(m, -p));
    const mx = x.reduce((a, v) => a + v, 0) / x.length;
    const sxx = x.reduce((a, v) => a + (v - mx) ** 2, 0);
    const aw = x.map((v) => 1 / x.length - (mx * (v - mx)) / sxx);
    const se = sd * Math.sqrt(aw.reduce((a, v) => a + v * v, 0) / n);
    const s = extrapolatedLimit(WIDTHS, synthetic(n, 1, -4.6, p, sd, new Rng(3)), p, new Rng(4), 2000);
    const half = (s.ci[1] - s.ci[0]) / 2;
    // 2000 resamples of n = 400: the percentile half-width is within ≈ 5 % of 1.96·se; 15 % leaves room for one draw
    expect(half / (1.96 * se)).toBeGreaterThan(0.85);
    expect(half / (1.96 * se)).toBeLessThan(1.15);
    expect(Math.abs(s.estimate - 1)).toBeLessThan(4 * se);
  });

  it('missing cells are left out of a width mean; a width without values drops out of the line', () => {
    const t = synthetic(4, 1, -2, 0.5, 0, new Rng(5));
    t[0][1] = NaN;
    for (const row of t) row[3] = NaN;
    const s = extrapolatedLimit(WIDTHS, t, 0.5, new Rng(6), 100);
    expect(s.estimate).toBeCloseTo(1, 12);
  });

  it('rateLimit@<point> only for θ-lazy points and only when the params ask for it; the kind reads it off a saved run', () => {
    const rng = new Rng(7);
    const lazy = { depth: 2, point: { gamma: 0.75, gammaPrime: 0 }, ph: 0.5 };
    const condensed = { depth: 2, point: { gamma: 1.5, gammaPrime: 0 }, ph: 0.5 };
    const records: LongRecord[] = [];
    for (let seed = 0; seed < 8; seed++) {
      for (const m of WIDTHS) {
        const v = 1 - 4.6 / Math.sqrt(m) + 0.01 * rng.normal();
        records.push({ width: m, seed, metric: 'rateRatio@L=2,gamma=0.75,gammaPrime=0', value: v });
        records.push({ width: m, seed, metric: 'rateRatio@L=2,gamma=1.5,gammaPrime=0', value: 3 });
      }
    }
    expect(seedWidthTable(records, 'rateRatio@L=2,gamma=0.75,gammaPrime=0', WIDTHS)).toHaveLength(8);
    const diagram = { widths: WIDTHS, points: [lazy, condensed], convention: { fix: 'p2' as const, value: 0 }, seed: 3000 };
    expect(rateLimitStatistics(diagram, records)).toEqual({});
    const st = rateLimitStatistics({ ...diagram, extrapolate: { exponent: 0.5 } }, records);
    expect(Object.keys(st)).toEqual(['rateLimit@L=2,gamma=0.75,gammaPrime=0']);
    const r = st['rateLimit@L=2,gamma=0.75,gammaPrime=0'];
    expect(r.seeds).toBe(8);
    expect(r.ci[0]).toBeLessThan(1);
    expect(r.ci[1]).toBeGreaterThan(1);
    const saved = { records, spec: { spec: { seed: 3000 }, diagram: { ...diagram, seed: undefined, extrapolate: { exponent: 0.5 } } } } as unknown as GenericResults;
    expect(thetaMultilayerKind.statistics?.(saved)).toEqual(st); // same seed, same interval
  });

  it('rejects extrapolate with a non-positive exponent or fewer than three widths, naming the field', () => {
    const config = {
      name: 'theta-ml-x', claim: 'parse test', kind: 'theta-multilayer',
      spec: { data: { source: 'gaussian', n: 8, nTest: 4, dim: 4, target: 'teacher-relu', seed: 0 }, model: { activation: 'relu' }, training: { loss: 'mse' } },
      widths: [16, 32, 64], seeds: 2,
    };
    const parse = (widths: number[], extrapolate: unknown) => thetaMultilayerKind.parse(resolveExperiment(checkConfig({ ...config, widths, params: { depths: [2], points: [[0.75, 0]], extrapolate } }, 'theta-ml-x'), false, '/tmp'));
    expect(parse([16, 32, 64], { exponent: 0.5 }).extrapolate).toEqual({ exponent: 0.5 });
    expect(() => parse([16, 32, 64], { exponent: 0 })).toThrow(/theta-ml-x\.params\.extrapolate\.exponent/);
    expect(() => parse([16, 64], { exponent: 0.5 })).toThrow(/theta-ml-x\.params\.extrapolate/);
    expect(() => parse([16, 32, 64], { p: 0.5 })).toThrow(/theta-ml-x\.params\.extrapolate/);
  });
});
