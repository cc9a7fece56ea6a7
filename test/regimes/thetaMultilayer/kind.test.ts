import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConfig, resolveExperiment } from '../../../src/harness/experiments.js';
import type { GenericResults } from '../../../src/harness/types.js';
import { runResolvedExperiment } from '../../../src/regimes/runExperiment.js';
import { registerThetaMultilayerKinds, thetaMultilayerKind } from '../../../src/regimes/thetaMultilayer/kind.js';

const tmp = mkdtempSync(join(tmpdir(), 'theta-ml-kind-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const config = {
  name: 'theta-ml-tiny',
  claim: 'smoke test',
  kind: 'theta-multilayer',
  spec: { data: { source: 'gaussian', n: 8, nTest: 4, dim: 4, target: 'teacher-relu', seed: 0 }, model: { activation: 'relu' }, training: { loss: 'mse' } },
  widths: [16, 64],
  seeds: 2,
  params: { depths: [2], points: [[0.5, 0.5], [1.5, 0]] },
};

describe('experiment kind theta-multilayer', () => {
  it('a lazy point follows its frozen kernel and keeps its directions; (1.5, 0) condenses its hidden layer', async () => {
    registerThetaMultilayerKinds();
    const c = resolveExperiment(checkConfig(config, 'theta-ml-tiny'), false, tmp);
    const r = (await runResolvedExperiment(c, { out: join(tmp, 'run'), workers: 1, progress: false })).results as GenericResults;
    expect(r.status).toBe('ok');
    const at = (metric: string) => r.records.filter((x) => x.metric === metric && x.width === 64).map((x) => x.value);
    expect(at('rdInput@L=2,gamma=0.5,gammaPrime=0.5')).toHaveLength(2);
    // at m = 64 the deep kernel still moves by ~10 % (theory/theta.md#multilayer-finite-m); the condensed point is far off
    for (const v of at('rateRatio@L=2,gamma=0.5,gammaPrime=0.5')) expect(Math.abs(v - 1)).toBeLessThan(0.25);
    for (const v of at('rateRatio@L=2,gamma=1.5,gammaPrime=0')) expect(Math.abs(v - 1)).toBeGreaterThan(0.5);
    for (const v of at('hiddenDirectionsRatio@L=2,gamma=0.5,gammaPrime=0.5')) expect(v).toBeGreaterThan(0.99);
    for (const v of at('hiddenDirectionsRatio@L=2,gamma=1.5,gammaPrime=0')) expect(v).toBeLessThan(0.9);
    expect(r.fits.map((f) => f.metric)).toContain('rateError@L=2,gamma=0.5,gammaPrime=0.5'); // θ-lazy point only
    expect(r.fits.map((f) => f.metric)).not.toContain('rateError@L=2,gamma=1.5,gammaPrime=0');
  });

  it('with feed: the same runs bit for bit, the split sums to e_first, and the recorded path gives the measured error', async () => {
    const run = async (params: Record<string, unknown>, dir: string) => {
      const c = resolveExperiment(checkConfig({ ...config, widths: [32, 64], params: { depths: [2], points: [[0.5, 0]], ...params } }, 'theta-ml-tiny'), false, tmp);
      return (await runResolvedExperiment(c, { out: join(tmp, dir), workers: 1, progress: false })).results as GenericResults;
    };
    const plain = await run({}, 'plain'), feed = await run({ feed: true, slowKernel: true }, 'feed');
    const values = (r: GenericResults, metric: string, w?: number) => r.records.filter((x) => x.metric === `${metric}@L=2,gamma=0.5,gammaPrime=0` && (w === undefined || x.width === w)).map((x) => x.value);
    expect(values(feed, 'rateRatio')).toEqual(values(plain, 'rateRatio'));
    expect(values(feed, 'kernelMotion')).toEqual(values(plain, 'kernelMotion'));
    const [first, a, b, c] = ['feedFirst', 'feedSlowSlow', 'feedFastSlow', 'feedRest'].map((m) => values(feed, m));
    expect(first).toHaveLength(4);
    first.forEach((v, i) => expect(a[i] + b[i] + c[i]).toBeCloseTo(v, 12));
    // dr/dt = −Θ_t r/n with the pointwise kernel, up to ReLU units sliding along a kink (theory/theta.md#feed):
    // at m = 64 the path gives e within 40 % (measured 14 %, 12 %); a wrong sign or scale would be off by ≥ 100 %
    const path = values(feed, 'feedPath', 64), e = values(feed, 'rateErrorSigned', 64);
    path.forEach((v, i) => expect(Math.abs(v - e[i])).toBeLessThan(0.4 * Math.abs(e[i])));
  });

  it('a point in object form runs only at its own depths, in depth-major order', () => {
    const c = resolveExperiment(checkConfig({ ...config, params: { depths: [2, 3], points: [[0.5, 0], { gamma: 0.75, gammaPrime: 0, depths: [2] }, { gamma: 0.5, gammaPrime: 0, ph: 0, depths: [3] }] } }, 'theta-ml-tiny'), false, tmp);
    const p = thetaMultilayerKind.parse(c);
    expect(p.points.map((x) => [x.depth, x.point.gamma, x.ph])).toEqual([[2, 0.5, 0.5], [2, 0.75, 0.5], [3, 0.5, 0.5], [3, 0.5, 0]]);
  });

  it('rejects depth 1, a malformed point and a non-MSE loss, naming the field', () => {
    const parse = (patch: Record<string, unknown>) => thetaMultilayerKind.parse(resolveExperiment(checkConfig({ ...config, ...patch }, 'theta-ml-tiny'), false, tmp));
    expect(() => parse({ params: { depths: [1], points: [[0.5, 0]] } })).toThrow(/theta-ml-tiny\.params\.depths/);
    expect(() => parse({ params: { depths: [2], points: [[0.5]] } })).toThrow(/theta-ml-tiny\.params\.points\[0\]/);
    expect(() => parse({ params: { depths: [2], points: [{ gamma: 0.5, gammaPrime: 0, depths: [1] }] } })).toThrow(/theta-ml-tiny\.params\.points\[0\]\.depths/);
    expect(() => parse({ params: { depths: [2], points: [{ gamma: 0.5, gammaPrime: 0, L: 2 }] } })).toThrow(/theta-ml-tiny\.params\.points\[0\]/);
    expect(() => parse({ spec: { ...config.spec, training: { loss: 'hinge' } } })).toThrow(/theta-ml-tiny\.spec\.training\.loss/);
  });
});
