import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { initParams } from '../../src/finite/params.js';
import { Rng } from '../../src/core/rng.js';
import { runTrain } from '../../src/run/train.js';
import { VERSION } from '../../src/spec/version.js';
import type { Spec } from '../../src/spec/types.js';
import { smallData } from './helpers.js';

function spec(o: { model?: Partial<Spec['model']>; training?: Partial<Spec['training']>; seed?: number } = {}): Spec {
  return {
    data: { source: 'gaussian', n: 12, nTest: 5, dim: 4, target: 'teacher-relu', outputs: 1, seed: 3 },
    model: {
      depth: 2, width: 16, activation: 'relu', parameterization: 'ntk', weightStd: Math.SQRT2, biasStd: 0.1,
      alpha: 1, centred: false, gamma0: 1, ...o.model,
    },
    training: { loss: 'mse', softHingeBeta: 20, method: 'gd', lr: 0.5, steps: 20, recordEvery: 5, ...o.training },
    seed: o.seed ?? 0,
  };
}

describe('runTrain', () => {
  it('fills the result file: times = lr·steps, n numbers per record for k = 1, meta and the resolved spec', () => {
    const { result, init, arch } = runTrain(spec(), { width: 24, seed: 5 });
    expect(result.status).toBe('ok');
    expect(result.times).toEqual([0, 2.5, 5, 7.5, 10]);
    expect(result.steps).toEqual([0, 5, 10, 15, 20]);
    expect(result.fTrain).toHaveLength(5);
    expect(result.fTrain[0]).toHaveLength(12);
    expect(typeof result.fTrain[0][0]).toBe('number');
    expect(result.fTest[0]).toHaveLength(5);
    expect(result.trainLoss.at(-1)).toBeLessThan(result.trainLoss[0]);
    expect(result.meta).toMatchObject({ version: VERSION, seed: 5, kind: 'train', width: 24 });
    expect(result.spec.model.width).toBe(24);
    expect(result.spec.seed).toBe(5);
    expect(result.weightMotion).toHaveLength(5);
    expect(arch.width).toBe(24);
    expect(init.layers[1].W).toHaveLength(24);
    expect(JSON.parse(JSON.stringify(result)).fTrain).toEqual(result.fTrain);
  });

  it('draws the init from new Rng(seed).child("init"): same seed, bit-identical run; other seed, other run', () => {
    const a = runTrain(spec({ training: { method: 'sgd', batchSize: 5 } }), { seed: 4 }).result;
    const b = runTrain(spec({ training: { method: 'sgd', batchSize: 5 } }), { seed: 4 }).result;
    const c = runTrain(spec({ training: { method: 'sgd', batchSize: 5 } }), { seed: 9 }).result;
    expect(b.fTrain).toEqual(a.fTrain);
    expect(b.trainLoss).toEqual(a.trainLoss);
    expect(c.fTrain[0]).not.toEqual(a.fTrain[0]);
    const { init, arch } = runTrain(spec({ training: { steps: 0 } }), { seed: 4 });
    const direct = initParams(arch, new Rng(4).child('init'));
    expect(init.layers[0].W[0]).toEqual(Array.from(direct.W[0].data.subarray(0, 4)));
  });

  it('trains exactly the weights of an init file (bit-identical to the run that saved it)', () => {
    const first = runTrain(spec({ model: { parameterization: 'ip-llr', biasStd: 0 } }), { seed: 2 });
    const again = runTrain(spec({ model: { parameterization: 'ip-llr', biasStd: 0 } }), { seed: 99, init: JSON.parse(JSON.stringify(first.init)) });
    expect(again.result.fTrain).toEqual(first.result.fTrain);
    expect(again.result.trainLoss).toEqual(first.result.trainLoss);
  });

  it('uses the file\'s multipliers and rates', () => {
    const first = runTrain(spec({ training: { steps: 1, recordEvery: 1 } }), { seed: 1 });
    const file = JSON.parse(JSON.stringify(first.init));
    for (const l of file.layers) { l.rate *= 2; l.biasRate *= 2; }
    const doubled = runTrain(spec({ training: { steps: 1, recordEvery: 1, lr: 0.25 } }), { init: file });
    // lr/2 with rates ×2 is the same step up to rounding
    const d = (doubled.result.fTrain[1] as number[]).map((v, i) => Math.abs(v - (first.result.fTrain[1] as number[])[i]));
    expect(Math.max(...d)).toBeLessThan(1e-12);
  });

  it('rejects an init file whose shapes do not match the spec with an InputError naming the field', () => {
    const { init } = runTrain(spec({ training: { steps: 0 } }), { width: 32 });
    expect(() => runTrain(spec(), { width: 64, init })).toThrow(InputError);
    expect(() => runTrain(spec(), { width: 64, init })).toThrow('init.layers[0].W: expected 64x4, got 32x4');
  });

  it('uses a given dataset, several outputs giving arrays of k values per point', () => {
    const data = smallData('run', 7, 4, 3, 2);
    const { result } = runTrain(spec({ model: { activation: 'tanh' } }), { dataset: data });
    expect(result.fTrain[0]).toHaveLength(7);
    expect(result.fTrain[0][0]).toHaveLength(3);
    expect(result.meta.data).toBe('test data run');
  });

  it('runs gradient flow with kernel records: n×n kernels, stats of the integrator', () => {
    const { result } = runTrain(spec({ training: { method: 'flow', tolerance: 1e-6, recordKernel: true, steps: 8, recordEvery: 4 } }));
    expect(result.status).toBe('ok');
    expect(result.times).toEqual([0, 2, 4]);
    expect(result.kernelInit).toHaveLength(12);
    expect(result.kernelInit![0]).toHaveLength(12);
    expect(result.kernelMotion).toHaveLength(3);
    expect(result.stats).toMatchObject({ scheme: 'dopri5', tolerance: 1e-6 });
    expect(Number(result.stats!.accepted)).toBeGreaterThan(0);
  });
});
