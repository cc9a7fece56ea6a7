import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { loadData } from '../../../src/data/load.js';
import { parseActivation } from '../../../src/finite/activation.js';
import { makeLoss } from '../../../src/finite/loss.js';
import { buildArchitecture } from '../../../src/finite/parameterization.js';
import { initParams, paramDistance, paramNorm } from '../../../src/finite/params.js';
import { trainNetwork } from '../../../src/finite/train.js';
import { parameterScales, stoppedFlow } from '../../../src/regimes/geiger/stoppedFlow.js';
import { parseSpec } from '../../../src/spec/validate.js';

const data = loadData(parseSpec({ data: { source: 'gaussian', n: 10, nTest: 4, dim: 3, target: 'teacher-relu', seed: 3 } }).data);

function thetaArch(m: number) {
  // β_1 = m^{-1/2}, β_2 = m^{-1/4}, α = m^{1/4}: layers at very different scales
  return buildArchitecture({ inputDim: 3, outputDim: 1, width: m, depth: 1, activation: parseActivation('softplus:2', 'a'), parameterization: 'theta', theta: { p1: 0.5, p2: 0.25, q: 0.25 } });
}

describe('gradient flow on normalized parameters (stoppedFlow)', () => {
  it('per-parameter scales are the layers’ init stds', () => {
    const arch = thetaArch(16);
    const s = parameterScales(arch);
    expect(s[0]).toBeCloseTo(Math.pow(16, -0.25), 15); // first layer: w ~ N(0, β_2²)
    expect(s[s.length - 1]).toBeCloseTo(Math.pow(16, -0.5), 15); // output layer: a ~ N(0, β_1²)
  });

  it('follows the trainer’s flow on θ itself (same ODE in other coordinates)', () => {
    const arch = thetaArch(16);
    const p0 = initParams(arch, new Rng(1).child('init'));
    const ours = stoppedFlow(arch, p0, data, { loss: makeLoss('mse'), saveTimes: [0.5, 1, 2], stop: { kind: 'none' }, tolerance: 1e-10, h0: 1e-3 });
    const ref = trainNetwork(arch, p0, data, { loss: makeLoss('mse'), method: 'flow', lr: 0.5, steps: 4, recordEvery: 2, tolerance: 1e-11, rng: new Rng(0) });
    expect(ours.out.status).toBe('ok');
    expect(ours.out.times).toEqual([0, 0.5, 1, 2]);
    expect(ref.times).toEqual([0, 1, 2]);
    // both integrate to ~1e-10 local tolerance: agreement to 1e-7 relative leaves room for error growth over t = 2
    expect(Math.abs(ours.out.trainLoss[3] / ref.trainLoss[2] - 1)).toBeLessThan(1e-7);
    expect(Math.abs(ours.out.trainLoss[2] / ref.trainLoss[1] - 1)).toBeLessThan(1e-7);
    expect(paramDistance(ours.out.finalParams, ref.finalParams).total / paramNorm(ref.finalParams).total).toBeLessThan(1e-7);
    expect(ours.out.trainLoss[3]).toBeLessThan(0.9 * ours.out.trainLoss[0]); // and it does train
  });

  it('stops at the first accepted step where every training margin is ≥ 1 (margin rule)', () => {
    const d = loadData(parseSpec({ data: { source: 'gaussian', n: 12, nTest: 4, dim: 4, target: 'sign', seed: 1 } }).data);
    const arch = buildArchitecture({ inputDim: 4, outputDim: 1, width: 32, depth: 1, activation: parseActivation('softplus:5', 'a'), parameterization: 'geiger', weightStd: Math.SQRT2, alpha: 1 / Math.sqrt(32) });
    const r = stoppedFlow(arch, initParams(arch, new Rng(2).child('init')), d, { loss: makeLoss('soft-hinge'), saveTimes: [0.01, 0.1, 1, 10, 100, 1000], stop: { kind: 'margin' }, tolerance: 1e-6, h0: 1e-4 });
    expect(r.stopTime).toBeGreaterThan(0);
    const n = r.out.fTrain.length;
    expect(r.out.times[n - 1]).toBe(r.stopTime);
    const margins = (k: number) => (r.out.fTrain[k] as number[]).map((f, i) => f * d.y.data[i]);
    expect(Math.min(...margins(n - 1))).toBeGreaterThanOrEqual(1);
    for (let k = 0; k < n - 1; k++) expect(Math.min(...margins(k))).toBeLessThan(1);
  });

  it('stops when the loss reaches the asked fraction of its initial value (loss-ratio rule)', () => {
    const arch = thetaArch(32);
    const r = stoppedFlow(arch, initParams(arch, new Rng(4).child('init')), data, { loss: makeLoss('mse'), saveTimes: [0.1, 1, 10, 100, 1e4], stop: { kind: 'loss-ratio', ratio: 0.05 }, tolerance: 1e-6, h0: 1e-3 });
    const L = r.out.trainLoss, n = L.length;
    expect(r.stopTime).toBeGreaterThan(0);
    expect(L[n - 1]).toBeLessThanOrEqual(0.05 * r.loss0);
    expect(L[n - 2]).toBeGreaterThan(0.05 * r.loss0);
  });
});
