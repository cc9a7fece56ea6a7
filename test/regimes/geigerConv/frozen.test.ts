/**
 * The lazy limit of a geiger-conv run (src/regimes/geigerConv/frozen.ts, theory/geiger.md#conv-frozen):
 * checked against a second method, the network itself trained by gradient flow at a large √hα
 * (cell.ts), whose outputs differ from the frozen-kernel flow's by O(1/√hα) relative; and the flow
 * followed to the margins.
 */
import { describe, expect, it } from 'vitest';
import { checkConfig, resolveExperiment } from '../../../src/harness/experiments.js';
import { runConvCell } from '../../../src/regimes/geigerConv/cell.js';
import { runFrozenConvCell } from '../../../src/regimes/geigerConv/frozen.js';
import { parseGeigerConv } from '../../../src/regimes/geigerConv/kind.js';

const config = {
  name: 'geiger-conv-frozen-tiny',
  claim: 'test',
  kind: 'geiger-conv',
  spec: {
    data: { source: 'gaussian', n: 10, nTest: 8, dim: 16, target: 'sign', seed: 0 },
    model: { depth: 2, activation: 'softplus:5', weightStd: 1.4142135623730951, conv: { channels: 1, height: 4, width: 4, kernel: 3 } },
    training: { loss: 'soft-hinge' },
  },
  widths: [3, 6],
  seeds: 2,
  params: { lazy: 1e4, feature: 0.1, savesPerDecade: 2, maxTime: 3, lazyLimit: 'frozen-kernel' },
};

describe('geiger-conv lazy limit (frozen kernel)', () => {
  const p = parseGeigerConv(resolveExperiment(checkConfig(config, 'geiger-conv-frozen-tiny'), false));
  const task = { spec: p.spec, baseDir: p.baseDir, width: 6, alpha: 1e4 / Math.sqrt(6), seed: 1, tolerance: 1e-6, maxTime: 3, savesPerDecade: 2 };

  it('parses lazyLimit and refuses other values', () => {
    expect(p.lazyLimit).toBe('frozen-kernel');
    expect(() => parseGeigerConv(resolveExperiment(checkConfig({ ...config, params: { ...config.params, lazyLimit: 'ode' } }, 'geiger-conv-frozen-tiny'), false))).toThrow(/lazyLimit/);
  });

  it('equals the network trained at √hα = 1e4 up to t = 3 on the test inputs (relative 1e-3: the gap is O(1/√hα) = 1e-4 times an O(1) prefactor)', () => {
    const frozen = runFrozenConvCell(task);
    const net = runConvCell(task);
    expect(frozen.status).toBe('ok');
    expect(net.status).toBe('ok');
    const scale = Math.max(...net.fTestFinal.map(Math.abs));
    expect(scale).toBeGreaterThan(0.05); // the outputs did move
    const gap = Math.max(...frozen.fTestFinal.map((v, i) => Math.abs(v - net.fTestFinal[i])));
    expect(gap / scale).toBeLessThan(1e-3);
    expect(frozen.kernelMotion).toBe(0);
  }, 60_000);

  it('followed long enough, reaches every training margin (train error 0, a finite stop time)', () => {
    const r = runFrozenConvCell({ ...task, maxTime: 1e7, tolerance: 1e-4 });
    expect(r.status).toBe('ok');
    expect(Number.isFinite(r.stopTime)).toBe(true);
    expect(r.trainError).toBe(0);
  });
});
