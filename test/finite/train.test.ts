import { describe, expect, it } from 'vitest';
import { mat, toRows } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import type { Dataset } from '../../src/data/dataset.js';
import { makeLoss } from '../../src/finite/loss.js';
import { lossGradient } from '../../src/finite/network.js';
import { empiricalNtk } from '../../src/finite/fused/ntk.js';
import { initParams, packParams, paramDistance, paramNorm } from '../../src/finite/params.js';
import { type TrainOptions, recordSteps, trainNetwork } from '../../src/finite/train.js';
import { fitSlope, smallArch, smallData } from './helpers.js';

const mse = makeLoss('mse');
const base = (o: Partial<TrainOptions>): TrainOptions => ({
  loss: mse, method: 'gd', lr: 0.1, steps: 10, recordEvery: 10, rng: new Rng('sgd'), ...o,
});
const flat = (f: number[] | number[][]) => (f as (number | number[])[]).flat() as number[];
const dist = (a: number[], b: number[]) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0) / a.length);

describe('gradient descent', () => {
  it('records at steps 0, e, 2e, … and the last step, with times lr · step', () => {
    expect(recordSteps(10, 4)).toEqual([0, 4, 8, 10]);
    const arch = smallArch('tanh', 'ntk');
    const out = trainNetwork(arch, initParams(arch, new Rng(1)), smallData('d', 6, 3), base({ lr: 0.3, steps: 10, recordEvery: 4 }));
    expect(out.status).toBe('ok');
    expect(out.steps).toEqual([0, 4, 8, 10]);
    expect(out.times).toEqual([0, 0.3 * 4, 0.3 * 8, 0.3 * 10]);
    expect(out.fTrain[0]).toHaveLength(6);
    expect(typeof out.fTrain[0][0]).toBe('number');
    expect(out.fTest[0]).toHaveLength(3);
    expect(out.trainLoss[3]).toBeLessThan(out.trainLoss[0]);
  });

  it('takes the step θ ← θ − lr r ⊙ ∇Loss, with ip-llr first-step rates on step 0 only', () => {
    const arch = smallArch('relu', 'ip-llr', { width: 6 });
    const data = smallData('llr', 5, 3);
    const theta0 = initParams(arch, new Rng('llr'));
    const lr = 1e-3;
    const out = trainNetwork(arch, theta0, data, base({ lr, steps: 2, recordEvery: 1 }));
    // by hand: two steps, the first with firstStepRates
    const { params: th, flat: v } = packParams(arch, theta0);
    for (let step = 0; step < 2; step++) {
      const { grads } = lossGradient(arch, mse, th, data.x, data.y);
      const g = packParams(arch, grads).flat;
      let o = 0;
      arch.layers.forEach((l, i) => {
        const rw = step === 0 ? arch.firstStepRates!.weights[i] : l.rate;
        for (let p = 0; p < l.nIn * l.nOut; p++, o++) v[o] -= lr * rw * g[o];
        if (l.bias) {
          const rb = step === 0 ? arch.firstStepRates!.biases[i] : l.bias.rate;
          for (let p = 0; p < l.nOut; p++, o++) v[o] -= lr * rb * g[o];
        }
      });
    }
    // same operations in the same order: bit-identical
    expect(Array.from(packParams(arch, out.finalParams).flat)).toEqual(Array.from(v));
    expect(arch.firstStepRates!.weights[0]).toBeGreaterThan(arch.layers[0].rate); // the first step differs
  });

  it('reports weight motion ‖θ_t − θ_0‖/‖θ_0‖ in total and per layer', () => {
    const arch = smallArch('tanh', 'ntk', { biasStd: 0.2 });
    const theta0 = initParams(arch, new Rng('wm'));
    const out = trainNetwork(arch, theta0, smallData('wm', 6, 3), base({ lr: 0.5, steps: 20, recordEvery: 5 }));
    const d = paramDistance(out.finalParams, theta0), n0 = paramNorm(theta0);
    expect(out.weightMotion[0]).toBe(0);
    expect(out.weightMotion.at(-1)).toBeCloseTo(d.total / n0.total, 14);
    out.weightMotionPerLayer.at(-1)!.forEach((v, l) => expect(v).toBeCloseTo(d.perLayer[l] / n0.perLayer[l], 14));
  });

  it('records the empirical NTK at the first and last record and its relative motion', () => {
    const arch = smallArch('tanh', 'ntk', { width: 8 });
    const data = smallData('km', 6, 3);
    const theta0 = initParams(arch, new Rng('km'));
    const out = trainNetwork(arch, theta0, data, base({ lr: 0.5, steps: 20, recordEvery: 10, recordKernel: true }));
    expect(out.kernelInit).toEqual(toRows(empiricalNtk(arch, theta0, data.x)));
    expect(out.kernelFinal).toEqual(toRows(empiricalNtk(arch, out.finalParams, data.x)));
    expect(out.kernelMotion).toHaveLength(3);
    expect(out.kernelMotion![0]).toBe(0);
    const K0 = out.kernelInit!.flat(), K1 = out.kernelFinal!.flat();
    const rel = Math.sqrt(K1.reduce((s, v, i) => s + (v - K0[i]) ** 2, 0) / K0.reduce((s, v) => s + v * v, 0));
    expect(out.kernelMotion![2]).toBeCloseTo(rel, 12);
  });

  // The recorded kernels reuse the trainer's forward pass where it holds what backprop reads
  // (relu: any; abs: with derivatives, i.e. not at the last step); they must be the bits of a
  // fresh call at the same parameters.
  for (const [act, method] of [['relu', 'gd'], ['abs', 'gd'], ['relu', 'sgd'], ['abs', 'sgd']] as const) {
    it(`records the kernels of ${act} under ${method} bit for bit as empiricalNtk computes them afresh`, () => {
      const arch = smallArch(act, 'ntk', { width: 12, biasStd: 0.2 });
      const data = smallData('kbits', 8, 3);
      const theta0 = initParams(arch, new Rng('kbits'));
      const out = trainNetwork(arch, theta0, data, base({ method, lr: 0.5, steps: 6, recordEvery: 3, recordKernel: true, batchSize: 4 }));
      const same = (a: number[][], b: number[][]) => a.flat().every((v, i) => Object.is(v, b.flat()[i]));
      expect(same(out.kernelInit!, toRows(empiricalNtk({ ...arch }, theta0, data.x)))).toBe(true);
      expect(same(out.kernelFinal!, toRows(empiricalNtk({ ...arch }, out.finalParams, data.x)))).toBe(true);
      expect(same(out.kernelFinal!, out.kernelInit!)).toBe(false);
    });
  }

  it('moves weights and kernel less at larger width in the NTK parameterization (lazy regime)', () => {
    // Two-layer net (depth 1): ‖Δθ‖ = O(1) while ‖θ0‖ ∝ √h, so the relative weight motion is
    // ∝ h^{−1/2}: from h = 64 to 1024 a ratio of about √16 = 4 (accepted 2.5–6.5, two seeds, seed
    // noise at h = 64). The kernel motion falls between h^{−1/2} (Lee et al. 2019 bound) and
    // h^{−1} (smooth φ: Dyer & Gur-Ari 2019, arXiv 1909.11304): ratio accepted 2.5–24
    // (theory/finite.md#motion-exponents).
    const data = smallData('lazy', 8, 3);
    const motion = (h: number) => {
      let w = 0, k = 0;
      for (const seed of [0, 1]) {
        const arch = smallArch('tanh', 'ntk', { width: h, depth: 1 });
        const out = trainNetwork(arch, initParams(arch, new Rng(`lazy/${seed}`)), data, base({ lr: 1, steps: 40, recordEvery: 40, recordKernel: true }));
        w += out.weightMotion.at(-1)!;
        k += out.kernelMotion!.at(-1)!;
      }
      return { w, k };
    };
    const small = motion(64), large = motion(1024);
    expect(small.w / large.w).toBeGreaterThan(2.5);
    expect(small.w / large.w).toBeLessThan(6.5);
    expect(small.k / large.k).toBeGreaterThan(2.5);
    expect(small.k / large.k).toBeLessThan(24);
  });

  it('returns status "diverged" with the partial record when the rate is far too large (no throw)', () => {
    // a deep linear net (identity φ) blows up at lr = 50 (a ReLU net may instead die: all units off)
    const arch = smallArch('identity', 'ntk', { width: 16 });
    const out = trainNetwork(arch, initParams(arch, new Rng('div')), smallData('div', 8, 3), base({ lr: 50, steps: 1000, recordEvery: 1 }));
    expect(out.status).toBe('diverged');
    expect(out.message).toMatch(/at step \d+ \(time [\d.e+]+\)/);
    expect(out.times.length).toBeGreaterThan(1);
    expect(out.times.length).toBeLessThan(1001);
    expect(out.trainLoss.slice(0, -1).every(Number.isFinite)).toBe(true);
    expect(out.trainLoss.at(-1)).toBeGreaterThan(1e8 * Math.max(1, out.trainLoss[0]));
    expect(out.fTrain).toHaveLength(out.times.length);
  });
});

describe('gradient flow', () => {
  /** Two orthogonal inputs: a linear model's outputs decouple, f_i(τ) = y_i + e^{−m²|x_i|²τ/n}(f_i(0) − y_i). */
  const linearCase = () => {
    const x = mat(2, 3, Float64Array.from([1, 2, 0, 2, -1, 1]));
    const y = mat(2, 1, Float64Array.from([0.7, -1.2]));
    const data: Dataset = { x, y, xTest: x, yTest: y, description: 'orthogonal' };
    const arch = smallArch('identity', 'ntk', { depth: 0, weightStd: 1.3 });
    const theta0 = initParams(arch, new Rng('lin'));
    const m = arch.layers[0].multiplier;
    const f0 = [0, 1].map((i) => m * [0, 1, 2].reduce((s, j) => s + theta0.W[0].data[j] * x.data[i * 3 + j], 0));
    const exact = (tau: number) => [0, 1].map((i) => {
      const sq = [0, 1, 2].reduce((s, j) => s + x.data[i * 3 + j] ** 2, 0);
      return y.data[i] + Math.exp((-m * m * sq * tau) / 2) * (f0[i] - y.data[i]);
    });
    return { data, arch, theta0, exact };
  };

  it('Dormand–Prince matches the closed-form flow of a linear model to its tolerance', () => {
    const { data, arch, theta0, exact } = linearCase();
    const out = trainNetwork(arch, theta0, data, base({ method: 'flow', lr: 0.25, steps: 12, recordEvery: 3, tolerance: 1e-9 }));
    expect(out.status).toBe('ok');
    expect(out.times).toEqual([0, 0.75, 1.5, 2.25, 3]);
    // local tolerance 1e-9 on parameters of size ~1: global error well below 1e-7
    out.times.forEach((t, r) => expect(dist(flat(out.fTrain[r]), exact(t))).toBeLessThan(1e-7));
    expect(out.stats.rejected).toBeGreaterThanOrEqual(0);
    expect(out.stats.accepted).toBeGreaterThan(0);
  });

  it('Geiger et al.\'s adaptive Euler rule follows the same flow to first order', () => {
    const { data, arch, theta0, exact } = linearCase();
    const out = trainNetwork(arch, theta0, data, base({ method: 'flow', flowScheme: 'geiger', lr: 0.25, steps: 12, recordEvery: 12 }));
    expect(out.status).toBe('ok');
    // relative gradient change ≤ 1e-2 per accepted step bounds the Euler error at ~1e-2 relative
    const e = exact(3), f = flat(out.fTrain[1]);
    expect(dist(f, e) / Math.sqrt((e[0] ** 2 + e[1] ** 2) / 2)).toBeLessThan(1e-2);
    expect(dist(f, e)).toBeGreaterThan(1e-9); // first order: not exact
  });

  it('is the limit of gradient descent as the step shrinks, with observed order 1', () => {
    const arch = smallArch('tanh', 'ntk', { width: 16, biasStd: 0.3 });
    const data = smallData('order', 6, 3);
    const theta0 = initParams(arch, new Rng('order'));
    const T = 2;
    const flow = trainNetwork(arch, theta0, data, base({ method: 'flow', lr: 0.1, steps: 20, recordEvery: 20, tolerance: 1e-11 }));
    expect(flow.times.at(-1)).toBeCloseTo(T, 14);
    const lrs = [0.2, 0.1, 0.05, 0.025, 0.0125];
    const errs = lrs.map((lr) => {
      const gd = trainNetwork(arch, theta0, data, base({ lr, steps: Math.round(T / lr), recordEvery: 1000 }));
      return dist(flat(gd.fTrain.at(-1)!), flat(flow.fTrain.at(-1)!));
    });
    // Euler's global error is O(lr): fitted order 1 ± 0.1 (the flow's own error, ~1e-10, is
    // far below the smallest GD error).
    const order = fitSlope(lrs.map(Math.log), errs.map(Math.log));
    expect(order).toBeGreaterThan(0.9);
    expect(order).toBeLessThan(1.1);
    expect(errs.at(-1)!).toBeLessThan(errs[0] / 10);
  });

  it('applies ip-llr\'s first step as one Euler step of size lr', () => {
    const arch = smallArch('tanh', 'ip-llr', { width: 4 });
    const data = smallData('llr-flow', 4, 3);
    const theta0 = initParams(arch, new Rng('llrf'));
    const gd = trainNetwork(arch, theta0, data, base({ lr: 1e-3, steps: 1, recordEvery: 1 }));
    const fl = trainNetwork(arch, theta0, data, base({ method: 'flow', lr: 1e-3, steps: 1, recordEvery: 1 }));
    expect(fl.fTrain[1]).toEqual(gd.fTrain[1]);
  });
});

describe('stochastic gradient descent', () => {
  const arch = smallArch('tanh', 'ntk', { width: 8 });
  const data = smallData('sgd', 10, 3);
  const theta0 = initParams(arch, new Rng('sgd-init'));

  it('with one batch of all n points (no replacement) follows GD up to summation order', () => {
    const gd = trainNetwork(arch, theta0, data, base({ lr: 0.3, steps: 8, recordEvery: 2 }));
    const sgd = trainNetwork(arch, theta0, data, base({ method: 'sgd', batchSize: 10, lr: 0.3, steps: 8, recordEvery: 2 }));
    expect(sgd.steps).toEqual(gd.steps);
    gd.fTrain.forEach((f, r) => expect(dist(flat(sgd.fTrain[r]), flat(f))).toBeLessThan(1e-12));
  });

  it('runs epochs · ⌈n/B⌉ steps with a smaller last batch, and records full-batch losses', () => {
    const out = trainNetwork(arch, theta0, data, base({ method: 'sgd', batchSize: 4, epochs: 3, steps: 999, lr: 0.2, recordEvery: 4 }));
    expect(out.stats.steps).toBe(9);
    expect(out.steps).toEqual([0, 4, 8, 9]);
    expect(out.status).toBe('ok');
    const gd = trainNetwork(arch, theta0, data, base({ lr: 0.2, steps: 0, recordEvery: 1 }));
    expect(out.trainLoss[0]).toBe(gd.trainLoss[0]); // the full-batch loss at init
  });

  it('is reproducible from its stream and differs between streams (with and without replacement)', () => {
    for (const replace of [true, false]) {
      const run = (seed: string) => trainNetwork(arch, theta0, data, base({ method: 'sgd', batchSize: 3, replace, steps: 12, recordEvery: 12, lr: 0.2, rng: new Rng(seed) }));
      expect(run('a').fTrain).toEqual(run('a').fTrain);
      expect(run('a').fTrain[1]).not.toEqual(run('b').fTrain[1]);
    }
  });

  it('with replacement honours a batch larger than the training set (as the online limit samples it)', () => {
    // n training points, batches of 3n drawn with replacement: the batch is not cut to n, so the
    // run differs from batches of n drawn from the same stream.
    const n = data.x.rows;
    const big = trainNetwork(arch, theta0, data, base({ method: 'sgd', batchSize: 3 * n, replace: true, steps: 4, recordEvery: 4, lr: 0.2, rng: new Rng('b') }));
    const cut = trainNetwork(arch, theta0, data, base({ method: 'sgd', batchSize: n, replace: true, steps: 4, recordEvery: 4, lr: 0.2, rng: new Rng('b') }));
    expect(big.status).toBe('ok');
    expect(big.stats.batchSize).toBe(3 * n);
    expect(big.fTrain[1]).not.toEqual(cut.fTrain[1]);
  });

  it('returns status "diverged" on a blow-up, with the records so far', () => {
    const out = trainNetwork(arch, theta0, data, base({ method: 'sgd', batchSize: 5, lr: 1e4, steps: 500, recordEvery: 1 }));
    expect(out.status).toBe('diverged');
    expect(out.times.length).toBeGreaterThan(0);
  });
});
