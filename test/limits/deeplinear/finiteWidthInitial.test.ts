/**
 * theory/finite-width-deeplinear.md#initial: N · Var f_0(x) = K^x(x, x)/γ0² exactly at every width
 * for the plain deep linear μP network (the t = 0 anchor of the deep-linear C(t)). Checked by Monte
 * Carlo over finite networks of the project's trainer.
 */
import { describe, expect, it } from 'vitest';
import type { Mat } from '../../../src/core/matrix.js';
import { gaussianData } from '../../../src/data/gaussian.js';
import { inputKernel } from '../../../src/limits/deeplinear/problem.js';
import { checkSpec } from '../../../src/regimes/deeplinear/check.js';
import { runTrain } from '../../../src/run/train.js';

const meanDiagKx = (A: Mat) => {
  const k = inputKernel(A, A);
  let s = 0;
  for (let i = 0; i < A.rows; i++) s += k.data[i * A.rows + i];
  return s / A.rows;
};

const first = (v: number | number[]) => (typeof v === 'number' ? v : v[0]);

describe('deep linear μP: N · Var f_0 = K^x(x, x)/γ0² (theory/finite-width-deeplinear.md#initial)', () => {
  it('matches finite networks (depth 3, N = 64, 3000 seeds, γ0 = 1.5) within 4 standard errors', () => {
    const gamma0 = 1.5;
    const N = 64;
    const S = 3000;
    const c = { data: { n: 8, nTest: 8, dim: 4, target: 'linear', noise: 0.5, seed: 1 }, depth: 3, parameterization: 'meanfield' as const, gamma0, lr: 0.1, steps: 1, recordEvery: 1, widths: [N], seeds: S };
    const spec = checkSpec(c, N);
    const data = gaussianData(spec.data);
    const predicted = { train: meanDiagKx(data.x) / gamma0 ** 2, test: meanDiagKx(data.xTest) / gamma0 ** 2 };
    // E f_0 = 0 exactly (f_0 is odd in the readout), so v_s = N · mean_x f_0(x)² is an unbiased
    // per-seed estimate of the prediction; its sample mean has standard error sd(v)/√S.
    const v = { train: new Float64Array(S), test: new Float64Array(S) };
    for (let s = 0; s < S; s++) {
      const r = runTrain(spec, { width: N, seed: 5000 + s, dataset: data }).result;
      for (const [q, f] of [['train', r.fTrain[0]], ['test', r.fTest[0]]] as const) {
        const vals = (f as (number | number[])[]).map(first);
        v[q][s] = (N * vals.reduce((a, b) => a + b * b, 0)) / vals.length;
      }
    }
    for (const q of ['train', 'test'] as const) {
      const m = v[q].reduce((a, b) => a + b, 0) / S;
      const sd = Math.sqrt(v[q].reduce((a, b) => a + (b - m) ** 2, 0) / (S - 1));
      const se = sd / Math.sqrt(S);
      // 4 SE: a false failure has probability ≈ 6e-5 for a Gaussian mean; at S = 3000 the band is
      // ≈ ±10 % (the law of f_0 is heavy-tailed: a product of four Gaussian chains), so a wrong
      // multiplier (e.g. 1/√N in place of 1/N at the readout, or a missing 1/√D) is caught.
      expect(Math.abs(m - predicted[q])).toBeLessThan(4 * se);
      expect(4 * se / predicted[q]).toBeLessThan(0.15);
    }
  });
});
