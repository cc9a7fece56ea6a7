import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { loadData } from '../../../src/data/load.js';
import { runMeanFieldLimit } from '../../../src/limits/meanfield/run.js';
import { parseMeanFieldOptions } from '../../../src/limits/meanfield/options.js';
import { runTrain } from '../../../src/run/train.js';
import { parseSpec } from '../../../src/spec/validate.js';

const base = (over: { model?: object; training?: object; limitOptions?: object; data?: object } = {}) => parseSpec({
  data: { source: 'gaussian', n: 8, nTest: 4, dim: 3, target: 'linear', seed: 1, ...over.data },
  model: { depth: 1, width: 64, activation: 'relu', parameterization: 'meanfield', ...over.model },
  training: { method: 'gd', lr: 0.2, steps: 10, recordEvery: 4, ...over.training },
  limitOptions: { particles: 256, seeds: 2, ...over.limitOptions },
});

function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('runMeanFieldLimit', () => {
  it('writes the result file at the trainer\'s record steps, times τ = lr·steps, with standard errors', () => {
    const spec = base();
    const r = runMeanFieldLimit(spec);
    expect(r.status).toBe('ok');
    expect(r.steps).toEqual([0, 4, 8, 10]);
    expect(r.times).toEqual([0, 0.8, 1.6, 2]);
    expect(r.times).toEqual(runTrain(spec, { width: 16 }).result.times);
    expect(r.fTrain).toHaveLength(4);
    expect(r.fTrain[0]).toHaveLength(8);
    expect(r.fTest[0]).toHaveLength(4);
    expect(r.fTrainStdErr[0]).toHaveLength(8);
    // f_0(x) of the seed-mean of i.i.d. particles is centred with variance E[a²] E[relu(w·x)²]/(MS)
    // = (σ_w² ‖x‖²/(2d))/(MS) (γ0 = 1): within 5 of its standard deviations of 0
    const x = loadData(spec.data).x;
    (r.fTrain[0] as number[]).forEach((v, i) => {
      const xx = x.data.subarray(3 * i, 3 * i + 3).reduce((s, t) => s + t * t, 0);
      expect(Math.abs(v)).toBeLessThan(5 * Math.sqrt(xx / 6 / 512));
    });
    expect(r.trainLoss[3]).toBeLessThan(r.trainLoss[0]);
    expect(r.meta).toMatchObject({ kind: 'limit', limit: 'meanfield', reference: 'particles' });
    expect(r.stats).toMatchObject({ scheme: 'euler', risk: 'empirical', particles: 256, seeds: 2, runs: 2, timePerTau: 1 });
    expect(JSON.parse(JSON.stringify(r)).times).toEqual(r.times);
  });

  it('training.method flow integrates the same dynamics adaptively: close to GD with a small step (O(lr))', () => {
    const gd = runMeanFieldLimit(base({ training: { lr: 0.01, steps: 200, recordEvery: 100 } }));
    const flow = runMeanFieldLimit(base({ training: { method: 'flow', lr: 0.01, steps: 200, recordEvery: 100 } }));
    expect(flow.status).toBe('ok');
    expect(flow.stats!.scheme).toBe('dopri5');
    expect(flow.times).toEqual(gd.times);
    // GD with step 0.01 differs from the flow by O(lr · |f''|) over τ = 2
    const f = flow.fTrain[2] as number[], g = gd.fTrain[2] as number[];
    f.forEach((v, i) => expect(Math.abs(v - g[i])).toBeLessThan(0.01));
    expect(Math.max(...f.map(Math.abs))).toBeGreaterThan(0.05);
  });

  it('population and online risks run, with the population risk reported', () => {
    const pop = runMeanFieldLimit(base({ limitOptions: { risk: 'population', particles: 128 } }));
    expect(pop.status).toBe('ok');
    expect(pop.populationRisk).toHaveLength(4);
    expect(pop.populationRisk![3]).toBeLessThan(pop.populationRisk![0]);
    const online = runMeanFieldLimit(base({ training: { method: 'sgd', batchSize: 4 }, limitOptions: { risk: 'online' } }));
    expect(online.status).toBe('ok');
    expect(online.message).toMatch(/online/);
  });

  it('rejects bad options and networks without a mean-field limit, naming the field', () => {
    expect(inputError(() => parseMeanFieldOptions({ particles: -3 })).where).toBe('limitOptions.particles');
    expect(inputError(() => parseMeanFieldOptions({ particle: 5 })).where).toBe('limitOptions.particle');
    expect(inputError(() => parseMeanFieldOptions({ init: 'sphere' })).message).toMatch(/Gaussian/);
    expect(inputError(() => parseMeanFieldOptions({ risk: 'exact' })).where).toBe('limitOptions.risk');
    expect(inputError(() => parseMeanFieldOptions({ particles: 7, init: 'symmetric' })).where).toBe('limitOptions.particles');
    expect(inputError(() => runMeanFieldLimit(base({ model: { parameterization: 'ntk' } }))).where).toBe('model.parameterization');
    expect(inputError(() => runMeanFieldLimit(base({ model: { depth: 2 } }))).where).toBe('model.depth');
    expect(inputError(() => runMeanFieldLimit(base({ data: { target: 'sign' }, limitOptions: { risk: 'population' } }))).where).toBe('limitOptions.risk');
  });
});
