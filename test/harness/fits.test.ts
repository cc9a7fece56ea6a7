import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { defaultExpectations, fitRecords, fitTable, verdictOf } from '../../src/harness/fits.js';
import type { LongRecord } from '../../src/harness/types.js';
import { tinySpec } from './fixtures.js';

const WIDTHS = [64, 128, 256, 512, 1024];

/** D = C h^p e^{σε} for S seeds, ε ~ N(0, 1). */
function powerLaw(metric: string, p: number, S: number, sigma: number, seed: string): LongRecord[] {
  const rng = new Rng(seed);
  const out: LongRecord[] = [];
  for (let s = 0; s < S; s++) for (const h of WIDTHS) out.push({ width: h, seed: s, metric, value: 3 * Math.pow(h, p) * Math.exp(sigma * rng.normal()) });
  return out;
}

describe('power-law fits of long-format records', () => {
  it('recovers the exponent of a noisy power law, and the interval covers it', () => {
    const recs = powerLaw('fTrainSup', -0.5, 8, 0.1, 'pl');
    const [f] = fitRecords(recs, [{ metric: 'fTrainSup', exponent: -0.5 }], { seed: 0 });
    // noise of the log-mean per width ≈ 0.1/√8 = 0.035; slope standard error ≈ 0.035/√Σ(log h − mean)² = 0.035/√4.8 ≈ 0.016:
    // 0.06 is ~4 standard errors
    expect(Math.abs(f.exponent + 0.5)).toBeLessThan(0.06);
    expect(f.ci[0]).toBeLessThan(-0.5);
    expect(f.ci[1]).toBeGreaterThan(-0.5);
    expect(f.verdict).toBe('pass');
    expect(f.nSeeds).toBe(8);
    expect(f.widths).toEqual(WIDTHS);
  });

  it('a wrong expectation fails, and no expectation gives no verdict', () => {
    const recs = powerLaw('kernelMotion', -1, 8, 0.05, 'km');
    const [f] = fitRecords(recs, [{ metric: 'kernelMotion', exponent: -0.5, tolerance: 0.1 }], { seed: 0 });
    expect(f.verdict).toBe('fail');
    const [g] = fitRecords(recs, [], { seed: 0 });
    expect(g.verdict).toBe('none');
    expect(g.expected).toBeNull();
  });

  it('an at-most expectation passes an interval wholly below the bound and fails one wholly above', () => {
    expect(verdictOf([-1.1, -0.9], 8, -0.5, 0.1, 'ok', 'atMost')).toBe('pass');
    expect(verdictOf([-0.38, -0.3], 8, -0.5, 0.1, 'ok', 'atMost')).toBe('fail');
    expect(verdictOf([-0.45, -0.3], 8, -0.5, 0.1, 'ok', 'atMost')).toBe('inconclusive');
    expect(verdictOf([-0.6, -0.4], 8, -0.5, 0.1, 'ok', 'equal')).toBe('pass');
    expect(verdictOf([-0.61, -0.5], 8, -0.5, 0.1, 'ok', 'equal')).toBe('inconclusive');
    expect(verdictOf([-0.8, -0.61], 8, -0.5, 0.1, 'ok', 'equal')).toBe('fail');
    expect(verdictOf([NaN, NaN], 8, -0.5, 0.1, 'failed')).toBe('inconclusive');
    expect(verdictOf([-0.6, -0.4], 7, -0.5, 0.1, 'ok', 'equal')).toBe('inconclusive');
  });

  it('an at-least expectation passes an interval wholly above the bound and fails one wholly below', () => {
    expect(verdictOf([0.1, 0.3], 8, -0.5, 0.1, 'ok', 'atLeast')).toBe('pass');
    expect(verdictOf([-0.6, -0.5], 8, -0.5, 0.1, 'ok', 'atLeast')).toBe('pass');
    expect(verdictOf([-0.9, -0.61], 8, -0.5, 0.1, 'ok', 'atLeast')).toBe('fail');
    expect(verdictOf([NaN, NaN], 8, -0.5, 0.1, 'failed', 'atLeast')).toBe('inconclusive');
  });

  it('a per-width metric with per-seed terms is fitted on the terms (a real bootstrap interval)', () => {
    const terms = powerLaw('seedVarianceTerm', -1, 6, 0.2, 'sv');
    const perWidth: LongRecord[] = WIDTHS.map((h) => {
      const t = terms.filter((r) => r.width === h).map((r) => r.value);
      return { width: h, seed: null, metric: 'seedVariance', value: t.reduce((a, b) => a + b, 0) / t.length };
    });
    const fits = fitRecords([...terms, ...perWidth], [], { seed: 0 });
    expect(fits.map((f) => f.metric)).toEqual(['seedVariance']); // terms are not fitted on their own
    expect(fits[0].nSeeds).toBe(6);
    expect(fits[0].ci[1] - fits[0].ci[0]).toBeGreaterThan(0);
    // the fitted means are the per-width values (the mean of the terms)
    fits[0].means.forEach((m, i) => expect(m).toBeCloseTo(perWidth[i].value, 12));
  });

  it('failed cells are left out and widths without any value are dropped', () => {
    const recs = powerLaw('fTestSup', -0.5, 4, 0.05, 'miss');
    for (const r of recs) if (r.width === 1024 || (r.width === 128 && r.seed === 2)) r.value = NaN;
    const t = fitTable(recs, 'fTestSup');
    expect(t.widths).toEqual([64, 128, 256, 512]);
    expect(t.values[2][1]).toBeNaN();
    expect(t.note).toContain('1024');
    const [f] = fitRecords(recs, [], { seed: 0 });
    expect(f.status).toBe('ok');
    expect(f.widths).toEqual([64, 128, 256, 512]);
  });

  it('a metric that was never measured is not fitted, unless an expectation names it', () => {
    const recs: LongRecord[] = [...powerLaw('fTrainSup', -0.5, 2, 0.1, 'm'), ...WIDTHS.map((h) => ({ width: h, seed: 0, metric: 'kernelInit', value: NaN }))];
    expect(fitRecords(recs, [], { seed: 0 }).map((f) => f.metric)).toEqual(['fTrainSup']);
    const named = fitRecords(recs, [{ metric: 'kernelInit', exponent: -0.5 }], { seed: 0 });
    // not measured: the expectation cannot be decided
    expect(named.map((f) => [f.metric, f.verdict])).toEqual([['fTrainSup', 'none'], ['kernelInit', 'inconclusive']]);
  });

  it('fewer than two widths with values: a failed fit, never an exception', () => {
    const recs: LongRecord[] = [{ width: 64, seed: 0, metric: 'lossSup', value: 0.1 }, { width: 128, seed: 0, metric: 'lossSup', value: NaN }];
    const [f] = fitRecords(recs, [{ metric: 'lossSup', exponent: -0.5 }], { seed: 0 });
    expect(f.status).toBe('failed');
    expect(f.verdict).toBe('inconclusive');
    expect(f.exponent).toBeNaN();
  });

  it('each metric has its own bootstrap stream: a fit does not depend on the other metrics', () => {
    const a = powerLaw('fTrainSup', -0.5, 5, 0.1, 'a');
    const b = powerLaw('lossSup', -0.5, 5, 0.1, 'b');
    const alone = fitRecords(a, [], { seed: 7 })[0];
    const both = fitRecords([...b, ...a], [], { seed: 7 }).find((f) => f.metric === 'fTrainSup');
    expect(both).toEqual(alone);
  });

  it('default expectations follow the derivations of theory/harness.md#expected-exponents', () => {
    const get = (e: ReturnType<typeof defaultExpectations>, m: string) => e.find((x) => x.metric === m);
    const relu = defaultExpectations('ntk', tinySpec());
    expect(get(relu, 'fTrainSup')?.exponent).toBe(-0.5);
    expect(get(relu, 'kernelMotion')?.exponent).toBe(-0.75);
    expect(get(relu, 'weightMotion')?.exponent).toBe(-0.5);
    expect(get(relu, 'seedVariance')?.exponent).toBe(-1);
    const erf = defaultExpectations('ntk', tinySpec({ model: { depth: 1, activation: 'erf' } }));
    expect(get(erf, 'kernelMotion')?.exponent).toBe(-1);
    const deep = defaultExpectations('ntk', tinySpec({ model: { depth: 3, activation: 'relu' } }));
    expect(get(deep, 'kernelMotion')).toMatchObject({ exponent: -0.5, relation: 'atMost' });
    expect(get(deep, 'weightMotion')?.exponent).toBe(-1);
    expect(defaultExpectations('meanfield', tinySpec()).map((e) => e.metric)).toEqual(['fTrainSup', 'fTestSup']);
  });
});
