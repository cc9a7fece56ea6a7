import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/core/rng.js';
import { averagedAngles, reducedNeuron } from '../../../../src/limits/meanfield/subspace/averagedKernel.js';
import { averagedAnglesN, gaussLegendreRule } from '../../../../src/limits/meanfield/subspace/averagedKernelN.js';

const PI = Math.PI;
type Pair = [number, number, number, number];

/** Ordinary pairs, nearly collinear (α' − α = 1e-7), nearly opposite (α + α' = π − 1e-8), one neuron almost on H. */
const PAIRS: Pair[] = [
  [0.3, 0.9, -0.5, 0.4], [1.2, 0.2, 0.7, 1.1], [-0.8, 0.6, -0.8, 0.6], [0.05, 1, 2, 0.3], [1, 0.004, 0.3, 0.8],
  [Math.cos(0.9), Math.sin(0.9), 2 * Math.cos(0.9 + 1e-7), 2 * Math.sin(0.9 + 1e-7)],
  [Math.cos(1.1), Math.sin(1.1), Math.cos(PI - 1.1 - 1e-8), Math.sin(PI - 1.1 - 1e-8)],
];

const angles = (pair: Pair, n: number) => averagedAnglesN(reducedNeuron(pair[0], pair[1]), reducedNeuron(pair[2], pair[3]), n, new Float64Array(3));

/** Monte Carlo: s = first coordinate of a uniform point of S^{n−1}; θ = arccos(cos α cos α' + h s). Means and standard errors. */
function monteCarlo(pair: Pair, n: number, draws: number, rng: Rng): { mean: number[]; se: number[] } {
  const p = reducedNeuron(pair[0], pair[1]), q = reducedNeuron(pair[2], pair[3]);
  const sum = [0, 0, 0], sq = [0, 0, 0];
  const g = new Float64Array(n);
  for (let t = 0; t < draws; t++) {
    let nn = 0;
    for (let i = 0; i < n; i++) { g[i] = rng.normal(); nn += g[i] * g[i]; }
    const s = g[0] / Math.sqrt(nn);
    const th = Math.acos(Math.max(-1, Math.min(1, p.ca * q.ca + p.sa * q.sa * s)));
    const v = [Math.sin(th), PI - th, (PI - th) * s];
    for (let k = 0; k < 3; k++) { sum[k] += v[k]; sq[k] += v[k] * v[k]; }
  }
  const mean = sum.map((x) => x / draws);
  return { mean, se: sq.map((x, k) => Math.sqrt(Math.max(0, x / draws - mean[k] ** 2) / draws)) };
}

describe('averaged arc-cosine angles for n = d − k ≠ 3 (theory/subspace-reduction.md#averaged-kernel-n)', () => {
  it('the Gauss–Legendre rule integrates polynomials of degree 2n − 1 exactly', () => {
    const { x, w } = gaussLegendreRule(12);
    for (let deg = 0; deg <= 23; deg++) {
      const got = x.reduce((a, xi, i) => a + w[i] * xi ** deg, 0);
      expect(Math.abs(got - (deg % 2 ? 0 : 2 / (deg + 1)))).toBeLessThan(1e-14);
    }
  });

  it('at n = 3 it equals the closed form of averagedKernel.ts, nearly collinear and nearly opposite pairs included (1e-10)', () => {
    for (const pair of PAIRS) {
      const closed = averagedAngles(reducedNeuron(pair[0], pair[1]), reducedNeuron(pair[2], pair[3]), new Float64Array(3));
      const got = angles(pair, 3);
      for (let k = 0; k < 3; k++) expect(Math.abs(got[k] - closed[k])).toBeLessThan(1e-10);
    }
  });

  it('at n = 2, 4, 7 it agrees with a Monte Carlo average over uniform directions (within 4.5 standard errors)', () => {
    const rng = new Rng('averaged-kernel-n');
    for (const n of [2, 4, 7]) {
      for (const pair of PAIRS.slice(0, 4)) {
        const got = angles(pair, n);
        const mc = monteCarlo(pair, n, 40000, rng.child(`${n}/${pair.join(',')}`));
        for (let k = 0; k < 3; k++) expect(Math.abs(got[k] - mc.mean[k])).toBeLessThan(4.5 * mc.se[k] + 1e-12);
      }
    }
  });

  it('nearly collinear and nearly opposite pairs at n = 2 and 4 agree with a fine Simpson rule in φ (1e-8)', () => {
    for (const pair of PAIRS.slice(4)) {
      const p = reducedNeuron(pair[0], pair[1]), q = reducedNeuron(pair[2], pair[3]);
      for (const n of [2, 4]) {
        const K = 200000, acc = [0, 0, 0];
        let z = 0;
        for (let k = 0; k <= K; k++) {
          const phi = (PI * k) / K;
          const w = ((k === 0 || k === K ? 1 : k % 2 ? 4 : 2) * Math.sin(phi) ** (n - 2)) / (3 * K);
          const th = Math.acos(Math.max(-1, Math.min(1, p.ca * q.ca + p.sa * q.sa * Math.cos(phi))));
          z += w; acc[0] += w * Math.sin(th); acc[1] += w * (PI - th); acc[2] += w * (PI - th) * Math.cos(phi);
        }
        const got = angles(pair, n);
        for (let k = 0; k < 3; k++) expect(Math.abs(got[k] - acc[k] / z)).toBeLessThan(1e-8);
      }
    }
  });

  it('depends on n: at n = 2 and 7 it differs from n = 3 by far more than the Monte Carlo error (the test can fail)', () => {
    const pair = PAIRS[0];
    expect(Math.abs(angles(pair, 2)[2] - angles(pair, 3)[2])).toBeGreaterThan(0.01);
    expect(Math.abs(angles(pair, 7)[2] - angles(pair, 3)[2])).toBeGreaterThan(0.01);
  });

  it('as n grows, s concentrates at 0: the averages tend to the plain arc-cosine values at cos θ = cos α cos α′, with an O(1/n) gap', () => {
    for (const pair of PAIRS.slice(0, 4)) {
      const p = reducedNeuron(pair[0], pair[1]), q = reducedNeuron(pair[2], pair[3]);
      const t0 = Math.acos(p.ca * q.ca);
      const got = angles(pair, 2000);
      // E g(s) = g(0) + g''(0)/(2n) + …, ⟨(π − θ) s⟩ = −θ'(0)/n + …; 10/n bounds these second-order gaps here
      expect(Math.abs(got[0] - Math.sin(t0))).toBeLessThan(10 / 2000);
      expect(Math.abs(got[1] - (PI - t0))).toBeLessThan(10 / 2000);
      expect(Math.abs(got[2])).toBeLessThan(10 / 2000);
      // ⟨(π − θ) s⟩·n → −dθ/ds at s = 0 = h/sin θ₀ (cos θ = cos α cos α′ + h s)
      expect(Math.abs(got[2] * 2000 - (p.sa * q.sa) / Math.sin(t0))).toBeLessThan(0.05);
    }
  });

  it('the r-derivative of K̄ = N N′S + u u′Π + r r′Σ is Σ r′ + S (N′/N) r at n = 5 (central differences, 1e-7)', () => {
    const kbar = (u: number, r: number, u2: number, r2: number) => {
      const a = averagedAnglesN(reducedNeuron(u, r), reducedNeuron(u2, r2), 5, new Float64Array(3));
      return Math.hypot(u, r) * Math.hypot(u2, r2) * a[0] + u * u2 * a[1] + r * r2 * a[2];
    };
    for (const [u, r, u2, r2] of PAIRS.slice(0, 4)) {
      const a = angles([u, r, u2, r2], 5);
      const e = 1e-5;
      const fd = (kbar(u, r + e, u2, r2) - kbar(u, r - e, u2, r2)) / (2 * e);
      expect(Math.abs(fd - (a[2] * r2 + a[0] * (Math.hypot(u2, r2) / Math.hypot(u, r)) * r))).toBeLessThan(1e-7);
      const fdu = (kbar(u + e, r, u2, r2) - kbar(u - e, r, u2, r2)) / (2 * e);
      expect(Math.abs(fdu - (a[1] * u2 + a[0] * (Math.hypot(u2, r2) / Math.hypot(u, r)) * u))).toBeLessThan(1e-7);
    }
  });

  it('rejects n < 2 and non-integer n', () => {
    expect(() => angles(PAIRS[0], 1)).toThrow(RangeError);
    expect(() => angles(PAIRS[0], 2.5)).toThrow(RangeError);
  });
});
