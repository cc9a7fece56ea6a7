import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { checkConfig, resolveExperiment } from '../../../src/harness/experiments.js';
import { runResolvedExperiment } from '../../../src/regimes/runExperiment.js';
import type { GenericResults } from '../../../src/harness/types.js';
import { geigerAlphaScanKind } from '../../../src/regimes/geiger/kind.js';
import { registerRegimeKinds } from '../../../src/regimes/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'geiger-kind-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const config = {
  name: 'geiger-tiny',
  claim: 'smoke test',
  kind: 'geiger-alpha-scan',
  spec: {
    data: { source: 'gaussian', n: 12, nTest: 8, dim: 4, target: 'sign', seed: 0 },
    model: { parameterization: 'geiger', depth: 1, activation: 'softplus:5', weightStd: 1.4142135623730951 },
    training: { loss: 'soft-hinge' },
  },
  widths: [8, 16],
  seeds: 2,
  expected: [{ metric: 'alphaStar', exponent: -0.5, tolerance: 0.5 }],
  params: { grid: [0.1, 0.3, 3, 30, 300], lazyFactor: 5, savesPerDecade: 3 },
};

let full: GenericResults | undefined;

describe('experiment kind geiger-alpha-scan', () => {
  it('runs a tiny config through the harness into well-formed records, fits, figures and a report', async () => {
    registerRegimeKinds();
    const c = resolveExperiment(checkConfig(config, 'geiger-tiny'), false, tmp);
    const out = join(tmp, 'run');
    const { results } = await runResolvedExperiment(c, { out, workers: 1, progress: false });
    const r = results as GenericResults;
    full = r;
    expect(r.kind).toBe('geiger-alpha-scan');
    expect(r.status).toBe('ok');
    // 2 widths × 5 grid values × 2 seeds runs, 6 metrics each
    const perRun = r.records.filter((x) => x.metric.startsWith('kernelMotion@'));
    expect(perRun).toHaveLength(20);
    for (const x of perRun) {
      expect([8, 16]).toContain(x.width);
      expect([0, 1]).toContain(x.seed);
      expect(x.value).toBeGreaterThan(0);
      expect(x.metric).toMatch(/^kernelMotion@sqrtHAlpha=(0\.1|0\.3|3|30|300)$/);
    }
    const astar = r.records.filter((x) => x.metric === 'alphaStar');
    expect(astar).toHaveLength(4);
    for (const x of astar) expect(x.value).toBeGreaterThan(0);
    expect(r.records.filter((x) => x.metric === 'seedVarianceLazy' && x.seed === null)).toHaveLength(2);
    expect(r.records.filter((x) => x.metric === 'seedVarianceLazyTerm')).toHaveLength(4);
    const metrics = r.fits.map((f) => f.metric);
    for (const m of ['alphaStar', 'seedVarianceLazy', 'seedVarianceFeature', 'kernelMotionLazy', 't1Feature']) expect(metrics).toContain(m);
    expect(r.fits.find((f) => f.metric === 'alphaStar')!.verdict).not.toBe('none');
    for (const f of ['geiger-kernel-motion.svg', 'geiger-loss-collapse.svg', 'geiger-t1.svg', 'metric-alphaStar.svg']) expect(existsSync(join(out, 'figures', f))).toBe(true);
    expect(readFileSync(join(out, 'loss-curves.csv'), 'utf8').split('\n')[0]).toBe('width,alpha,sqrtHAlpha,seed,time,scaledTime,lossRatio,testLossRatio');
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('alphaStar');
    // the kind's own figures are embedded in the report, before the harness's metric figures
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md.indexOf('![Kernel motion against √h·α](figures/geiger-kernel-motion.svg)')).toBeGreaterThan(0);
    expect(md.indexOf('figures/geiger-kernel-motion.svg')).toBeLessThan(md.indexOf('figures/metric-alphaStar.svg'));
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<figure id="fig-geiger-loss-collapse"><svg');
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(4);
    // a second run resumes from the saved cells and gives the same results
    const again = await runResolvedExperiment(c, { out, workers: 1, progress: false });
    expect((again.results as GenericResults).records).toEqual(r.records);
  });

  it('rejects bad configs with the field named', () => {
    const bad = (params: Record<string, unknown>) => geigerAlphaScanKind.parse(resolveExperiment(checkConfig({ ...config, params }, 'geiger-tiny'), false, tmp));
    expect(() => bad({ grid: [1] })).toThrow(InputError);
    expect(() => bad({ grid: [2, 2] })).toThrow(/repeated/);
    expect(bad({ grid: [10, 3] }).grid).toEqual([3, 10]);
    expect(() => bad({ grid: [1, 2, 3], varianceLazy: 5 })).toThrow(/geiger-tiny\.params\.varianceLazy/);
    expect(() => bad({ grid: [1, 2, 3], lazyFactr: 5 })).toThrow(/lazyFactor/);
    // one point: only with the side it measures named, on a √hα grid
    expect(() => bad({ grid: [1], varianceLazy: 1, varianceFeature: 1 })).toThrow(/one point/);
    expect(() => bad({ grid: [1], gridKind: 'alpha', varianceLazy: 1 })).toThrow(/one point/);
    expect(() => bad({ grid: [1], varianceFeature: 2 })).toThrow(/geiger-tiny\.params\.varianceFeature/);
    const lazyOnly = bad({ grid: [30], varianceLazy: 30 });
    expect([lazyOnly.varianceLazy, lazyOnly.varianceFeature]).toEqual([30, NaN]);
    const featureOnly = bad({ grid: [0.1], varianceFeature: 0.1 });
    expect([featureOnly.varianceLazy, featureOnly.varianceFeature]).toEqual([NaN, 0.1]);
  });

  it('a one-point grid runs one side only, with the same runs and seed variance as the full grid at that point', async () => {
    expect(full).toBeDefined();
    const one = { ...config, expected: [{ metric: 'seedVarianceLazy', exponent: -1, tolerance: 0.5 }], params: { ...config.params, grid: [300], varianceLazy: 300 } };
    const c = resolveExperiment(checkConfig(one, 'geiger-tiny'), false, tmp);
    const r = (await runResolvedExperiment(c, { out: join(tmp, 'one'), workers: 1, progress: false })).results as GenericResults;
    expect(r.status).toBe('ok');
    const at = (x: GenericResults, re: RegExp) => x.records.filter((y) => re.test(y.metric)).map((y) => [y.width, y.seed, y.metric, y.value]);
    expect(at(r, /@sqrtHAlpha=/)).toEqual(at(full!, /@sqrtHAlpha=300$/));
    expect(at(r, /^seedVarianceLazy/)).toEqual(at(full!, /^seedVarianceLazy/));
    expect(at(r, /^(seedVarianceFeature|alphaStar|sqrtHAlphaStar|lazyAmplitude)/)).toEqual([]);
    const fits = r.fits.map((f) => f.metric);
    expect(fits).toContain('seedVarianceLazy');
    expect(fits).not.toContain('seedVarianceFeature');
    expect(fits).not.toContain('alphaStar');
    expect(r.fits.find((f) => f.metric === 'seedVarianceLazy')!.exponent).toBe(full!.fits.find((f) => f.metric === 'seedVarianceLazy')!.exponent);
    expect(r.notes.join(' ')).toContain('300 (lazy) only');
  });
});
