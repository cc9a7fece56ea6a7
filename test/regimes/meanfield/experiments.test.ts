import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { Rng } from '../../../src/core/rng.js';
import { parseActivation } from '../../../src/finite/activation.js';
import { loadExperiment, resolveExperiment } from '../../../src/harness/experiments.js';
import { fitRecords } from '../../../src/harness/fits.js';
import { runResolvedExperiment } from '../../../src/regimes/runExperiment.js';
import type { GenericResults } from '../../../src/harness/types.js';
import { linearRisk, oddProblem, pairedOddField, runOddExperiment } from '../../../src/regimes/meanfield/experimentOdd.js';
import { parseOddKind } from '../../../src/regimes/meanfield/experiments.js';
import { sampleParticles } from '../../../src/limits/meanfield/particles.js';
import { createPopulationField } from '../../../src/limits/meanfield/population.js';

const relu = { activation: parseActivation('relu'), wRate: 1 };

describe('the paired odd-target field (experimentOdd.ts)', () => {
  const p = oddProblem({ dim: 7, seed: 'exp/test' });
  const shape = { m: 10, d: 7 };

  /** Largest |paired − arc-cosine| velocity entry, relative to the largest velocity entry. */
  function gap(symmetric: boolean): number {
    const y = sampleParticles({ kind: 'gaussian', aStd: 1.2, wStd: 0.5, symmetric }, shape, new Rng(`exp/y/${symmetric}`));
    const a = new Float64Array(y.length);
    const b = new Float64Array(y.length);
    pairedOddField(p.target.xbar, p.v, shape)(0, y, a);
    createPopulationField(relu, p.risk, shape).velocity(y, b);
    const scale = Math.max(...Array.from(b, Math.abs));
    return Math.max(...Array.from(a, (x, i) => Math.abs(x - b[i]))) / scale;
  }

  it('equals the arc-cosine population velocity on a paired configuration (to rounding) and not on an unpaired one', () => {
    // Two independent formulas of the same velocity (theory/meanfield.md#odd-target, step 2, vs the
    // arc-cosine pair sums): only rounding separates them, 1e-12 relative (measured 2e-16). Without
    // the pairing the network has an even part and the linear field is off (measured 0.057
    // relative): the check can fail.
    expect(gap(true)).toBeLessThan(1e-12);
    expect(gap(false)).toBeGreaterThan(1e-3);
  });

  it('the linear predictor\'s risk equals the population risk of the paired particles (to rounding)', () => {
    const y = sampleParticles(p.init, shape, new Rng('exp/risk'));
    const wt = new Float64Array(shape.d);
    for (let j = 0; j < shape.m; j++) for (let i = 0; i < shape.d; i++) wt[i] += (0.5 / shape.m) * y[j] * y[shape.m + j * shape.d + i];
    const R = createPopulationField(relu, p.risk, shape).risk(y);
    expect(Math.abs(linearRisk(wt, p.target.xbar, p.v, p.target.energy) - R)).toBeLessThan(1e-12 * Math.max(1, R));
  });
});

describe('meanfield-odd-target', () => {
  it('particle systems approach the sinh ODE as m^(−1/2): exponent in [−0.65, −0.35] (d = 20, m = 32…512, 8 seeds)', () => {
    // Propagation of chaos: the initial measure's sampling error O(m^{−1/2}) is carried by the
    // flow, so if the ODE is the m = ∞ limit the sup-distance falls as m^{−1/2}; a wrong ODE or
    // field (e.g. g without the factor ½) leaves an m-independent gap (exponent ≈ 0).
    // Measured: −0.51, CI [−0.62, −0.41]; the two fields at m = 32 differ by 8e-16 over [0, 24].
    const r = runOddExperiment({ dim: 20, widths: [32, 128, 512], seeds: 8, tMax: 24, records: 12, rtol: 1e-7, field: 'paired', crossCheckWidth: 32, seed: 0 });
    expect(r.status).toBe('ok');
    const [fit] = fitRecords(r.records.filter((x) => x.metric === 'wDistance'), [], { seed: 'test' });
    expect(fit.exponent).toBeGreaterThanOrEqual(-0.65);
    expect(fit.exponent).toBeLessThanOrEqual(-0.35);
    expect(r.summary.crossCheck).toBeLessThan(1e-8);
    // the ODE does move: ‖w_t‖ reaches > 90 % of ‖w*‖ by t = 24, so the distances are not idle
    expect(r.summary.wFinal).toBeGreaterThan(0.9 * r.summary.wStar);
  });

  it('runs end to end from its config (tiny sizes): long-format records, fits and the report', async () => {
    const c = resolveExperiment(loadExperiment('meanfield-odd-target'), true);
    const tiny = { ...c, widths: [16, 64], seeds: 3, params: { ...c.params, dim: 6, tMax: 8, records: 8, crossCheckWidth: 16 } };
    const out = mkdtempSync(join(tmpdir(), 'widelimit-mf-odd-'));
    const { results, report } = await runResolvedExperiment(tiny, { out, workers: 1, progress: false });
    const r = results as GenericResults;
    expect(r.status).toBe('ok');
    expect(r.axis.name).toBe('m');
    expect(r.records.filter((x) => x.metric === 'wDistance')).toHaveLength(2 * 3);
    expect(r.records.every((x) => x.metric === 'fieldCrossCheck' ? x.seed === null : x.seed !== null && Number.isFinite(x.value))).toBe(true);
    const f = r.fits.find((x) => x.metric === 'wDistance');
    expect(f?.expected).toBe(-0.5);
    expect(Number.isFinite(f?.exponent)).toBe(true);
    expect(r.fits.some((x) => x.metric === 'fieldCrossCheck')).toBe(false);
    const curves = JSON.parse(readFileSync(join(out, 'curves.json'), 'utf8')) as { kind: string; quantity: string }[];
    expect(curves.filter((x) => x.kind === 'limit' && x.quantity === 'wNorm')).toHaveLength(9);
    expect(existsSync(join(out, 'figures', 'curve-wNorm.svg'))).toBe(true);
    expect(readFileSync(report.markdown, 'utf8')).toContain('sup_t ‖w_t^(m) − w_t^ODE‖');
  });

  it('bad configs are input errors naming the field', () => {
    const c = resolveExperiment(loadExperiment('meanfield-odd-target'), true);
    expect(() => parseOddKind({ ...c, widths: [16, 33] })).toThrow(/meanfield-odd-target.widths\[1\]: must be even/);
    expect(() => parseOddKind({ ...c, params: { ...c.params, colour: 1 } })).toThrow(InputError);
    expect(() => parseOddKind({ ...c, params: { ...c.params, field: 'exact' } })).toThrow(/params.field/);
  });
});
