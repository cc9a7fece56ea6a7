import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { reluCross } from '../../../src/data/teacher.js';
import {
  abreluPairKernel, abreluPairKernelGrad, abreluReluCross, abreluReluCrossGrad, reluPairKernel, reluPairKernelGrad,
} from '../../../src/limits/meanfield/arccos.js';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, x, i) => s + x * b[i], 0);
const relu = (u: number) => (u > 0 ? u : 0);

/** Mean and standard error of g(x) over N draws x ~ N(0, vI) (g returns a vector). */
function monteCarlo(d: number, v: number, N: number, rng: Rng, g: (x: Float64Array) => number[]) {
  const x = new Float64Array(d);
  let s: number[] = [];
  let s2: number[] = [];
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < d; i++) x[i] = Math.sqrt(v) * rng.normal();
    const r = g(x);
    if (n === 0) { s = r.map(() => 0); s2 = r.map(() => 0); }
    r.forEach((val, i) => { s[i] += val; s2[i] += val * val; });
  }
  const mean = s.map((t) => t / N);
  const se = s2.map((t, i) => Math.sqrt(Math.max(0, t / N - mean[i] ** 2) / N));
  return { mean, se };
}

/** Central difference of f along coordinate i of w. */
function centralDiff(f: (w: Float64Array) => number, w: Float64Array, i: number, h: number): number {
  const p = w.slice(); p[i] += h;
  const q = w.slice(); q[i] -= h;
  return (f(p) - f(q)) / (2 * h);
}

describe('arc-cosine expectations for x ~ N(0, vI)', () => {
  const rng = new Rng('arccos');
  const d = 4;
  const v = 0.7;
  const w = rng.fillNormal(new Float64Array(d));
  const w2 = rng.fillNormal(new Float64Array(d));

  it('K(w, w′) and ∇_w K match Monte Carlo means within 4.5 standard errors', () => {
    // N = 200k: each check is a z-test; 4.5 se leaves a false-alarm rate below 1e-4 over the 5 checks.
    const grad = reluPairKernelGrad(w, w2, v);
    const mc = monteCarlo(d, v, 200_000, new Rng('mc/K'), (x) => {
      const u = dot(w, x), u2 = dot(w2, x);
      const k = relu(u) * relu(u2);
      const g = u > 0 ? relu(u2) : 0;
      return [k, ...Array.from(x, (xi) => g * xi)];
    });
    const closed = [reluPairKernel(w, w2, v), ...grad];
    closed.forEach((c, i) => expect(Math.abs(c - mc.mean[i])).toBeLessThan(4.5 * mc.se[i]));
  });

  it('∇_w K equals central finite differences of K (rel 1e-6)', () => {
    // step 1e-5: truncation O(h²K''') ~ 1e-10, rounding O(ε K/h) ~ 1e-11, both far below 1e-6 · |∇K|
    const g = reluPairKernelGrad(w, w2, v);
    const scale = Math.max(...Array.from(g, Math.abs));
    for (let i = 0; i < d; i++) {
      expect(Math.abs(centralDiff((x) => reluPairKernel(x, w2, v), w, i, 1e-5) - g[i])).toBeLessThan(1e-6 * scale);
    }
  });

  it('agrees with the data module\'s independent arc-cosine formula on covariances (rounding)', () => {
    const k = reluCross(v * dot(w, w), v * dot(w, w2), v * dot(w2, w2));
    expect(reluPairKernel(w, w2, v)).toBeCloseTo(k, 14);
  });

  it('degenerate angles: K(w, w) = v‖w‖²/2 and K(w, −w) = 0, with ∇K(w, w) = v w/2', () => {
    const minus = w.map((x) => -x);
    expect(reluPairKernel(w, w, v)).toBeCloseTo((v * dot(w, w)) / 2, 13);
    expect(reluPairKernel(w, minus, v)).toBeCloseTo(0, 13);
    const g = reluPairKernelGrad(w, w, v);
    g.forEach((gi, i) => expect(gi).toBeCloseTo((v * w[i]) / 2, 13));
  });

  it('ABReLU(0, 1) is ReLU exactly; ABReLU(1, 1) is the identity: E[uu′] = v w·w′', () => {
    expect(abreluPairKernel(0, 1, w, w2, v)).toBe(reluPairKernel(w, w2, v));
    expect(abreluPairKernel(1, 1, w, w2, v)).toBeCloseTo(v * dot(w, w2), 14);
    const g = abreluPairKernelGrad(1, 1, w, w2, v);
    g.forEach((gi, i) => expect(gi).toBeCloseTo(v * w2[i], 14));
  });

  it('leaky-ReLU kernels and student–teacher cross terms match Monte Carlo within 4.5 se', () => {
    const p = 0.2, q = 1.3;
    const phi = (u: number) => (u > 0 ? q * u : p * u);
    const dphi = (u: number) => (u > 0 ? q : p);
    const mc = monteCarlo(d, v, 200_000, new Rng('mc/abrelu'), (x) => {
      const u = dot(w, x), u2 = dot(w2, x);
      return [phi(u) * phi(u2), dphi(u) * phi(u2) * x[0], phi(u) * relu(u2), dphi(u) * relu(u2) * x[1]];
    });
    const closed = [
      abreluPairKernel(p, q, w, w2, v), abreluPairKernelGrad(p, q, w, w2, v)[0],
      abreluReluCross(p, q, w, w2, v), abreluReluCrossGrad(p, q, w, w2, v)[1],
    ];
    closed.forEach((c, i) => expect(Math.abs(c - mc.mean[i])).toBeLessThan(4.5 * mc.se[i]));
  });
});
