/**
 * theory/proportional.md#depth-width: (i) at initialization the relative variance of |g¹|²/N after
 * L residual blocks with branches β0/√L is (1 + 2/N)∏_l(1 + (4β² + 2β⁴)/(N(1 + β²)²)) − 1, bounded in
 * L, where L plain Gaussian layers give (1 + 2/N)^{L+1} − 1 (Monte Carlo); (ii) the kind's statistics
 * on synthetic cells with a known deviation c_L/D: the D-rate, the L-ratio and the Richardson
 * extrapolation in 1/D.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import type { LossTable } from '../../../src/regimes/proportional/convergence.js';
import { type DepthWidthParams, depthWidthStatistics } from '../../../src/regimes/proportional/depthWidth.js';

/** |g¹|²/N of one draw: readout w ~ N(0, I), then L blocks g ← g + β Wᵀg/√N (or g ← Wᵀg/√N). */
function backwardNorm(rng: Rng, N: number, L: number, beta: number | null): number {
  let g = Float64Array.from({ length: N }, () => rng.normal());
  for (let l = 0; l < L; l++) {
    const next = beta === null ? new Float64Array(N) : Float64Array.from(g);
    const scale = (beta ?? 1) / Math.sqrt(N);
    for (let i = 0; i < N; i++) {
      const gi = g[i] * scale;
      for (let j = 0; j < N; j++) next[j] += rng.normal() * gi;
    }
    g = next;
  }
  return g.reduce((a, x) => a + x * x, 0) / N;
}

function relativeVariance(xs: number[]): { v: number; se: number } {
  const M = xs.length;
  const m = xs.reduce((a, x) => a + x, 0) / M;
  const d2 = xs.map((x) => (x - m) ** 2);
  const v = d2.reduce((a, x) => a + x, 0) / (M - 1);
  const s = Math.sqrt(d2.reduce((a, x) => a + (x - v) ** 2, 0) / (M - 1) / M);
  return { v: v / (m * m), se: s / (m * m) };
}

describe('finite width at large depth (theory/proportional.md#depth-width)', () => {
  it('initial backward-norm variance: bounded in L with 1/√L branches, growing as L/N without', () => {
    const N = 16;
    const beta0 = 1;
    const rng = new Rng('depth-width/init');
    const predicted = (L: number) => {
      const b2 = beta0 ** 2 / L;
      return (1 + 2 / N) * (1 + (4 * b2 + 2 * b2 * b2) / (N * (1 + b2) ** 2)) ** L - 1;
    };
    for (const L of [4, 32]) {
      const { v, se } = relativeVariance(Array.from({ length: 2000 }, () => backwardNorm(rng, N, L, beta0 / Math.sqrt(L))));
      expect(Math.abs(v - predicted(L))).toBeLessThan(4 * se + 0.02 * predicted(L));
    }
    // bounded in L: the L → ∞ value (1 + 2/N)e^{4β0²/N} − 1 is approached from below
    expect(predicted(4096)).toBeLessThan((1 + 2 / N) * Math.exp((4 * beta0 ** 2) / N) - 1);
    expect(predicted(4096) - predicted(32)).toBeLessThan(0.03); // an O(1/(LN)) remainder; plain layers: (1 + 2/N)^33 − 1 ≈ 47 at L = 32
    const plain = relativeVariance(Array.from({ length: 2000 }, () => backwardNorm(rng, N, 8, null)));
    expect(Math.abs(plain.v - ((1 + 2 / N) ** 9 - 1))).toBeLessThan(4 * plain.se + 0.02 * plain.v);
  });

  it('statistics recover a known c_L/D deviation: rate −1, ratio c_256/c_64, Richardson to the DMFT', () => {
    const T = 2;
    const p = { steps: T, seeds: 400, cells: [[128, 64], [256, 64], [512, 64], [128, 256], [256, 256]] } as unknown as DepthWidthParams;
    const theory = new Map([[64, new Float64Array([0, 0, 0.2])], [256, new Float64Array([0, 0, 0.21])]]);
    const inf = new Float64Array([0, 0, 0.2125]);
    const c = new Map([[64, -11], [256, -14.5]]);
    const rng = new Rng('depth-width/synthetic');
    const finite: LossTable = new Map();
    for (const [D, L] of p.cells) {
      finite.set(D * 100000 + L, Array.from({ length: p.seeds }, () => new Float64Array([0, 0, theory.get(L)![T] + c.get(L)! / D + (0.4 / Math.sqrt(D)) * rng.normal()])));
    }
    const s = depthWidthStatistics(p, theory, inf, finite, 'synthetic');
    const inside = (k: string, x: number) => expect(s[k].ci[0] <= x && x <= s[k].ci[1], `${k} ${JSON.stringify(s[k])} ∌ ${x}`).toBe(true);
    inside('deviationExponent@L64', -1);
    inside('depthRatio@D256', 14.5 / 11);
    inside('extrapolatedGap@L64', 0.2 - 0.2125);
    expect(s['gapTheory@L256'].estimate).toBeCloseTo(0.21 - 0.2125, 12);
    expect(s['depthRatio@D256'].ci[1]).toBeLessThan(2.5);
    expect(Object.keys(s).some((k) => k.startsWith('collapse@'))).toBe(false); // no two cells share L/D here
    // cells sharing L/D = 1/16 with Δ a function of L/D only: the collapse difference contains 0
    const q = { steps: T, seeds: 400, cells: [[128, 8], [512, 32]] } as unknown as DepthWidthParams;
    const th = new Map([[8, new Float64Array([0, 0, 0.17])], [32, new Float64Array([0, 0, 0.19])]]);
    const fin: LossTable = new Map();
    for (const [D, L] of q.cells) fin.set(D * 100000 + L, Array.from({ length: q.seeds }, () => new Float64Array([0, 0, th.get(L)![T] - 0.014 + (0.4 / Math.sqrt(D)) * rng.normal()])));
    const sq = depthWidthStatistics(q, th, inf, fin, 'synthetic-collapse');
    expect(sq['collapse@D128L8-D512L32'].ci[0]).toBeLessThan(0);
    expect(sq['collapse@D128L8-D512L32'].ci[1]).toBeGreaterThan(0);
    expect(Math.abs(sq['collapse@D128L8-D512L32'].estimate)).toBeLessThan(0.01);
  });
});
