import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment, resolveExperiment } from '../../../src/harness/experiments.js';
import type { CurveRecord, GenericResults } from '../../../src/harness/types.js';
import { runResolvedExperiment } from '../../../src/regimes/runExperiment.js';
import { parseDeepLinearFluctuation } from '../../../src/regimes/finiteWidth/deeplinearKind.js';
import { fluctuationStatistics } from '../../../src/regimes/finiteWidth/meanfieldStatistics.js';

describe('deeplinear-finite-width-prefactor (theory/finite-width-deeplinear.md#experiment)', () => {
  it('seeds per width follow seeds × (N_max/N)^seedPower in whole batches; a non-μP or nonlinear spec is refused by field', () => {
    const c = resolveExperiment(loadExperiment('deeplinear-finite-width-prefactor'), false);
    expect(parseDeepLinearFluctuation(c).seedsAt).toEqual({ 256: 4096, 512: 1456, 1024: 512 });
    expect(() => parseDeepLinearFluctuation({ ...c, params: { ...c.params, colour: 1 } })).toThrow(/params.colour/);
    const relu = { ...c, spec: { ...c.spec, model: { ...(c.spec!.model as object), activation: 'relu' } } };
    expect(() => parseDeepLinearFluctuation(relu)).toThrow(/spec/);
  });

  it('runs end to end (tiny sizes): predicted C(0) is K^x(x,x)/γ0², ratio statistics and the C(t) figure', async () => {
    const c = resolveExperiment(loadExperiment('deeplinear-finite-width-prefactor'), true);
    const tiny = { ...c, widths: [16, 32], seeds: 8, params: { ...c.params, batch: 4, seedPower: 1 } };
    const out = mkdtempSync(join(tmpdir(), 'widelimit-dl-'));
    const { results, report } = await runResolvedExperiment(tiny, { out, workers: 1, progress: false });
    const r = results as GenericResults;
    expect(r.status).toBe('ok');
    // 16 seeds at N = 16 (4 batches) and 8 at N = 32 (2 batches) × 3 sets × 13 record times
    expect(r.records).toHaveLength((4 + 2) * 3 * 13);
    const predicted = (r.spec as { predicted: Record<string, { C: number }> }).predicted;
    // theory/finite-width-deeplinear.md#initial: mean K^x(x, x)/γ0² on this data (γ0 = 1)
    expect(predicted['var.train.t0'].C).toBeCloseTo(1.3365, 4);
    expect(predicted['var.test.t0'].C).toBeCloseTo(1.0, 4);
    const s = fluctuationStatistics(r)['ratio.train.t0.3'];
    expect(s.estimate).toBeGreaterThan(0);
    expect(s.seeds).toBe(24);
    const curves = JSON.parse(readFileSync(join(out, 'curves.json'), 'utf8')) as CurveRecord[];
    expect(curves.filter((x) => x.quantity === 'C.deeplinear.test' && x.width === null)).toHaveLength(26);
    expect(readFileSync(report.markdown, 'utf8')).toContain('figures/curve-C.deeplinear.train.svg');
  });
});
