import { describe, expect, it } from 'vitest';
import { mat } from '../../../src/core/matrix.js';
import { Rng } from '../../../src/core/rng.js';
import type { Dataset } from '../../../src/data/dataset.js';
import { parseActivation } from '../../../src/finite/activation.js';
import { forwardRaw } from '../../../src/finite/fused/forward.js';
import { makeLoss } from '../../../src/finite/loss.js';
import { buildArchitecture } from '../../../src/finite/parameterization.js';
import { initParams } from '../../../src/finite/params.js';
import { trainNetwork } from '../../../src/finite/train.js';
import { runParticleFlow } from '../../../src/limits/meanfield/flow.js';
import { evaluateParticles } from '../../../src/limits/meanfield/particles.js';
import { paramsToParticles, particlesToParams, trainerMap, trainerModel } from '../../../src/limits/meanfield/trainerMap.js';

const d = 6;
const n = 10;

function data(seed: string): Dataset {
  const rng = new Rng(seed);
  const x = mat(n, d), xTest = mat(3, d);
  rng.fillNormal(x.data);
  rng.fillNormal(xTest.data);
  const y = mat(n, 1, Float64Array.from({ length: n }, () => rng.sign()));
  return { x, y, xTest, yTest: mat(3, 1), description: 'test' };
}

const arch = (h: number, act = 'relu', gamma0 = 0.7, sw = 1.3, alpha = 1) => buildArchitecture({
  inputDim: d, outputDim: 1, width: h, depth: 1, activation: parseActivation(act), parameterization: 'meanfield',
  gamma0, weightStd: sw, alpha,
});

describe('the trainer\'s meanfield two-layer networks are the particle system', () => {
  it('map constants: t = τ, κ = γ0² σ_w²/d, a ~ N(0, 1/γ0²), w ~ N(0, σ_w²/d I), for every width', () => {
    for (const h of [8, 100, 4096]) {
      const map = trainerMap(arch(h));
      expect(map.timePerTau).toBeCloseTo(1, 12);
      expect(map.wRate).toBeCloseTo((0.7 ** 2 * 1.3 ** 2) / d, 12);
      expect(map.init.aStd).toBeCloseTo(1 / 0.7, 12);
      expect(map.init.wStd).toBeCloseTo(1.3 / Math.sqrt(d), 12);
    }
  });

  it('Params → particles → Params is the identity, and F(x) = (1/h) Σ a_j φ(w_j·x) equals the trainer\'s forward pass', () => {
    const a = arch(16, 'tanh');
    const p = initParams(a, new Rng('map/p'));
    const y = paramsToParticles(a, p);
    const back = particlesToParams(a, y);
    back.W.forEach((W, l) => W.data.forEach((v, i) => expect(v).toBeCloseTo(p.W[l].data[i], 14)));
    const ds = data('map/x');
    const F = forwardRaw(a, p, ds.x);
    const G = evaluateParticles(y, trainerMap(a).shape, a.activation, ds.x);
    F.data.forEach((v, i) => expect(v).toBeCloseTo(G[i], 14));
  });

  for (const [act, lossName, alpha] of [['relu', 'mse', 1], ['tanh', 'logistic', 2]] as const) {
    it(`${act}, ${lossName}, α = ${alpha}: 3 GD steps of the trainer = 3 explicit-Euler steps (dt = lr) of the particle flow, to rounding`, () => {
      const h = 32;
      const lr = 0.35;
      const a = arch(h, act, 0.7, 1.3, alpha);
      const map = trainerMap(a);
      const ds = data(`map/gd/${act}`);
      const p0 = initParams(a, new Rng(`map/gd/${act}/p`));
      const out = trainNetwork(a, p0, ds, { loss: makeLoss(lossName), method: 'gd', lr, steps: 3, recordEvery: 1, rng: new Rng('unused') });
      expect(out.status).toBe('ok');
      const flow = runParticleFlow(trainerModel(a, map), {
        kind: 'empirical', x: ds.x, y: ds.y.data, loss: makeLoss(lossName), alpha,
      }, map.shape, paramsToParticles(a, p0), {
        times: [0, 1, 2, 3].map((s) => s * lr * map.timePerTau), scheme: { kind: 'euler', dt: lr * map.timePerTau }, inputs: [ds.x],
      });
      expect(flow.status).toBe('ok');
      // Same arithmetic up to the order of summation (gemm vs loops): agreement to ~1e-13 relative.
      const y3 = paramsToParticles(a, out.finalParams);
      const scale = Math.max(...Array.from(y3, Math.abs));
      y3.forEach((v, i) => expect(Math.abs(v - flow.final[i])).toBeLessThan(1e-12 * scale));
      // and the recorded outputs α F agree at every step
      out.fTrain.forEach((f, k) => (f as number[]).forEach((v, i) => expect(v).toBeCloseTo(alpha * flow.outputs[0][k][i], 12)));
      // the test must be able to fail: one step differs from zero steps by far more than rounding
      let moved = 0;
      paramsToParticles(a, p0).forEach((v, i) => { moved = Math.max(moved, Math.abs(v - y3[i])); });
      expect(moved).toBeGreaterThan(1e-4);
    });
  }

  it('rejects what is not a two-layer network without biases (errors name the field)', () => {
    const deep = buildArchitecture({ inputDim: d, outputDim: 1, width: 8, depth: 2, activation: parseActivation('relu'), parameterization: 'meanfield' });
    expect(() => trainerMap(deep)).toThrow(/model.depth/);
    const biased = buildArchitecture({ inputDim: d, outputDim: 1, width: 8, depth: 1, activation: parseActivation('relu'), parameterization: 'meanfield', biasStd: 0.1 });
    expect(() => trainerMap(biased)).toThrow(/model.biasStd/);
  });
});
