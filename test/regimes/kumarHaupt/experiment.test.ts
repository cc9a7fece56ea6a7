/**
 * The `kumar-haupt` experiment kind end to end (quick version of
 * experiments/kumar-haupt-directional.json: δ = 1e-2, 1e-3; two seeds), and its claim
 * (Kumar & Haupt 2024, arXiv 2403.08121; theory/kumar-haupt.md).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadExperiment, resolveExperiment } from '../../../src/harness/experiments.js';
import { runResolvedExperiment } from '../../../src/regimes/runExperiment.js';
import type { GenericResults } from '../../../src/harness/types.js';
import { crossing, interpolate } from '../../../src/regimes/kumarHaupt/experiment.js';
import { parseKumarHaupt, registerKumarHauptKinds } from '../../../src/regimes/kumarHaupt/index.js';

describe('interpolation helpers', () => {
  it('crossing finds the first time a sampled curve reaches a level; interpolate is linear between samples', () => {
    expect(crossing([0, 1, 2, 3], [0, 0.5, 1, 0], 0.75)).toBeCloseTo(1.5, 14);
    expect(crossing([0, 1], [0, 0.5], 0.9)).toBeNaN();
    expect(interpolate([0, 1, 2], [0, 10, 30], 1.5)).toBeCloseTo(20, 14);
    expect(interpolate([0, 1, 2], [0, 10, 30], 2.5)).toBeNaN();
  });
});

describe('experiment kumar-haupt-directional --quick', () => {
  registerKumarHauptKinds();
  const dir = mkdtempSync(join(tmpdir(), 'widelimit-kh-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('cos(w, u*) ≥ 0.99 at the predicted time for δ = 1e-3, t_align ∝ 1/δ, ‖w‖ = O(δ) at alignment, rank-one KKT layers; well-formed records and report', async () => {
    const c = resolveExperiment(loadExperiment('kumar-haupt-directional'), true);
    const { results } = await runResolvedExperiment(c, { out: dir, progress: false });
    const r = results as GenericResults;
    expect(r.kind).toBe('kumar-haupt');
    expect(r.status).toBe('ok');
    expect(r.axis.name).toBe('inverseDelta');
    const metric = (m: string) => r.records.filter((x) => x.metric === m);
    for (const m of ['alignTime', 'alignTimeRescaled', 'cosineAtScale', 'maxCosine', 'normAtAlign', 'rankRatio.W1', 'rankRatio.W2', 'kktRankRatio.W1', 'kktRankRatio.W2']) {
      expect(metric(m)).toHaveLength(c.widths.length * c.seeds);
      for (const x of metric(m)) expect(Number.isFinite(x.value)).toBe(true);
    }
    // the claim at δ = 1e-3 (width 1000 = 1/δ)
    for (const x of metric('cosineAtScale').filter((x) => x.width === 1000)) expect(x.value).toBeGreaterThanOrEqual(0.99);
    expect(r.notes?.some((n) => n.startsWith('Claim at δ = 1e-3') && n.endsWith('PASS.'))).toBe(true);
    // t_align ∝ δ^{−(p−2)} = δ^{−1}: exponent +1 against 1/δ (tolerance 0.05 in the config)
    const fit = r.fits.find((f) => f.metric === 'alignTime')!;
    expect(Math.abs(fit.exponent - 1)).toBeLessThan(0.05);
    // …which the rescaled time makes exact: listed as an identity, never judged as a claim
    expect(r.identities?.map((i) => i.quantity)).toContain('alignTime');
    expect(r.claims?.some((x) => x.quantity === 'alignTime')).toBe(false);
    // ‖w(t_align)‖/δ is O(1) and the same for both δ (1%)
    for (let s = 0; s < c.seeds; s++) {
      const [a, b] = metric('normAtAlign').filter((x) => x.seed === s).map((x) => x.value);
      expect(Math.abs(a - b)).toBeLessThan(0.01 * a);
    }
    for (const x of [...metric('kktRankRatio.W1'), ...metric('kktRankRatio.W2')]) expect(x.value).toBeLessThan(1e-6);
    for (const f of ['results.json', 'report.md', 'report.html', 'curves.csv', 'figures/curve-cosineToKkt.svg', 'figures/metric-alignTime.svg']) {
      expect(existsSync(join(dir, f))).toBe(true);
    }
  });
});

describe('kumar-haupt config errors', () => {
  const base = resolveExperiment(loadExperiment('kumar-haupt-directional'), true);
  it('name the offending field', () => {
    expect(() => parseKumarHaupt({ ...base, params: { threshold: 1.5 } })).toThrow(/kumar-haupt-directional\.params\.threshold: must be in \(0, 1\)/);
    expect(() => parseKumarHaupt({ ...base, spec: { ...base.spec, model: { depth: 2, width: 16, activation: 'tanh' } } })).toThrow(/spec\.model\.activation: must be positively homogeneous/);
    expect(() => parseKumarHaupt({ ...base, spec: { ...base.spec, training: {} } })).toThrow(/spec\.training: unknown field/);
    expect(() => parseKumarHaupt({ ...base, params: { kkt: { angel: 0.1 } } })).toThrow(/params\.kkt\.angel: unknown field/);
  });
});
