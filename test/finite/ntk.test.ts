import { describe, expect, it } from 'vitest';
import { type Mat, frobenius, frobeniusDistance, mat } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import type { Architecture } from '../../src/finite/architecture.js';
import { makeLoss, pointLossDerivative } from '../../src/finite/loss.js';
import { createWorkspace, forwardCached } from '../../src/finite/fused/forward.js';
import { empiricalNtk } from '../../src/finite/fused/ntk.js';
import { type Params, initParams, packParams, paramLayout } from '../../src/finite/params.js';
import { trainNetwork } from '../../src/finite/train.js';
import { fitSlope, gaussian, naiveForward, rows, smallArch, smallData, toNaive } from './helpers.js';

/**
 * Explicit Jacobian of F on the rows of x, (n·k) × P, by the fourth-order central stencil on the
 * naive forward pass, one parameter at a time; rows i·k + a.
 */
function jacobian(arch: Architecture, theta: Params, x: Mat, eps = 1e-4): Mat {
  const { params: probe, flat } = packParams(arch, theta);
  const k = arch.outputDim, n = x.rows, P = flat.length;
  const J = mat(n * k, P);
  const xr = rows(x);
  const F = () => xr.map((xi) => naiveForward(arch, toNaive(probe), xi).F);
  for (let p = 0; p < P; p++) {
    const v = flat[p];
    const at = (d: number) => { flat[p] = v + d; const r = F(); flat[p] = v; return r; };
    const u1 = at(eps), d1 = at(-eps), u2 = at(2 * eps), d2 = at(-2 * eps);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < k; a++) {
        J.data[(i * k + a) * P + p] = (8 * (u1[i][a] - d1[i][a]) - (u2[i][a] - d2[i][a])) / (12 * eps);
      }
    }
  }
  return J;
}

/** Per-parameter rates r_p in flat order. */
function rates(arch: Architecture): Float64Array {
  const lay = paramLayout(arch);
  const r = new Float64Array(lay.size);
  arch.layers.forEach((l, i) => {
    r.fill(l.rate, lay.wOffset[i], lay.wOffset[i] + l.nIn * l.nOut);
    if (l.bias) r.fill(l.bias.rate, lay.bOffset[i], lay.bOffset[i] + l.nOut);
  });
  return r;
}

/** J diag(r) J2ᵀ. */
function rateWeightedGram(J: Mat, J2: Mat, r: Float64Array): Mat {
  const out = mat(J.rows, J2.rows);
  for (let i = 0; i < J.rows; i++) {
    for (let j = 0; j < J2.rows; j++) {
      let s = 0;
      for (let p = 0; p < J.cols; p++) s += J.data[i * J.cols + p] * r[p] * J2.data[j * J.cols + p];
      out.data[i * J2.rows + j] = s;
    }
  }
  return out;
}

describe('empirical NTK', () => {
  // Stencil error ~eps⁴·|F⁽⁵⁾| ≈ 1e-16 and rounding ~1e-16/eps ≈ 1e-12 per Jacobian entry, so the
  // two kernels agree to ~1e-10 relative; 1e-8 leaves room for the tanh/ReLU nets used.
  const cases: [string, Architecture][] = [
    ['tanh, ntk with biases, k = 1', smallArch('tanh', 'ntk', { biasStd: 0.5, width: 6 })],
    ['relu, ip (per-layer rates h, h², first-layer bias), k = 2', smallArch('relu', 'ip', { outputDim: 2, width: 6 })],
    ['gelu, abc with rates h^{−c}, biases, k = 3', smallArch('gelu', { a: [0, 0.5, 0.5], b: 0, c: [0.3, -0.5, 1] }, { biasStd: 0.3, outputDim: 3 })],
    ['erf, meanfield (rates γ0² h), depth 1', smallArch('erf', 'meanfield', { depth: 1, width: 7, gamma0: 0.5 })],
  ];
  for (const [name, arch] of cases) {
    it(`equals the rate-weighted J diag(r) J'ᵀ of an explicit finite-difference Jacobian: ${name}`, () => {
      const theta = initParams(arch, new Rng(`ntk/${name}`));
      const x = gaussian(new Rng(`ntk/x/${name}`), 4, 3);
      const x2 = gaussian(new Rng(`ntk/x2/${name}`), 3, 3);
      const r = rates(arch);
      for (const [a, b] of [[x, x], [x, x2]] as const) {
        const K = empiricalNtk(arch, theta, a, b === x ? undefined : b);
        const ref = rateWeightedGram(jacobian(arch, theta, a), jacobian(arch, theta, b), r);
        expect([K.rows, K.cols]).toEqual([a.rows * arch.outputDim, b.rows * arch.outputDim]);
        expect(frobeniusDistance(K, ref) / frobenius(ref)).toBeLessThan(1e-8);
      }
    });
  }

  it('is not the unweighted J Jᵀ when rates differ (the rate weighting is tested)', () => {
    const arch = smallArch('tanh', 'ip', { width: 6 });
    const theta = initParams(arch, new Rng('ntk/unweighted'));
    const x = gaussian(new Rng('ntk/unweighted/x'), 4, 3);
    const J = jacobian(arch, theta, x);
    const ones = new Float64Array(J.cols).fill(1);
    const K = empiricalNtk(arch, theta, x);
    expect(frobeniusDistance(K, rateWeightedGram(J, J, ones)) / frobenius(K)).toBeGreaterThan(0.1);
  });

  for (const [loss, centred] of [['mse', true], ['soft-hinge', false], ['logistic', true]] as const) {
    it(`predicts one small GD step on the outputs, Δf = −(lr/n) Θ ∇_f ℓ, to first order (α = 5, centred ${centred}, ${loss})`, () => {
      // meanfield: rates γ0² h ≠ 1; α = 5 with Loss/α² and f = α(F − F0): no α in the prediction.
      const arch = smallArch('tanh', 'meanfield', { width: 8, alpha: 5, centred, outputDim: 2, biasStd: 0.4, gamma0: 0.7 });
      const data = smallData('ntk/dfdt', 5, 3, 2);
      const theta = initParams(arch, new Rng('ntk/dfdt/init'));
      const n = data.x.rows, nk = n * 2;
      const K = empiricalNtk(arch, theta, data.x);
      const L = makeLoss(loss);
      const gaps: number[] = [];
      const lrs = [2e-2, 1e-2, 5e-3, 2.5e-3];
      for (const lr of lrs) {
        const out = trainNetwork(arch, theta, data, { loss: L, method: 'gd', lr, steps: 1, recordEvery: 1, rng: new Rng(0) });
        const f0 = (out.fTrain[0] as number[][]).flat(), f1 = (out.fTrain[1] as number[][]).flat();
        let num = 0, den = 0;
        for (let i = 0; i < nk; i++) {
          let s = 0;
          for (let j = 0; j < nk; j++) s += K.data[i * nk + j] * pointLossDerivative(L, f0[j], data.y.data[j]);
          const pred = (-lr / n) * s;
          num += (f1[i] - f0[i] - pred) ** 2;
          den += pred ** 2;
        }
        gaps.push(Math.sqrt(num / den));
      }
      // The neglected terms are second order in the step: the relative gap is ∝ lr (observed
      // ≈ 1.1e-2·lr). Fitted order of the gap in lr within 0.05 of 1; gap below 1e-3 at the
      // smallest step (observed 3e-5). A wrong factor (α, α², n, the rates) would give an O(1) gap.
      const slope = fitSlope(lrs.map(Math.log), gaps.map(Math.log));
      expect(slope).toBeGreaterThan(0.95);
      expect(slope).toBeLessThan(1.05);
      expect(gaps[gaps.length - 1]).toBeLessThan(1e-3);
    });
  }

  it('reuses its work buffers without changing a bit: interleaved calls on two networks, x and x2, k = 1 and 3, equal fresh calls, and earlier kernels stay intact', () => {
    // A fresh call: a structurally equal copy of the architecture has no cached buffers.
    const fresh = (arch: Architecture, theta: Params, a: Mat, b?: Mat) => empiricalNtk({ ...arch }, theta, a, b);
    const archs = [smallArch('relu', 'ntk', { width: 40 }), smallArch('tanh', 'ntk', { width: 24, outputDim: 3, biasStd: 0.4 })];
    const thetas = archs.map((a, i) => initParams(a, new Rng(`ntk/reuse/${i}`)));
    const x = gaussian(new Rng('ntk/reuse/x'), 6, 3);
    const x2 = gaussian(new Rng('ntk/reuse/x2'), 4, 3);
    const x3 = gaussian(new Rng('ntk/reuse/x3'), 6, 3); // same size as x, other points
    const calls: [number, Mat, Mat | undefined][] = [[0, x, undefined], [1, x, undefined], [0, x, x2], [0, x3, undefined], [1, x2, x], [0, x, undefined], [1, x3, x]];
    const kept = calls.map(([i, a, b]) => empiricalNtk(archs[i], thetas[i], a, b));
    const bits = (m: Mat) => Array.from(m.data, (v) => (Object.is(v, -0) ? '-0' : String(v)));
    calls.forEach(([i, a, b], c) => expect(bits(kept[c])).toEqual(bits(fresh(archs[i], thetas[i], a, b))));
    // the two calls of network 0 on (x, x) at positions 0 and 5 are the same kernel, bit for bit
    expect(bits(kept[0])).toEqual(bits(kept[5]));
    expect(bits(kept[0])).not.toEqual(bits(kept[3]));
  });

  // relu and leaky relu read φ' from the activations (any forward will do); abs (ABReLU(−1, 1))
  // keeps a mask and tanh a table of φ' (forward with derivatives); k = 2 copies the deltas.
  const reuseCases: [string, boolean, number][] = [
    ['relu', false, 1], ['relu', true, 2], ['leaky_relu:0.1', false, 1], ['abs', true, 1], ['tanh', true, 2], ['erf', true, 1],
  ];
  for (const [act, withDerivative, k] of reuseCases) {
    it(`given the forward workspace of x (${act}, k = ${k}, derivatives ${withDerivative}), equals its own forward pass bit for bit`, () => {
      const arch = smallArch(act, 'ntk', { width: 48, outputDim: k, biasStd: 0.3 });
      const theta = initParams(arch, new Rng(`ntk/pre/${act}`));
      const x = gaussian(new Rng(`ntk/pre/x/${act}`), 7, 3);
      const own = empiricalNtk(arch, theta, x);
      const ws = createWorkspace(arch, x.rows);
      forwardCached(arch, theta, x, ws, withDerivative);
      const given = empiricalNtk(arch, theta, x, undefined, ws);
      expect(given.data.length).toBe(own.data.length);
      expect(Array.from(given.data).every((v, i) => Object.is(v, own.data[i]))).toBe(true);
      // not vacuous: a forward pass at other parameters gives another kernel
      forwardCached(arch, initParams(arch, new Rng('ntk/pre/other')), x, ws, true);
      const other = empiricalNtk(arch, theta, x, undefined, ws);
      expect(Array.from(other.data).every((v, i) => Object.is(v, own.data[i]))).toBe(false);
    });
  }
});
