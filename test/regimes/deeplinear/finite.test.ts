/**
 * Finite deep linear networks against the deep-linear limit (theory/harness.md#metrics, theory/deeplinear.md#finite-checks): the trainer's
 * `meanfield` preset is the model of the recursion; the residual finite network's gradient; the
 * seed mean agrees with the limit at every step and the per-seed deviation shrinks as N^{−1/2}.
 */
import { describe, expect, it } from 'vitest';
import { fitPowerLaw } from '../../../src/core/fit.js';
import { mat } from '../../../src/core/matrix.js';
import { Rng } from '../../../src/core/rng.js';
import { parseActivation } from '../../../src/finite/activation.js';
import { makeLoss } from '../../../src/finite/loss.js';
import { buildArchitecture } from '../../../src/finite/parameterization.js';
import { initParams } from '../../../src/finite/params.js';
import { trainNetwork } from '../../../src/finite/train.js';
import {
  type LinearNetSpec, deepLinearNetSpec, initLinearNet, lossAndGradient, trainLinearGd,
} from '../../../src/finite/residualLinear.js';
import { type DeepLinearCheckConfig, type DeepLinearCheckResult, checkDeepLinearAgainstFinite } from '../../../src/regimes/deeplinear/check.js';
import { maxAbsDiff } from '../../limits/deeplinear/helpers.js';

const identity = parseActivation('identity');

describe('the finite model of the recursion', () => {
  it('meanfield + identity + weightStd 1 is the model of theory/deeplinear.md#single-site: m = 1/√D, 1/√N, 1/(γ0 N); rates γ0² N; N(0, 1) weights', () => {
    const D = 5, N = 64, L = 3, g0 = 0.7;
    const arch = buildArchitecture({ inputDim: D, outputDim: 1, width: N, depth: L, activation: identity, parameterization: 'meanfield', weightStd: 1, gamma0: g0 });
    const lin = deepLinearNetSpec({ inputDim: D, width: N, depth: L, gamma0: g0, parameterization: 'meanfield' });
    expect(arch.layers.map((l) => l.multiplier)).toEqual([1 / Math.sqrt(D), 1 / Math.sqrt(N), 1 / Math.sqrt(N), 1 / (g0 * N)]);
    expect(arch.layers.every((l) => l.rate === g0 * g0 * N && l.initStd === 1 && l.initMean === 0 && l.bias === null)).toBe(true);
    expect([lin.multipliers.input, lin.multipliers.hidden, lin.multipliers.output]).toEqual([1 / Math.sqrt(D), 1 / Math.sqrt(N), 1 / (g0 * N)]);
    // Same weights from the same seed, and the same gradient-descent trajectory (rounding only).
    const rng = new Rng(11);
    const p0 = initParams(arch, rng);
    const q0 = initLinearNet(lin, rng);
    p0.W.forEach((w, l) => expect(maxAbsDiff(w.data, q0.W[l].data)).toBe(0));
    const x = mat(6, D);
    new Rng('x').fillNormal(x.data);
    const y = mat(6, 1);
    new Rng('y').fillNormal(y.data);
    const data = { x, y, xTest: x, yTest: y, description: 'test' };
    const a = trainNetwork(arch, p0, data, { loss: makeLoss('mse'), method: 'gd', lr: 0.3, steps: 12, recordEvery: 4, rng: new Rng(0) });
    const b = trainLinearGd(lin, q0, data, { lr: 0.3, steps: 12, recordEvery: 4 });
    expect(a.steps).toEqual(b.steps);
    a.fTrain.forEach((f, i) => expect(maxAbsDiff(f as number[], b.fTrain[i] as number[])).toBeLessThan(1e-12));
  });

  it.each<[string, (N: number) => LinearNetSpec]>([
    ['plain', (N) => deepLinearNetSpec({ inputDim: 3, width: N, depth: 3, gamma0: 1.3, parameterization: 'meanfield' })],
    ['residual', (N) => deepLinearNetSpec({ inputDim: 3, width: N, depth: 3, gamma0: 1.3, parameterization: 'meanfield', residual: { beta0: 1.4 } })],
    ['ntk residual, 2 outputs', (N) => deepLinearNetSpec({ inputDim: 3, width: N, depth: 2, gamma0: 1, parameterization: 'ntk', residual: { beta0: 0.8 }, outputDim: 2 })],
  ])('the %s network\'s gradient equals central finite differences', (_name, make) => {
    const s = make(6);
    const p = initLinearNet(s, new Rng('fd'));
    const x = mat(4, 3);
    new Rng('fdx').fillNormal(x.data);
    const y = mat(4, s.outputDim);
    new Rng('fdy').fillNormal(y.data);
    const { grads } = lossAndGradient(s, p, x, y);
    const h = 1e-6;
    let worst = 0;
    p.W.forEach((w, l) => {
      for (let i = 0; i < w.data.length; i += 3) {
        const v = w.data[i];
        w.data[i] = v + h;
        const up = lossAndGradient(s, p, x, y).loss;
        w.data[i] = v - h;
        const dn = lossAndGradient(s, p, x, y).loss;
        w.data[i] = v;
        worst = Math.max(worst, Math.abs((up - dn) / (2 * h) - grads[l].data[i]) / (1e-3 + Math.abs(grads[l].data[i])));
      }
    });
    // Central differences: O(h²) truncation + O(ε/h) rounding ≈ 1e-9 relative.
    expect(worst).toBeLessThan(1e-6);
  });
});

/** Per width: the largest zRms over recorded steps; per seed × width: the RMS deviation. */
function summarize(r: DeepLinearCheckResult, widths: number[], seeds: number) {
  const zRms = widths.map((w) => Math.max(...r.curves.filter((c) => c.width === w && c.quantity === 'zRms').map((c) => c.value)));
  const steps = widths.map((w) => r.curves.filter((c) => c.width === w && c.quantity === 'zRms').length);
  const dev = Array.from({ length: seeds }, (_, s) => widths.map((w) => r.records.find((x) => x.width === w && x.seed === s && x.metric === 'fTrainRms')!.value));
  const fit = fitPowerLaw(widths, dev, { rng: new Rng('fit'), nBoot: 400 });
  return { zRms, steps, fit };
}

const WIDTHS = [64, 128, 256, 512];
const SEEDS = 16;
const base: Omit<DeepLinearCheckConfig, 'parameterization'> = {
  depth: 2, widths: WIDTHS, seeds: SEEDS, gamma0: 1, lr: 0.2, steps: 20, recordEvery: 5,
  data: { n: 6, nTest: 4, dim: 4, target: 'linear', seed: 1 },
};

describe('finite networks converge to the limit (quick sizes; full sizes in the experiments)', () => {
  // Why these criteria hold and can fail: the seed mean differs from the limit by O(1/N) while its
  // standard error is O(1/√(N·seeds)), so z = (mean − limit)/SE is O(1); zRms = √(mean_μ z_μ²)
  // over the 10 train + test outputs is ≈ 1, and a wrong limit (even by 1 % of f) gives z ≫ 3 at
  // N = 512. The per-seed deviation is dominated by the O(N^{−1/2}) fluctuations (f_0 and the
  // kernels), so log D against log N has slope −1/2; [−0.65, −0.35] allows the O(1/N) part and
  // the seed noise of 16 seeds at four widths. (With 12 seeds the SE estimates are too noisy for
  // zRms: the ten outputs move together, so zRms behaves like one |t_11| — seen to reach 4.)
  it('μP plain network: the seed mean is within 3 standard errors of the recursion at every recorded step; per-seed RMS ∝ N^{−1/2}', () => {
    const r = checkDeepLinearAgainstFinite({ ...base, parameterization: 'meanfield' });
    expect(r.status).toBe('ok');
    const s = summarize(r, WIDTHS, SEEDS);
    expect(s.steps).toEqual([5, 5, 5, 5]);
    s.zRms.forEach((z) => expect(z).toBeLessThan(3));
    expect(s.fit.exponent).toBeGreaterThan(-0.65);
    expect(s.fit.exponent).toBeLessThan(-0.35);
  });

  it('μP residual network (β0 = 1): the same against the joint single-site solver', () => {
    const r = checkDeepLinearAgainstFinite({ ...base, parameterization: 'meanfield', residual: { beta0: 1 } });
    expect(r.status).toBe('ok');
    const s = summarize(r, WIDTHS, SEEDS);
    s.zRms.forEach((z) => expect(z).toBeLessThan(3));
    expect(s.fit.exponent).toBeGreaterThan(-0.65);
    expect(s.fit.exponent).toBeLessThan(-0.35);
  });

  it('NTK parameterization: the seed mean follows the frozen kernel; each seed follows the lazy limit from its own f_0 with deviation ∝ N^{−1/2}', () => {
    const widths = [64, 256];
    const r = checkDeepLinearAgainstFinite({ ...base, widths, seeds: 12, parameterization: 'ntk' });
    const s = summarize(r, widths, 12);
    s.zRms.forEach((z) => expect(z).toBeLessThan(3));
    // Two widths a factor 4 apart: the path-wise deviation halves (slope −1/2 ± 0.15).
    expect(s.fit.exponent).toBeGreaterThan(-0.65);
    expect(s.fit.exponent).toBeLessThan(-0.35);
  });
});
