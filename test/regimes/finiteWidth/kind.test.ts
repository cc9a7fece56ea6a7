import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment, resolveExperiment } from '../../../src/harness/experiments.js';
import type { CurveRecord, GenericResults } from '../../../src/harness/types.js';
import { runResolvedExperiment } from '../../../src/regimes/runExperiment.js';
import { parsePrefactor } from '../../../src/regimes/finiteWidth/kind.js';
import { batchRecords, prefactorStatistics } from '../../../src/regimes/finiteWidth/statistics.js';
import type { SeedDeviations } from '../../../src/regimes/finiteWidth/measure.js';

describe('ntk-finite-width-prefactor (theory/finite-width.md#prefactor-fit)', () => {
  it('batch records are the batch means of the per-seed mean squares divided by h', () => {
    const m: SeedDeviations = {
      format: 'widelimit-finite-width-seeds/1', specHash: 'x', width: 4, times: [0, 1],
      train: [[0, 1], [0, 3], [0, 5], [0, 7]], test: [[0, 2], [0, 2], [0, 4], [0, 4]],
    };
    const r = batchRecords('erf', m, [1], 2);
    expect(r).toEqual([
      { width: 4, seed: 0, metric: 'ms.erf.train.t1', value: 0.5 }, { width: 4, seed: 1, metric: 'ms.erf.train.t1', value: 1.5 },
      { width: 4, seed: 0, metric: 'ms.erf.test.t1', value: 0.5 }, { width: 4, seed: 1, metric: 'ms.erf.test.t1', value: 1 },
    ]);
  });

  it('runs end to end (tiny sizes): fits carry the predicted C(τ), ratios and the C(τ) figure', async () => {
    const c = resolveExperiment(loadExperiment('ntk-finite-width-prefactor'), true);
    const tiny = { ...c, widths: [32, 64], seeds: 8, params: { ...c.params, activations: ['relu'], batch: 2, unitSamples: 500 } };
    const out = mkdtempSync(join(tmpdir(), 'widelimit-fw-'));
    const { results, report } = await runResolvedExperiment(tiny, { out, workers: 1, progress: false });
    const r = results as GenericResults;
    expect(r.status).toBe('ok');
    // 2 widths × 4 batches × (train, test) × 2 claim times
    expect(r.records).toHaveLength(2 * 4 * 2 * 2);
    const f = r.fits.find((x) => x.metric === 'ms.relu.test.t15')!;
    expect(f.predicted?.exponent).toBe(-1);
    expect(f.predicted!.prefactor).toBeGreaterThan(0);
    const s = prefactorStatistics(r)['ratio.relu.test.t15'];
    expect(s.estimate).toBeCloseTo(f.prefactor!.estimate / f.predicted!.prefactor, 12);
    expect(s.seeds).toBe(8);
    expect(r.statistics?.['ratio.relu.train.t5@h64']).toBeDefined();
    const curves = JSON.parse(readFileSync(join(out, 'curves.json'), 'utf8')) as CurveRecord[];
    // predicted C(τ) ± 2 SE at the 6 nonzero record times, two points each
    expect(curves.filter((x) => x.quantity === 'C.relu.train' && x.width === null)).toHaveLength(12);
    const md = readFileSync(report.markdown, 'utf8');
    expect(md).toContain('## Predicted prefactors');
    expect(md).toContain('figures/curve-C.relu.train.svg');
  });

  it('bad params are input errors naming the field', () => {
    const c = resolveExperiment(loadExperiment('ntk-finite-width-prefactor'), true);
    expect(() => parsePrefactor({ ...c, params: { ...c.params, colour: 1 } })).toThrow(/params.colour/);
    expect(() => parsePrefactor({ ...c, seeds: 30, params: { ...c.params, batch: 4 } })).toThrow(/seeds/);
    expect(() => parsePrefactor({ ...c, params: { ...c.params, times: [] } })).toThrow(/params.times/);
  });
});
