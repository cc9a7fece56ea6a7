import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConfig, resolveExperiment } from '../../../src/harness/experiments.js';
import { runResolvedExperiment } from '../../../src/regimes/runExperiment.js';
import type { GenericResults } from '../../../src/harness/types.js';
import { registerRegimeKinds } from '../../../src/regimes/index.js';
import { thetaPhaseDiagramKind } from '../../../src/regimes/theta/kind.js';

const tmp = mkdtempSync(join(tmpdir(), 'theta-kind-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const config = {
  name: 'theta-tiny',
  claim: 'smoke test',
  kind: 'theta-phase-diagram',
  spec: { data: { source: 'gaussian', n: 8, nTest: 4, dim: 4, target: 'teacher-relu', seed: 0 }, model: { activation: 'relu' }, training: { loss: 'mse' } },
  widths: [32, 128],
  seeds: 2,
  params: { points: [[0.5, 0], [1.5, 0]] },
};

describe('experiment kind theta-phase-diagram', () => {
  it('classifies the NTK point linear and (1.5, 0) condensed on a tiny config, with well-formed records and figures', async () => {
    registerRegimeKinds();
    const c = resolveExperiment(checkConfig(config, 'theta-tiny'), false, tmp);
    const out = join(tmp, 'run');
    const r = (await runResolvedExperiment(c, { out, workers: 1, progress: false })).results as GenericResults;
    expect(r.status).toBe('ok');
    const rd = r.records.filter((x) => x.metric.startsWith('rdInput@'));
    expect(rd).toHaveLength(8); // 2 points × 2 widths × 2 seeds
    for (const x of rd) expect(x.value).toBeGreaterThan(0);
    const fit = (m: string) => r.fits.find((f) => f.metric === m)!;
    // the exponents fall in the theoretical classes: linear for the NTK point, condensed for (1.5, 0)
    expect(fit('rdInput@gamma=0.5,gammaPrime=0').exponent).toBeLessThan(-0.3); // measured −0.7 (theory −1/2)
    expect(fit('rdInput@gamma=1.5,gammaPrime=0').exponent).toBeGreaterThan(0.1);
    expect(r.fits.map((f) => f.metric)).toContain('rateError@gamma=0.5,gammaPrime=0'); // θ-lazy point only
    expect(r.fits.map((f) => f.metric)).not.toContain('rateError@gamma=1.5,gammaPrime=0');
    const csv = readFileSync(join(out, 'phase-diagram.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(3);
    expect(csv[1]).toMatch(/^0\.5,0,0\.5,linear,linear,/);
    expect(csv[2]).toMatch(/^1\.5,0,-0\.5,condensed,condensed,/);
    for (const f of ['theta-phase-diagram.svg', 'theta-loss-rate.svg', 'overview.svg']) expect(existsSync(join(out, 'figures', f))).toBe(true);
    // embedded in the report (redrawn reports keep them: they are read from figures/)
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('(figures/theta-phase-diagram.svg)');
  });

  it('rejects a non-MSE loss and a malformed point, naming the field', () => {
    const parse = (patch: Record<string, unknown>) => thetaPhaseDiagramKind.parse(resolveExperiment(checkConfig({ ...config, ...patch }, 'theta-tiny'), false, tmp));
    expect(() => parse({ spec: { ...config.spec, training: { loss: 'hinge' } } })).toThrow(/theta-tiny\.spec\.training\.loss/);
    expect(() => parse({ params: { points: [[0.5]] } })).toThrow(/theta-tiny\.params\.points\[0\]/);
    expect(() => parse({ spec: { ...config.spec, model: { depth: 2 } } })).toThrow(/depth/);
  });
});
