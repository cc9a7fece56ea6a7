import { describe, expect, it } from 'vitest';
import { type Dopri5Rhs, type Dopri5Sums, createDopri5Work, dopri5Fsal, dopri5Step } from '../../src/core/dopri5.js';
import { solveDopri5 } from '../../src/core/dopri5Solve.js';
import { fitLine } from '../../src/core/fit.js';
import { IController, PIController, type StepController, rmsNorm } from '../../src/core/stepControl.js';

/** y' = λ y (λ may vary per component), exact y(t) = y0 e^{λ t}. */
const linear = (lambda: number[]): Dopri5Rhs<void> => (_t, y, dy) => { for (let i = 0; i < y.length; i++) dy[i] = lambda[i] * y[i]; };
/** y' = −2 t y: exact y = y0 e^{−t²} (exercises the stage times t + c_i h). */
const gauss: Dopri5Rhs<void> = (t, y, dy) => { dy[0] = -2 * t * y[0]; };

type Ctl = 'I' | 'PI';
const controller = (c: Ctl, tol: number): StepController => c === 'I' ? new IController({ h0: 0.1 }) : new PIController({ rtol: tol, atol: tol });
const sumsOf: Record<Ctl, Dopri5Sums> = { I: 'axpy', PI: 'fused' };

function solve(c: Ctl, f: Dopri5Rhs, y0: number[], times: number[], tol: number, maxSteps = 1e5) {
  const y = Float64Array.from(y0);
  const saved: number[][] = [];
  const r = solveDopri5(f, y, times[0], times, {
    controller: controller(c, tol), norm: rmsNorm(tol, tol), sums: sumsOf[c], maxSteps, firstEvaluation: c === 'I' ? 'eager' : 'lazy', label: 'test',
  }, { onSave: (_i, _t, x) => { saved.push(Array.from(x)); return null; } });
  return { r, y, saved };
}

/** Fixed-step solution at t = T with n steps of h = T/n (sums order `sums`). */
function fixedStep(f: Dopri5Rhs, y0: number[], T: number, n: number, sums: Dopri5Sums): Float64Array {
  const y = Float64Array.from(y0);
  const w = createDopri5Work(y.length);
  const h = T / n;
  f(0, y, w.k1);
  for (let s = 0; s < n; s++) {
    dopri5Step(f, s * h, y, h, w, sums);
    y.set(w.y1);
    dopri5Fsal(w);
  }
  return y;
}

describe('Dormand–Prince step', () => {
  for (const sums of ['fused', 'axpy'] as const) {
    it(`fixed steps converge with fitted order 5 ± 0.3 (${sums} sums; y' = λy and y' = −2ty on [0, 1])`, () => {
      // global error C h^5: n = 4…32 keeps the error (≥ 1e-11) far above rounding (1e-16)
      const ns = [4, 8, 16, 32];
      const cases: [Dopri5Rhs, number[], (t: number) => number[]][] = [
        [linear([-1, 2, -5]), [1, 1, 1], (t) => [Math.exp(-t), Math.exp(2 * t), Math.exp(-5 * t)]],
        [gauss, [1], (t) => [Math.exp(-t * t)]],
      ];
      for (const [f, y0, exact] of cases) {
        const errs = ns.map((n) => {
          const y = fixedStep(f, y0, 1, n, sums);
          return Math.max(...exact(1).map((e, i) => Math.abs(y[i] - e)));
        });
        const fit = fitLine(ns.map((n) => Math.log(1 / n)), errs.map(Math.log));
        expect(fit.slope).toBeGreaterThan(4.7);
        expect(fit.slope).toBeLessThan(5.3);
      }
    });
  }

  it('the error estimate scales as h^5 (fitted 5 ± 0.3) and is the 4th-order solution\'s true local error', () => {
    // err = y1 − ŷ1 with ŷ1 of order 4: local error C h^5; exact − ŷ1 = err + O(h^6), so their
    // ratio → 1 linearly in h (within 5 % at h = 0.025 for λ = −3)
    const lambda = -3;
    const hs = [0.2, 0.1, 0.05, 0.025];
    const w = createDopri5Work(1);
    const errs = hs.map((h) => {
      const y = Float64Array.of(1);
      linear([lambda])(0, y, w.k1);
      dopri5Step(linear([lambda]), 0, y, h, w, 'fused');
      const trueErr4 = Math.exp(lambda * h) - (w.y1[0] - w.err[0]);
      return { err: Math.abs(w.err[0]), ratio: trueErr4 / w.err[0] };
    });
    const fit = fitLine(hs.map(Math.log), errs.map((e) => Math.log(e.err)));
    expect(fit.slope).toBeGreaterThan(4.7);
    expect(fit.slope).toBeLessThan(5.3);
    expect(Math.abs(errs[3].ratio - 1)).toBeLessThan(0.05);
    expect(Math.abs(errs[3].ratio - 1)).toBeLessThan(Math.abs(errs[0].ratio - 1)); // and improves with h
  });

  it('the two summation orders are the same method: solutions agree to rounding (1e-14 relative)', () => {
    const f = linear([-1.3, 0.7, -4]);
    const a = fixedStep(f, [1, -2, 0.5], 1, 10, 'fused'), b = fixedStep(f, [1, -2, 0.5], 1, 10, 'axpy');
    for (let i = 0; i < 3; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-14 * Math.abs(a[i]));
  });
});

describe('adaptive solve (solveDopri5) against closed forms', () => {
  for (const c of ['I', 'PI'] as const) {
    it(`${c} controller: y' = −y and y' = λy on [0, 1] end within 5·tol of the exact solution, and the error falls with tol`, () => {
      // Each step's local error is kept ≤ tol·(1 + |y|) (RMS); over the O(10–100) steps on [0, 1] the
      // global error of these stable/mildly growing problems stays a small multiple of tol
      // (measured ≤ 0.25·tol for both controllers); 5·tol leaves room for rounding and platforms.
      const lambdas = [-1, 2, -8];
      const exact = lambdas.map((l) => Math.exp(l));
      let prev = Infinity;
      for (const tol of [1e-4, 1e-7, 1e-10]) {
        const { r, y, saved } = solve(c, linear(lambdas), [1, 1, 1], [0, 0.5, 1], tol);
        expect(r.status).toBe('ok');
        expect(r.t).toBe(1); // lands exactly on the last requested time
        expect(saved).toHaveLength(3);
        const err = Math.max(...exact.map((e, i) => Math.abs(y[i] - e) / Math.max(1, e)));
        expect(err).toBeLessThan(5 * tol);
        expect(err).toBeLessThan(prev);
        prev = err;
        expect(r.stats.evaluations).toBe(6 * (r.stats.accepted + r.stats.rejected) + 1 + (c === 'PI' ? 1 : 0));
      }
    });

    it(`${c} controller: a NaN from the field comes back as status nan with a message, never a throw`, () => {
      const f: Dopri5Rhs = (t, y, dy) => { dy[0] = t > 0.5 ? NaN : -y[0]; };
      const { r } = solve(c, f, [1], [0, 1], 1e-6);
      expect(r.status).toBe('nan');
      expect(r.message).toMatch(/NaN|underflow/);
      expect(r.t).toBeLessThanOrEqual(0.5);
    });

    it(`${c} controller: the step budget ends the solve as not-converged`, () => {
      const { r } = solve(c, linear([-1]), [1], [0, 100], 1e-10, 10);
      expect(r.status).toBe('not-converged');
      expect(r.stats.accepted + r.stats.rejected).toBe(10);
    });
  }

  it('rejects a too-long first step and recovers (I controller, h0 = 10 on y\' = −8y)', () => {
    const y = Float64Array.of(1);
    const r = solveDopri5(linear([-8]), y, 0, [1], {
      controller: new IController({ h0: 10 }), norm: rmsNorm(1e-8, 1e-8), sums: 'axpy', maxSteps: 1e4, firstEvaluation: 'eager', label: 'test',
    }, {});
    expect(r.status).toBe('ok');
    expect(r.stats.rejected).toBeGreaterThan(0);
    expect(Math.abs(y[0] - Math.exp(-8))).toBeLessThan(20 * 1e-8);
  });
});
