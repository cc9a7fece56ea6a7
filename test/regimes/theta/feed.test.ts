import { describe, expect, it } from 'vitest';
import { eigh } from '../../../src/core/eigh.js';
import { fitLine } from '../../../src/core/fit.js';
import { type Mat, mat } from '../../../src/core/matrix.js';
import { Rng } from '../../../src/core/rng.js';
import { type KernelPath, feedPrediction, rampWeights } from '../../../src/regimes/theta/feed.js';
import { pathTimeTo } from '../../../src/regimes/theta/feedPath.js';
import { frozenLoss, frozenSpectrum, frozenTimeTo } from '../../../src/regimes/theta/frozenRate.js';
import { refinedTimeBelow } from '../../../src/regimes/theta/feedCell.js';
import { firstTimeBelow, logTimes } from '../../../src/regimes/geiger/curves.js';

/** A random n×n positive definite kernel with eigenvalues spread over a factor ≈ 30: U diag U ᵀ. */
function kernel(n: number, seed: string): Mat {
  const rng = new Rng(seed);
  const G = mat(n, n, Float64Array.from({ length: n * n }, () => rng.normal()));
  const sym = mat(n, n, G.data.map((_, ij) => G.data[ij] + G.data[(ij % n) * n + Math.floor(ij / n)]));
  const U = eigh(sym).vectors;
  const lam = Array.from({ length: n }, (_, k) => 0.5 * Math.pow(30, k / (n - 1)));
  const K = mat(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) K.data[i * n + j] += U.data[i * n + k] * lam[k] * U.data[j * n + k];
  return K;
}

/** A random symmetric direction of motion D (entries O(1)). */
function direction(n: number, seed: string): Float64Array {
  const rng = new Rng(seed), d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) d[i * n + j] = d[j * n + i] = rng.normal();
  return d;
}

/** Θ_t = Θ_0 + δ·(1 − e^{−t/τ})·D sampled at `times` (times[0] = 0). */
function path(K0: Mat, D: Float64Array, delta: number, tau: number, times: number[]): KernelPath {
  return { times, kernels: times.map((t) => mat(K0.rows, K0.rows, K0.data.map((v, q) => v + delta * (1 - Math.exp(-t / tau)) * D[q]))) };
}

const n = 8;
const K0 = kernel(n, 'feed-k0');
const rng = new Rng('feed-r0');
const r0 = Array.from({ length: n }, () => rng.normal());
const tF = frozenTimeTo(frozenSpectrum(K0, r0), 0.01);
const recordTimes = (K: number) => [0, ...Array.from({ length: K }, (_, i) => tF * 1.5 * Math.pow(1e-3, 1 - (i + 1) / K))];

describe('rampWeights: ∫_0^1 e^{yτ}(1 − τ) dτ and ∫_0^1 e^{yτ} τ dτ', () => {
  it('match composite Simpson quadrature on both sides of the series/closed-form switch', () => {
    for (const y of [0, -1e-9, -0.1, -0.4999, -0.5001, -3, -40]) {
      const N = 2000, h = 1 / N;
      let a = 0, b = 0;
      for (let i = 0; i <= N; i++) {
        const w = i === 0 || i === N ? 1 : i % 2 ? 4 : 2, tau = i * h, e = Math.exp(y * tau);
        a += w * e * (1 - tau); b += w * e * tau;
      }
      const [A, B] = rampWeights(y);
      expect(A).toBeCloseTo((a * h) / 3, 10);
      expect(B).toBeCloseTo((b * h) / 3, 10);
    }
  });
});

describe('feedPrediction: the first-order change of t_frozen/t_meas under a kernel path', () => {
  it('gives δ for a kernel scaled by 1 + δ from t = 0 (then t_meas = t_f/(1 + δ) exactly)', () => {
    const scaled = mat(n, n, K0.data.map((v) => 1.05 * v));
    const p: KernelPath = { times: [0, 1e-12 * tF], kernels: [K0, scaled] };
    expect(feedPrediction(p, r0, tF).first).toBeCloseTo(0.05, 9);
  });

  it('agrees with the exact solution of the linear ODE up to an error of second order in the path\'s size (fitted order 2 ± 0.2)', () => {
    const D = direction(n, 'feed-d');
    const deltas = [0.0005, 0.001, 0.002, 0.004];
    const err = deltas.map((d) => {
      const p = path(K0, D, d, 0.3 * tF, recordTimes(40));
      const exact = tF / pathTimeTo(p, r0, 0.01) - 1;
      const first = feedPrediction(p, r0, tF).first;
      expect(Math.abs(first)).toBeGreaterThan(3 * Math.abs(exact - first)); // first order dominates
      return Math.abs(exact - first);
    });
    const fit = fitLine(deltas.map(Math.log), err.map(Math.log));
    expect(fit.slope).toBeGreaterThan(1.8);
    expect(fit.slope).toBeLessThan(2.2);
  });

  it('splits into within-S, fast→slow and rest parts that sum to the total; a motion inside S has no other part', () => {
    const D = direction(n, 'feed-d2');
    const s = feedPrediction(path(K0, D, 0.1, 0.3 * tF, recordTimes(20)), r0, tF);
    expect(s.slowSlow + s.fastSlow + s.rest).toBeCloseTo(s.first, 14);
    expect(Math.abs(s.fastSlow)).toBeGreaterThan(1e-4);
    // Δ = U_S M U_Sᵀ: only the within-S block moves
    const { values, vectors: U } = eigh(K0);
    const S = Array.from(values.keys()).filter((k) => (values[k] * tF) / n <= 1 || k === 0);
    const inS = mat(n, n);
    for (const a of S) for (const b of S) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) inS.data[i * n + j] += U.data[i * n + a] * (a === b ? 0.3 : 0.1) * U.data[j * n + b];
    const onlyS = feedPrediction(path(K0, inS.data, 0.1, 0.3 * tF, recordTimes(20)), r0, tF);
    expect(onlyS.modes).toBe(S.length);
    expect(Math.abs(onlyS.fastSlow) + Math.abs(onlyS.rest)).toBeLessThan(1e-12);
    expect(Math.abs(onlyS.slowSlow)).toBeGreaterThan(1e-3);
  });

  it('converges in the number of record times (the linear interpolation of the path: error ∝ K^−2)', () => {
    const D = direction(n, 'feed-d3');
    const fine = feedPrediction(path(K0, D, 0.1, 0.3 * tF, recordTimes(640)), r0, tF).first;
    const errs = [20, 40, 80].map((K) => Math.abs(feedPrediction(path(K0, D, 0.1, 0.3 * tF, recordTimes(K)), r0, tF).first - fine));
    const fit = fitLine([20, 40, 80].map(Math.log), errs.map(Math.log));
    expect(fit.slope).toBeLessThan(-1.7);
    expect(fit.slope).toBeGreaterThan(-2.3);
  });
});

describe('pathTimeTo: the time to the level under a prescribed path', () => {
  it('equals the frozen kernel\'s bisected time for an unmoved path, and t_f/(1 + δ) for a scaled one', () => {
    const p: KernelPath = { times: [0, tF], kernels: [K0, K0] };
    expect(pathTimeTo(p, r0, 0.01) / tF).toBeCloseTo(1, 8);
    const scaled = mat(n, n, K0.data.map((v) => 1.05 * v));
    expect(pathTimeTo({ times: [0, 1e-12 * tF], kernels: [K0, scaled] }, r0, 0.01) / (tF / 1.05)).toBeCloseTo(1, 8);
  });
});

describe('refinedTimeBelow: t_meas without the save grid\'s bias', () => {
  const sp = frozenSpectrum(K0, r0);
  const L0 = frozenLoss(sp, 0);
  const saves = [0, ...logTimes(1e-2 * tF, 10 * tF, 6)];
  it('returns the frozen curve\'s exact time on the frozen curve, where the log-log chord of firstTimeBelow comes out early', () => {
    const ratio = saves.map((t) => frozenLoss(sp, t) / L0);
    expect(refinedTimeBelow(saves, ratio, sp, 0.01) / tF).toBeCloseTo(1, 9);
    const chord = firstTimeBelow(saves, ratio, 0.01);
    expect(chord).toBeLessThan(tF);
    expect(tF / chord - 1).toBeLessThan(0.02); // ≤ Δu²/8 ≈ 1.8 % (theory/theta.md#feed)
  });
  it('locates the crossing of a curve slowed by a slowly varying factor to 1e-3 relative', () => {
    const slow = (t: number) => (frozenLoss(sp, t) / L0) * Math.exp(0.2 * t / tF);
    let lo = 0, hi = 10 * tF;
    for (let i = 0; i < 200; i++) { const mid = 0.5 * (lo + hi); if (slow(mid) > 0.01) lo = mid; else hi = mid; }
    expect(refinedTimeBelow(saves, saves.map(slow), sp, 0.01) / lo).toBeCloseTo(1, 3);
  });
});
