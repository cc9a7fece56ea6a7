import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment, resolveExperiment } from '../../../src/harness/experiments.js';
import type { CurveRecord, GenericResults } from '../../../src/harness/types.js';
import { runResolvedExperiment } from '../../../src/regimes/runExperiment.js';
import { parseFluctuation } from '../../../src/regimes/finiteWidth/meanfieldKind.js';
import { type WidthValues, scaledDeviations } from '../../../src/regimes/finiteWidth/meanfieldMeasure.js';
import { fluctuationStatistics } from '../../../src/regimes/finiteWidth/meanfieldStatistics.js';

describe('meanfield-finite-width-prefactor (theory/finite-width-meanfield.md#experiment)', () => {
  it('D_s has mean m × the unbiased seed variance, averaged over the inputs of a set', () => {
    // 3 seeds, one time, 2 train inputs, 1 test input, risk
    const w: WidthValues = {
      format: 'widelimit-meanfield-fluctuation-seeds/1', specHash: 'x', width: 10, nTrain: 2, nTest: 1,
      values: [[[1, 4, 0, 5]], [[2, 4, 3, 5]], [[3, 7, 6, 8]]],
    };
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    // unbiased variances: train inputs 1 and 3, mean 2; test 9; risk 3
    expect(mean(scaledDeviations(w, 'train', 0))).toBeCloseTo(10 * 2, 12);
    expect(mean(scaledDeviations(w, 'test', 0))).toBeCloseTo(10 * 9, 12);
    expect(mean(scaledDeviations(w, 'risk', 0))).toBeCloseTo(10 * 3, 12);
  });

  it('seeds per width follow seeds × (m_max/m)^seedPower in whole batches; bad params name the field', () => {
    const c = resolveExperiment(loadExperiment('meanfield-finite-width-prefactor'), false);
    expect(parseFluctuation(c).seedsAt).toEqual({ 256: 1024, 512: 360, 1024: 128, 2048: 48, 4096: 16 });
    expect(parseFluctuation({ ...c, params: { ...c.params, seedPower: 2 } }).seedsAt).toEqual({ 256: 4096, 512: 1024, 1024: 256, 2048: 64, 4096: 16 });
    expect(() => parseFluctuation({ ...c, params: { ...c.params, colour: 1 } })).toThrow(/params.colour/);
    expect(() => parseFluctuation({ ...c, seeds: 12 })).toThrow(/seeds/);
  });

  it('runs end to end (tiny sizes): ratio statistics, per-width ratios and the C(t) figure', async () => {
    const c = resolveExperiment(loadExperiment('meanfield-finite-width-prefactor'), true);
    const tiny = { ...c, widths: [16, 32], seeds: 8, params: { ...c.params, seedPower: 2, batch: 4, particles: 16, systems: 3, directions: 2 } };
    const out = mkdtempSync(join(tmpdir(), 'widelimit-mf-'));
    const { results, report } = await runResolvedExperiment(tiny, { out, workers: 1, progress: false });
    const r = results as GenericResults;
    expect(r.status).toBe('ok');
    // 32 seeds at m = 16 (8 batches) and 8 at m = 32 (2 batches) × 3 sets × 5 record times
    expect(r.records).toHaveLength((8 + 2) * 3 * 5);
    const s = fluctuationStatistics(r)['ratio.risk.t6'];
    expect(s.estimate).toBeGreaterThan(0);
    expect(s.ci[0]).toBeLessThan(s.estimate);
    expect(s.seeds).toBe(40);
    expect(r.statistics?.['ratio.train.t3@h32']).toBeDefined();
    const curves = JSON.parse(readFileSync(join(out, 'curves.json'), 'utf8')) as CurveRecord[];
    // predicted C ± 2 SE at the 5 record times, two points each
    expect(curves.filter((x) => x.quantity === 'C.meanfield.test' && x.width === null)).toHaveLength(10);
    expect(readFileSync(report.markdown, 'utf8')).toContain('figures/curve-C.meanfield.risk.svg');
  });
});
