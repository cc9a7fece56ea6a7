/**
 * Exact cases of the deep-linear limit (theory/deeplinear.md#exact-cases): the γ0 → 0 frozen kernel and its closed form,
 * the one-point L = 1 dynamics, and Saxe et al.'s mode dynamics (closed form, ODE, learning times).
 */
import { describe, expect, it } from 'vitest';
import { eigh } from '../../../src/core/eigh.js';
import { solvePlainCausal } from '../../../src/limits/deeplinear/causal.js';
import { frozenKernelGd, onePointFlow, onePointGd } from '../../../src/limits/deeplinear/exact.js';
import { fromRows } from '../../../src/core/matrix.js';
import { saxeHalfTime, saxeLearningTime, saxeModeTrajectory, saxeTwoLayer } from '../../../src/limits/deeplinear/saxe.js';
import { maxAbs, maxAbsDiff, randomProblem } from './helpers.js';

/** f(t) = E (1 − (1 − ηκλ/P)^t) Eᵀ y: the NTK closed form by eigendecomposition (theory/ntk.md#dynamics). */
function ntkClosedForm(kx: { rows: number; data: Float64Array }, kappa: number, y: Float64Array, lr: number, steps: number): Float64Array {
  const P = y.length;
  const e = eigh({ rows: P, cols: P, data: kx.data });
  const out = new Float64Array((steps + 1) * P);
  for (let t = 0; t <= steps; t++) {
    for (let mu = 0; mu < P; mu++) {
      let s = 0;
      for (let j = 0; j < P; j++) {
        let proj = 0;
        for (let nu = 0; nu < P; nu++) proj += e.vectors.data[nu * P + j] * y[nu];
        s += e.vectors.data[mu * P + j] * (1 - Math.pow(1 - (lr * kappa * e.values[j]) / P, t)) * proj;
      }
      out[t * P + mu] = s;
    }
  }
  return out;
}

describe('γ0 → 0: the lazy (NTK) limit', () => {
  it.each([1, 2, 4])('the recursion at γ0 = 0 is gradient descent with the frozen kernel (L+1)K^x, L = %i, and matches the eigen closed form', (L) => {
    const { problem } = randomProblem(`ntk-${L}`, 5, 3, { depth: L, gamma0: 0, lr: 0.3, steps: 25 });
    const rec = solvePlainCausal(problem).solution.f;
    const iter = frozenKernelGd(problem.kx, L + 1, problem.y, problem.lr, problem.steps);
    const closed = ntkClosedForm(problem.kx, L + 1, problem.y, problem.lr, problem.steps);
    // Three computations of the same linear recursion: agreement to rounding (|f| = O(1), 25 steps).
    expect(maxAbsDiff(rec, iter)).toBeLessThan(1e-12);
    expect(maxAbsDiff(rec, closed)).toBeLessThan(1e-11);
  });

  it('small γ0 deviates from the frozen kernel by O(γ0²)', () => {
    const { problem } = randomProblem('ntk-small', 4, 6, { depth: 3, gamma0: 0, lr: 0.2, steps: 20 });
    const lazy = frozenKernelGd(problem.kx, 4, problem.y, problem.lr, problem.steps);
    const dev = [0.1, 0.05].map((g) => maxAbsDiff(solvePlainCausal({ ...problem, gamma0: g }).solution.f, lazy));
    // Feature learning enters at order γ0²: halving γ0 divides the deviation by 4 (within 10 %).
    expect(dev[0] / dev[1]).toBeGreaterThan(3.6);
    expect(dev[0] / dev[1]).toBeLessThan(4.4);
  });
});

describe('one training point, one hidden layer', () => {
  it.each([0.5, 1, 3])('the recursion equals the exact gradient-descent map of (h, g) at γ0 = %f', (g0) => {
    const kx = fromRows([[0.7]]);
    const y = Float64Array.of(1.3);
    const rec = solvePlainCausal({ kx, y, depth: 1, gamma0: g0, lr: 0.2, steps: 40, architecture: { kind: 'plain' } }).solution.f;
    // Same arithmetic up to summation order: rounding only.
    expect(maxAbsDiff(rec, onePointGd(0.7, 1.3, g0, 0.2, 40))).toBeLessThan(1e-13);
  });

  it('gradient descent converges to f = √κ sinh(2√κ τ)/γ0, dτ/dt = ηγ0(y − f), at first order in the step', () => {
    const kappa = 0.8, y = 1.5, g0 = 1.2, T = 4; // total flow time η·steps
    const err: number[] = [];
    for (const lr of [0.04, 0.02]) {
      const steps = Math.round(T / lr);
      const rec = solvePlainCausal({ kx: fromRows([[kappa]]), y: Float64Array.of(y), depth: 1, gamma0: g0, lr, steps, architecture: { kind: 'plain' } }).solution.f;
      const times = Array.from({ length: steps + 1 }, (_, t) => t);
      const ref = onePointFlow(kappa, y, g0, lr, times);
      expect(ref.solution.status).toBe('ok');
      err.push(maxAbsDiff(rec, ref.f));
    }
    // Gradient descent is the explicit Euler scheme of the flow: global error ∝ η (ratio 2 when η
    // halves; 1.8–2.2 allows the O(η²) remainder), and small at η = 0.02 (the ODE is solved to 1e-11).
    expect(err[0] / err[1]).toBeGreaterThan(1.8);
    expect(err[0] / err[1]).toBeLessThan(2.2);
    expect(err[1]).toBeLessThan(0.01 * y); // measured 0.0089 at η = 0.02
  });
});

describe('Saxe, McClelland, Ganguli 2014: mode dynamics', () => {
  it('the two-layer closed form solves τu\' = 2u(s − u)', () => {
    const s = 2.5, u0 = 1e-3, tau = 4;
    const times = Array.from({ length: 41 }, (_, i) => i * 0.5);
    const ode = saxeModeTrajectory(2, s, u0, times, tau);
    expect(ode.solution.status).toBe('ok');
    const closed = times.map((t) => saxeTwoLayer(s, u0, t, tau));
    // ODE solved at rtol 1e-10: agreement to 1e-8 relative to s.
    expect(maxAbsDiff(ode.u, closed) / s).toBeLessThan(1e-8);
    // e^{2st/τ}/(e^{2st/τ} − 1 + s/u0) form of the paper, at one time:
    const t = 7, e = Math.exp((2 * s * t) / tau);
    expect(saxeTwoLayer(s, u0, t, tau)).toBeCloseTo((s * e) / (e - 1 + s / u0), 12);
  });

  it('learning times: closed form (two layers) and quadrature (deeper) land the ODE on the target strength', () => {
    const s = 1.7, u0 = 2e-3, tau = 1;
    for (const m of [2, 3, 5]) {
      const tHalf = saxeHalfTime(m, s, u0, tau);
      const u = saxeModeTrajectory(m, s, u0, [0, tHalf], tau).u[1];
      // Quadrature with 400 Gauss–Legendre panels and the ODE at rtol 1e-10: u(t_half) = s/2 to 1e-7.
      expect(Math.abs(u - s / 2) / s).toBeLessThan(1e-7);
    }
    expect(saxeHalfTime(2, s, u0, tau)).toBeCloseTo((tau / (2 * s)) * Math.log(s / u0 - 1), 12);
    // Deeper networks learn a mode later from the same small u0 (stronger initial plateau).
    expect(saxeLearningTime(3, s, u0, 0.9 * s, tau)).toBeGreaterThan(saxeLearningTime(2, s, u0, 0.9 * s, tau));
  });

  it('stronger modes are learned first (time ∝ 1/s for two layers)', () => {
    const ratio = saxeHalfTime(2, 4, 1e-4, 1) / saxeHalfTime(2, 2, 1e-4, 1);
    expect(ratio).toBeCloseTo(0.5 * Math.log(4 / 1e-4 - 1) / Math.log(2 / 1e-4 - 1), 12);
    expect(maxAbs([ratio])).toBeLessThan(0.55);
  });
});
