import { describe, expect, it } from 'vitest';
import { gemm } from '../../../src/core/gemm.js';
import { eigh } from '../../../src/core/eigh.js';
import { type Mat, mat } from '../../../src/core/matrix.js';
import { Rng } from '../../../src/core/rng.js';
import { loadData } from '../../../src/data/load.js';
import { parseSpec } from '../../../src/spec/validate.js';
import { analyticKernels, kernelOptionsFromArchitecture } from '../../../src/limits/ntk/kernels.js';
import { architectureFromSpec } from '../../../src/limits/ntk/specModel.js';
import { frozenMse } from '../../../src/limits/ntk/mse.js';
import type { Schedule } from '../../../src/limits/ntk/schedule.js';
import { dividedDifference, responseFactors, responseSquaredNorms } from '../../../src/limits/ntk/finiteWidthResponse.js';
import { neuronKernelModel } from '../../../src/limits/ntk/finiteWidthNeuron.js';

/** A random PSD joint kernel on n + nT points (Gram of random features) and a random symmetric Δ. */
function randomProblem(rng: Rng, n: number, nT: number): { K: Mat; D: Mat } {
  const N = n + nT, m = 2 * N;
  const F = mat(N, m), G = mat(N, N);
  rng.fillNormal(F.data);
  const K = gemm(false, true, 1 / m, F, F);
  for (let i = 0; i < N; i++) K.data[i * N + i] += 0.2;
  rng.fillNormal(G.data);
  const D = mat(N, N);
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) D.data[i * N + j] = 0.5 * (G.data[i * N + j] + G.data[j * N + i]);
  return { K, D };
}

const block = (A: Mat, r0: number, r1: number, c0: number, c1: number): Mat => {
  const out = mat(r1 - r0, c1 - c0);
  for (let i = r0; i < r1; i++) for (let j = c0; j < c1; j++) out.data[(i - r0) * (c1 - c0) + j - c0] = A.data[i * A.cols + j];
  return out;
};
const axpy = (A: Mat, B: Mat, e: number): Mat => mat(A.rows, A.cols, A.data.map((v, i) => v + e * B.data[i]));

describe('linear response of the frozen-kernel MSE dynamics (theory/finite-width.md#linear-response)', () => {
  it('divided differences: quotient for distinct λ, ρ\'(λ) = −(τ/n)e^{−λτ/n} for coincident ones (1e-8)', () => {
    const rho = (l: number): number => Math.exp(-l * 2);
    expect(dividedDifference(rho, 1, 1, 3)).toBeCloseTo(-2 * Math.exp(-2), 8);
    expect(dividedDifference(rho, 1, 1 + 1e-9, 3)).toBeCloseTo(-2 * Math.exp(-2), 8);
    expect(dividedDifference(rho, 0.5, 2, 3)).toBeCloseTo((Math.exp(-1) - Math.exp(-4)) / -1.5, 14);
  });

  for (const schedule of [{ kind: 'flow' }, { kind: 'gd', lr: 0.3 }] as Schedule[]) {
    it(`equals the central finite difference of frozenMse under Θ ± εΔ (${schedule.kind}; relative 1e-6)`, () => {
      const rng = new Rng('fw-response/' + schedule.kind);
      const n = 6, nT = 3;
      for (let rep = 0; rep < 3; rep++) {
        const { K, D } = randomProblem(rng, n, nT);
        const y = mat(n, 1), f0 = mat(n, 1);
        rng.fillNormal(y.data);
        rng.fillNormal(f0.data);
        const times = [0.7, 3, 12];
        const solve = (e: number) => {
          const J = axpy(K, D, e);
          return frozenMse({ kernel: block(J, 0, n, 0, n), kernelTest: block(J, n, n + nT, 0, n), y, f0, f0Test: mat(nT, 1) }, schedule, times, { path: 'eig' });
        };
        const eps = 1e-5;
        const plus = solve(eps), minus = solve(-eps);
        const ev = eigh(block(K, 0, n, 0, n));
        const V = ev.vectors;
        const B = gemm(true, false, 1, V, gemm(false, false, 1, block(D, 0, n, 0, n), V)).data;
        const DV = gemm(false, false, 1, block(D, n, n + nT, 0, n), V).data;
        const W = gemm(false, false, 1, block(K, n, n + nT, 0, n), V).data;
        const r0 = mat(n, 1, f0.data.map((v, i) => v - y.data[i]));
        const c = gemm(true, false, 1, V, r0).data;
        times.forEach((t, k) => {
          const f = responseFactors(schedule, ev.values, t, n);
          const got = responseSquaredNorms(f, B, DV, W, c, n, nT, 1, { M: new Float64Array(n * n), N: new Float64Array(nT * n) });
          const fd = (a: Mat, b: Mat): number => a.data.reduce((s, v, i) => s + ((v - b.data[i]) / (2 * eps)) ** 2, 0);
          const wantTrain = fd(plus.fTrain[k], minus.fTrain[k]);
          const wantTest = fd(plus.fTest[k], minus.fTest[k]);
          expect(Math.abs(got.train - wantTrain)).toBeLessThan(1e-6 * wantTrain);
          expect(Math.abs(got.test - wantTest)).toBeLessThan(1e-6 * wantTest);
        });
      }
    });
  }
});

describe('one unit\'s kernel (theory/finite-width.md#neuron-kernel)', () => {
  for (const activation of ['erf', 'relu']) {
    it(`its mean over 100000 draws is the analytic Θ minus the readout-bias constant (${activation}; every entry within 5 SE)`, () => {
      const s = parseSpec({
        data: { source: 'gaussian', n: 4, nTest: 2, dim: 3, target: 'teacher-relu', seed: 3 },
        model: { depth: 1, width: 64, activation, parameterization: 'ntk', weightStd: 1.4, biasStd: 0.3 },
        training: { loss: 'mse', method: 'gd', lr: 0.5, steps: 10 }, seed: 0,
      });
      const data = loadData(s.data);
      const arch = architectureFromSpec(s, data);
      const all = mat(6, 3);
      all.data.set(data.x.data, 0);
      all.data.set(data.xTest.data, 12);
      const exact = analyticKernels(kernelOptionsFromArchitecture(arch), all).ntk;
      const unit = neuronKernelModel(arch, all);
      const rng = new Rng('fw-unit/' + activation);
      const N = 6, S = 100000, Z = unit.features.data;
      const sum = new Float64Array(N * N), sq = new Float64Array(N * N);
      const p = new Float64Array(N), q = new Float64Array(N);
      for (let k = 0; k < S; k++) {
        const a = unit.sample(rng, p, q);
        for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) {
          let z = 0;
          for (let c = 0; c < 4; c++) z += Z[i * 4 + c] * Z[j * 4 + c];
          const v = unit.c2 * (unit.r2 * p[i] * p[j] + a * a * q[i] * q[j] * z);
          sum[i * N + j] += v;
          sq[i * N + j] += v * v;
        }
      }
      for (let e = 0; e < N * N; e++) {
        const m = sum[e] / S, se = Math.sqrt((sq[e] / S - m * m) / S);
        expect(Math.abs(m + unit.constant - exact.data[e])).toBeLessThan(5 * se);
      }
    });
  }
});
