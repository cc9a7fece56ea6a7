import { describe, it, expect } from 'vitest';
import { gaussHermiteNormal, normalExpectation2 } from '../../src/core/gaussHermite.js';

function doubleFactorial(m: number): number {
  let r = 1;
  for (let k = m; k > 1; k -= 2) r *= k;
  return r;
}

describe('gaussHermiteNormal', () => {
  it('is exact for E Z^{2k} = (2k−1)!! up to degree 2n − 1 (relative 1e-13) and gives 0 for odd moments', () => {
    // Exactness for degree ≤ 2n−1 is the defining property of the Gauss rule; 1e-13 allows the
    // rounding in x_i^{2k} (2k ε relative per node) and in the weights.
    for (const n of [1, 2, 3, 4, 5, 8, 13, 20, 40, 64, 100]) {
      const { nodes, weights } = gaussHermiteNormal(n);
      for (let k = 0; 2 * k <= 2 * n - 1 && k <= 85; k++) {
        let even = 0, odd = 0, oddScale = 0;
        for (let i = 0; i < n; i++) {
          even += weights[i] * nodes[i] ** (2 * k);
          odd += weights[i] * nodes[i] ** (2 * k + 1);
          oddScale += weights[i] * Math.abs(nodes[i]) ** (2 * k + 1);
        }
        expect(Math.abs(even / doubleFactorial(2 * k - 1) - 1)).toBeLessThan(1e-13);
        // Nodes and weights are exactly symmetric: odd sums cancel up to summation rounding.
        if (2 * k + 1 <= 2 * n - 1) expect(Math.abs(odd)).toBeLessThanOrEqual(n * 1.2e-16 * oddScale);
      }
    }
  });

  it('has degree of exactness exactly 2n − 1: the quadrature of Z^{2n} misses by n! (since Σ w He_n(x_i)² = 0)', () => {
    for (const n of [2, 3, 6, 10, 20]) {
      const { nodes, weights } = gaussHermiteNormal(n);
      let s = 0;
      for (let i = 0; i < n; i++) s += weights[i] * nodes[i] ** (2 * n);
      let fact = 1;
      for (let i = 2; i <= n; i++) fact *= i;
      expect(Math.abs(s / (doubleFactorial(2 * n - 1) - fact) - 1)).toBeLessThan(1e-13);
    }
  });

  it('matches the closed-form 2- and 3-point rules: ±1 (½, ½) and 0, ±√3 (⅔, ⅙, ⅙)', () => {
    const r2 = gaussHermiteNormal(2);
    expect(Array.from(r2.nodes)).toEqual([-1, 1]);
    expect(Array.from(r2.weights)).toEqual([0.5, 0.5]);
    const r3 = gaussHermiteNormal(3);
    expect(Math.abs(r3.nodes[2] - Math.sqrt(3))).toBeLessThan(1e-15);
    expect(r3.nodes[1]).toBe(0);
    expect(Math.abs(r3.weights[1] - 2 / 3)).toBeLessThan(1e-15);
    expect(Math.abs(r3.weights[0] - 1 / 6)).toBeLessThan(1e-15);
  });

  it('integrates a smooth function to machine precision: E cos Z = e^{−1/2}, E e^Z = e^{1/2}', () => {
    const { nodes, weights } = gaussHermiteNormal(30);
    let c = 0, e = 0;
    for (let i = 0; i < 30; i++) { c += weights[i] * Math.cos(nodes[i]); e += weights[i] * Math.exp(nodes[i]); }
    expect(Math.abs(c - Math.exp(-0.5))).toBeLessThan(1e-15);
    expect(Math.abs(e / Math.exp(0.5) - 1)).toBeLessThan(1e-14);
  });

  it('weights are positive and sum to 1, nodes ascending and symmetric, rules cached, large n finite', () => {
    for (const n of [7, 64, 300]) {
      const { nodes, weights } = gaussHermiteNormal(n);
      let s = 0;
      for (let i = 0; i < n; i++) {
        expect(weights[i]).toBeGreaterThanOrEqual(0);
        expect(Number.isFinite(nodes[i])).toBe(true);
        if (i > 0) expect(nodes[i]).toBeGreaterThan(nodes[i - 1]);
        expect(nodes[i] + nodes[n - 1 - i]).toBe(0);
        s += weights[i];
      }
      expect(Math.abs(s - 1)).toBeLessThan(1e-15);
    }
    expect(gaussHermiteNormal(64)).toBe(gaussHermiteNormal(64));
    expect(() => gaussHermiteNormal(0)).toThrow(RangeError);
    expect(() => gaussHermiteNormal(2.5)).toThrow(RangeError);
  });
});

describe('normalExpectation2', () => {
  const cases: Array<[number, number, number]> = [
    [1, 0.3, 2], [0.5, -0.49, 0.7], [2, 0, 3], [1.3, 0.5, 0.7],
    [1, 1, 1], [4, -6, 9], // singular: l12² = l11 l22
    [0, 0, 2], [3, 0, 0], [0, 0, 0], [1, 0, -1e-18], // zero and rounding-negative variances
    [0.1, 0.1 * Math.sqrt(0.3 / 0.1), 0.3], // |ρ| = 1 up to rounding
  ];

  it('E[uv] = l12 and E[u²v²] = l11 l22 + 2 l12² (Wick), also for singular and zero-variance Λ, never NaN', () => {
    // Polynomials of degree ≤ 2n − 1 are integrated exactly: only rounding remains (1e-13 relative).
    for (const [a, b, c] of cases) {
      const cc = Math.max(0, c);
      const uv = normalExpectation2((u, v) => u * v, a, b, c, 8);
      const u2v2 = normalExpectation2((u, v) => u * u * v * v, a, b, c, 8);
      const u4 = normalExpectation2((u) => u ** 4, a, b, c, 8);
      const scale = Math.max(1, a, cc);
      expect(Math.abs(uv - b)).toBeLessThan(1e-13 * scale);
      expect(Math.abs(u2v2 - (a * cc + 2 * b * b))).toBeLessThan(1e-13 * scale * scale);
      expect(Math.abs(u4 - 3 * a * a)).toBeLessThan(1e-13 * scale * scale);
      expect(Number.isNaN(normalExpectation2((u, v) => Math.sqrt(u * u + v * v), a, b, c))).toBe(false);
    }
  });

  it('E[relu(u) relu(v)] converges to the arc-cosine closed form (Cho–Saul 2009) as n grows', () => {
    // A kink converges only algebraically (here ≈ 1/n): assert the trend, not a tolerance.
    const relu = (x: number) => (x > 0 ? x : 0);
    for (const [a, b, c] of [[1.3, 0.5, 0.7], [1, -0.8, 1], [2, 0.1, 0.5]]) {
      const rho = b / Math.sqrt(a * c);
      const th = Math.acos(rho);
      const exact = (Math.sqrt(a * c) * (Math.sin(th) + (Math.PI - th) * Math.cos(th))) / (2 * Math.PI);
      const errs = [8, 16, 32, 64, 128].map((n) => Math.abs(normalExpectation2((u, v) => relu(u) * relu(v), a, b, c, n) - exact));
      for (let i = 1; i < errs.length; i++) expect(errs[i]).toBeLessThan(errs[i - 1]);
      expect(errs[4]).toBeLessThan(errs[0] / 8);
      expect(errs[4]).toBeLessThan(2e-3);
    }
  });

  it('E[step(u) step(v)] approaches (π − θ)/(2π) (a discontinuity: trend over a 32-fold increase of n)', () => {
    const th = Math.acos(0.5 / Math.sqrt(1.3 * 0.7));
    const exact = (Math.PI - th) / (2 * Math.PI);
    const err = (n: number) => Math.abs(normalExpectation2((u, v) => (u > 0 && v > 0 ? 1 : 0), 1.3, 0.5, 0.7, n) - exact);
    expect(err(256)).toBeLessThan(err(8) / 10);
  });
});
