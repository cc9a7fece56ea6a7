/**
 * theory/finite-width-deeplinear.md#reduced: the reduced recursion Φ_t(Z), fed with the Gram matrices
 * of the fresh vectors of an actual finite network (the project's trainer, its initial weights),
 * reproduces that network's outputs at every step; and Φ_t(I) is the large-width recursion.
 */
import { describe, expect, it } from 'vitest';
import { type Mat, mat } from '../../../src/core/matrix.js';
import { gaussianData } from '../../../src/data/gaussian.js';
import { inputKernel } from '../../../src/limits/deeplinear/problem.js';
import { fixedGram, freshCounts, reducedTrajectory } from '../../../src/limits/deeplinear/reducedNetwork.js';
import type { FreshOrigin, GramSource } from '../../../src/limits/deeplinear/reducedSpace.js';
import { predict } from '../../../src/limits/deeplinear/solution.js';
import { solveDeepLinear } from '../../../src/limits/deeplinear/solve.js';
import { checkSpec } from '../../../src/regimes/deeplinear/check.js';
import { runTrain } from '../../../src/run/train.js';

const first = (v: number | number[]) => (typeof v === 'number' ? v : v[0]);

/** The fresh vectors of an actual network with initial weights W[0] (N×D), W[1..L−1] (N×N), W[L] (1×N). */
function networkSource(W: Mat[], N: number): GramSource {
  const fresh: Float64Array[][] = W.slice(0, -1).map(() => []);
  const vec = (layer: number, c: Float64Array) => {
    const out = new Float64Array(N);
    fresh[layer].forEach((z, k) => { for (let i = 0; i < N; i++) out[i] += c[k] * z[i]; });
    return out;
  };
  const make = (layer: number, o: FreshOrigin): Float64Array => {
    const z = new Float64Array(N);
    if (o.kind === 'input') for (let i = 0; i < N; i++) z[i] = W[0].data[i * W[0].cols + o.j];
    else if (o.kind === 'readout') z.set(W[W.length - 1].data);
    else if (o.kind === 'right') {
      const a = vec(o.matrix - 1, o.a);
      const M = W[o.matrix].data;
      for (let i = 0; i < N; i++) { let s = 0; for (let j = 0; j < N; j++) s += M[i * N + j] * a[j]; z[i] = s / Math.sqrt(N); }
    } else {
      const b = vec(o.matrix, o.b);
      const M = W[o.matrix].data;
      for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) z[j] += (M[i * N + j] * b[i]) / Math.sqrt(N);
    }
    return z;
  };
  return {
    next(layer, index, origin) {
      const z = make(layer, origin);
      fresh[layer].push(z);
      return Float64Array.from(fresh[layer].map((u) => u.reduce((s, ui, i) => s + ui * z[i], 0) / N));
    },
  };
}

const outputs = (X: Mat, beta: Float64Array, t: number) => {
  const D = X.cols;
  return Array.from({ length: X.rows }, (_, mu) => {
    let f = 0;
    for (let j = 0; j < D; j++) f += X.data[mu * D + j] * beta[t * D + j];
    return f;
  });
};

const config = (depth: number, gamma0: number, steps: number) => ({
  data: { n: 8, nTest: 8, dim: 4, target: 'linear', noise: 0.5, seed: 1 }, depth, parameterization: 'meanfield' as const,
  gamma0, lr: 0.1, steps, recordEvery: 1, widths: [40], seeds: 1,
});

describe('reduced finite-width recursion (theory/finite-width-deeplinear.md#reduced)', () => {
  for (const [depth, gamma0] of [[1, 1], [2, 0.7], [3, 1], [3, 1.5]] as const) {
    it(`fed with an actual network's Gram matrices, reproduces its trajectory (depth ${depth}, γ0 = ${gamma0}, N = 40, 12 steps)`, () => {
      const N = 40;
      const spec = checkSpec(config(depth, gamma0, 12), N);
      const data = gaussianData(spec.data);
      const out = runTrain(spec, { width: N, seed: 77, dataset: data });
      const W = out.init.layers.map((l) => mat(l.W.length, l.W[0].length, Float64Array.from(l.W.flat())));
      const beta = reducedTrajectory({ x: data.x, y: Float64Array.from(data.y.data), depth, gamma0, lr: 0.1, steps: 12 }, networkSource(W, N));
      let worst = 0;
      let scale = 0;
      for (let t = 0; t <= 12; t++) {
        for (const [X, f] of [[data.x, out.result.fTrain[t]], [data.xTest, out.result.fTest[t]]] as const) {
          const pred = outputs(X, beta, t);
          (f as (number | number[])[]).map(first).forEach((v, i) => { worst = Math.max(worst, Math.abs(v - pred[i])); scale = Math.max(scale, Math.abs(v)); });
        }
      }
      // Both sides are exact: only rounding separates them (a wrong sign or factor in any update
      // or conditioning term moves the outputs by O(0.1) within the 12 steps).
      expect(scale).toBeGreaterThan(0.1);
      expect(worst).toBeLessThan(1e-10);
    });
  }

  it('with Z = I it is the large-width recursion on train and test inputs (depth 3, γ0 = 1)', () => {
    const spec = checkSpec(config(3, 1, 12), 40);
    const data = gaussianData(spec.data);
    const y = Float64Array.from(data.y.data);
    const K = freshCounts(3, 4, 12);
    const Z = K.map((k) => { const z = new Float64Array(k * k); for (let i = 0; i < k; i++) z[i * k + i] = 1; return z; });
    const beta = reducedTrajectory({ x: data.x, y, depth: 3, gamma0: 1, lr: 0.1, steps: 12 }, fixedGram(Z, K));
    const sol = solveDeepLinear({ kx: inputKernel(data.x, data.x), y, depth: 3, gamma0: 1, lr: 0.1, steps: 12, architecture: { kind: 'plain' } });
    const fTest = predict(sol, inputKernel(data.xTest, data.x));
    let worst = 0;
    for (let t = 0; t <= 12; t++) {
      outputs(data.x, beta, t).forEach((v, i) => { worst = Math.max(worst, Math.abs(v - sol.f[t * 8 + i])); });
      outputs(data.xTest, beta, t).forEach((v, i) => { worst = Math.max(worst, Math.abs(v - fTest[t * 8 + i])); });
    }
    expect(Math.abs(sol.f[12 * 8])).toBeGreaterThan(0.1);
    expect(worst).toBeLessThan(1e-10);
  });
});
