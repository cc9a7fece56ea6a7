import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { runDeepLinearLimit } from '../../../src/limits/deeplinear/run.js';
import { solveInfiniteDepth } from '../../../src/limits/proportional/depthOde.js';
import { ISOTROPIC } from '../../../src/limits/proportional/problem.js';
import { solveResidualProportional } from '../../../src/limits/proportional/residual.js';
import { proportionalProblemOf } from '../../../src/limits/proportional/run.js';
import { solveProportional } from '../../../src/limits/proportional/solve.js';
import { parseSpec } from '../../../src/spec/validate.js';

const raw = (over: Record<string, unknown> = {}) => ({
  data: { source: 'gaussian', n: 256, nTest: 16, dim: 128, target: 'linear', noise: 0.3, seed: 1 },
  model: { depth: 2, width: 256, activation: 'identity', parameterization: 'meanfield', gamma0: 1 / Math.sqrt(128), weightStd: 1, biasStd: 0 },
  training: { method: 'gd', loss: 'mse', lr: 12.8, steps: 12, recordEvery: 4 },
  limit: 'deeplinear', limitOptions: { scaling: 'proportional' }, seed: 0, ...over,
});

describe('limit with limitOptions.scaling = proportional', () => {
  it('reads α = n/dim, ν = width/dim, γ̄ = γ0√dim, η = lr/dim (theory/proportional.md#units) and writes the DMFT losses', () => {
    const spec = parseSpec(raw(), 'spec');
    const p = proportionalProblemOf(spec);
    expect(p.data).toEqual({ kind: 'repeated', alpha: 2 });
    expect(p.nu).toBe(2);
    expect(p.gammaBar).toBeCloseTo(1, 14);
    expect(p.eta).toBeCloseTo(0.1, 14);
    const r = runDeepLinearLimit(spec);
    const s = solveProportional({ depth: 2, nu: 2, gammaBar: 1, eta: 0.1, sigma: 0.3, steps: 12, data: { kind: 'repeated', alpha: 2 }, spectrum: ISOTROPIC });
    expect(r.status).toBe('ok');
    expect(r.steps).toEqual([0, 4, 8, 12]);
    r.steps.forEach((st, i) => {
      expect(r.testLoss[i]).toBeCloseTo(s.testLoss[st], 12);
      expect(r.trainLoss[i]).toBeCloseTo(s.trainLoss[st], 12);
    });
  });

  it('sgd is one-pass with κ = batchSize/dim; ntk is γ̄ = 1/√ν', () => {
    const spec = parseSpec(raw({ model: { ...raw().model, parameterization: 'ntk' }, training: { ...raw().training, method: 'sgd', batchSize: 64 } }), 'spec');
    const p = proportionalProblemOf(spec);
    expect(p.data).toEqual({ kind: 'online', batchRatio: 0.5 });
    expect(p.gammaBar).toBeCloseTo(1 / Math.sqrt(2), 14);
    expect(runDeepLinearLimit(spec).status).toBe('ok');
  });

  it('refuses specs outside the model with an InputError naming the field', () => {
    const bad = (over: Record<string, unknown>, field: string) => {
      const spec = parseSpec(raw(over), 'spec');
      expect(() => runDeepLinearLimit(spec)).toThrow(InputError);
      try { runDeepLinearLimit(spec); } catch (e) { expect((e as InputError).message).toContain(field); }
    };
    bad({ data: { ...raw().data, target: 'teacher-relu' } }, 'data.target');
    bad({ limitOptions: { scaling: 'sideways' } }, 'limitOptions.scaling');
    bad({ limitOptions: { scaling: 'proportional', residual: true, depth: 'deep' } }, 'limitOptions.depth');
    bad({ limitOptions: { scaling: 'proportional', depth: 'infinite' } }, 'limitOptions.depth');
    bad({ limitOptions: { scaling: 'fixed', residual: true, depth: 'infinite' } }, 'limitOptions.depth');
    bad({ limitOptions: { scaling: 'proportional', residual: true, depth: 'infinite', depthSteps: 0 } }, 'limitOptions.depthSteps');
    bad({ limitOptions: { scaling: 'proportional', residual: true, depthSteps: 8 } }, 'limitOptions.depthSteps');
  });

  it('residual: model.depth blocks by the block recursion, or depth "infinite" by the depth ODE (theory/proportional.md#depth-ode)', () => {
    const prob = { depth: 2, nu: 2, gammaBar: 1, eta: 0.1, sigma: 0.3, steps: 12, data: { kind: 'repeated' as const, alpha: 2 }, spectrum: ISOTROPIC };
    const blocks = runDeepLinearLimit(parseSpec(raw({ limitOptions: { scaling: 'proportional', residual: true, beta0: 0.5 } }), 'spec'));
    const inf = runDeepLinearLimit(parseSpec(raw({ limitOptions: { scaling: 'proportional', residual: true, beta0: 0.5, depth: 'infinite', depthSteps: 16 } }), 'spec'));
    const b = solveResidualProportional(prob, 2, 0.5);
    const i = solveInfiniteDepth(prob, 0.5, 16);
    r0(blocks, b.testLoss);
    r0(inf, i.testLoss);
    expect(inf.stats?.residual).toBeLessThan(1e-4);
  });
});

function r0(r: ReturnType<typeof runDeepLinearLimit>, curve: Float64Array): void {
  expect(r.status).toBe('ok');
  r.steps.forEach((st, k) => expect(r.testLoss[k]).toBe(curve[st]));
}
