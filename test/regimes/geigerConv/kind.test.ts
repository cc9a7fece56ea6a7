/**
 * Experiment kind `geiger-conv` (src/regimes/geigerConv; theory/geiger.md#conv): the tangent kernel
 * of the convolutional network computed by cell.ts's batched Jacobian equals the one-input reference's
 * (src/finite/layers/reference.ts, a second method) to 1e-12 relative; a tiny config runs through the
 * harness into paired statistics, and the lazy point's kernel moves far less than the feature point's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { mat } from '../../../src/core/matrix.js';
import { Rng } from '../../../src/core/rng.js';
import { parseActivation } from '../../../src/finite/activation.js';
import { buildNetwork } from '../../../src/finite/layers/build.js';
import { referenceNtk } from '../../../src/finite/layers/reference.js';
import { initSerialParams } from '../../../src/finite/layers/serialParams.js';
import { checkConfig, resolveExperiment } from '../../../src/harness/experiments.js';
import { registerExperimentKind } from '../../../src/harness/kinds.js';
import type { GenericResults } from '../../../src/harness/types.js';
import { convNtk } from '../../../src/regimes/geigerConv/cell.js';
import { geigerConvKind } from '../../../src/regimes/geigerConv/kind.js';
import { runResolvedExperiment } from '../../../src/regimes/runExperiment.js';

const tmp = mkdtempSync(join(tmpdir(), 'geiger-conv-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const config = {
  name: 'geiger-conv-tiny',
  claim: 'smoke test',
  kind: 'geiger-conv',
  spec: {
    data: { source: 'gaussian', n: 10, nTest: 8, dim: 16, target: 'sign', seed: 0 },
    model: { depth: 2, activation: 'softplus:5', weightStd: 1.4142135623730951, conv: { channels: 1, height: 4, width: 4, kernel: 3 } },
    training: { loss: 'soft-hinge' },
  },
  widths: [3, 6],
  seeds: 2,
  params: { lazy: 300, feature: 0.1, savesPerDecade: 2, maxTime: 500 },
};

describe('experiment kind geiger-conv', () => {
  it('its batched tangent kernel equals the reference one', () => {
    const net = buildNetwork({
      inputDim: 16, outputDim: 1, width: 5, depth: 2, activation: parseActivation('tanh'), parameterization: 'ntk', weightStd: 1.2, biasStd: 0.3,
      conv: { channels: 1, height: 4, width: 4, kernel: 3, pool: true, inputPool: 1 },
    });
    const rng = new Rng('conv-ntk');
    const { params, flat } = initSerialParams(net, rng.child('init'));
    const x = mat(3, 16);
    rng.fillNormal(x.data);
    const rows = [0, 1, 2].map((i) => x.data.subarray(16 * i, 16 * i + 16));
    const ref = referenceNtk(net, params, rows);
    const mine = convNtk(net, params, x, new Float64Array(flat.length).fill(1)).data;
    let d = 0, s = 0;
    for (let i = 0; i < ref.length; i++) { d = Math.max(d, Math.abs(mine[i] - ref[i])); s = Math.max(s, Math.abs(ref[i])); }
    expect(d / s).toBeLessThan(1e-12);
  });

  it('runs a tiny config through the harness into paired statistics', async () => {
    registerExperimentKind(geigerConvKind);
    const c = resolveExperiment(checkConfig(config, 'geiger-conv-tiny'), false, tmp);
    const { results } = await runResolvedExperiment(c, { out: join(tmp, 'run'), workers: 1, progress: false });
    const r = results as GenericResults;
    expect(r.kind).toBe('geiger-conv');
    expect(r.records.filter((x) => x.metric === 'testError.lazy')).toHaveLength(4);
    const st = r.statistics as Record<string, { estimate: number; seeds: number }>;
    const lazy = r.records.filter((x) => x.metric === 'testError.lazy' && x.width === 6).map((x) => x.value as number);
    const feature = r.records.filter((x) => x.metric === 'testError.feature' && x.width === 6).map((x) => x.value as number);
    expect(st.lazyMinusFeature.estimate).toBeCloseTo((lazy[0] - feature[0] + lazy[1] - feature[1]) / 2, 12);
    expect(st.lazyMinusFeature.seeds).toBe(2);
    expect(st['kernelMotion.lazy'].estimate).toBeLessThan(0.1 * st['kernelMotion.feature'].estimate);
  });

  it('refuses a config without a convolutional model, naming the field', () => {
    const bad = { ...config, spec: { ...config.spec, model: { depth: 2 } } };
    expect(() => geigerConvKind.parse(resolveExperiment(checkConfig(bad, 'geiger-conv-tiny'), false, tmp))).toThrow(InputError);
    expect(() => geigerConvKind.parse(resolveExperiment(checkConfig(bad, 'geiger-conv-tiny'), false, tmp))).toThrow(/model\.conv/);
  });
});
