import { describe, expect, it } from 'vitest';
import { fitLine } from '../../../src/core/fit.js';
import { IController, PIController, type StepController } from '../../../src/core/ode/adaptive.js';
import { ConstantStep, StateStep } from '../../../src/core/ode/fixedStep.js';
import { type OdeRhs, createRkWork, rkStep } from '../../../src/core/ode/rkStep.js';
import { Dopri5, Euler, Rk4, type RungeKutta, type Solver, odex, solve } from '../../../src/core/ode/solve.js';

/** y' = λ y (λ per component), exact y(t) = y0 e^{λ t}. */
const linear = (lambda: number[]): OdeRhs<void> => (_t, y, dy) => { for (let i = 0; i < y.length; i++) dy[i] = lambda[i] * y[i]; };
/** y' = −2 t y: exact y = y0 e^{−t²} (exercises the stage times t + c_i h). */
const gauss: OdeRhs<void> = (t, y, dy) => { dy[0] = -2 * t * y[0]; };
const cases: [OdeRhs, number[], number[]][] = [
  [linear([-1, 2, -5]), [1, 1, 1], [Math.exp(-1), Math.exp(2), Math.exp(-5)]],
  [gauss, [1], [Math.exp(-1)]],
];
const maxErr = (y: Float64Array, exact: number[]) => Math.max(...exact.map((e, i) => Math.abs(y[i] - e)));

describe('convergence order of every solver (closed-form ODEs on [0, 1])', () => {
  // Global error C h^p: the step counts keep the error far above rounding (≥ 1e-11) and in the
  // asymptotic range (measured slopes within 0.1 of p); ±0.3 allows the O(h^{p+1}) terms.
  const fixed: [RungeKutta, number, number[]][] = [[Euler, 1, [64, 128, 256, 512]], [Rk4, 4, [8, 16, 32, 64]], [Dopri5, 5, [4, 8, 16, 32]]];
  for (const [solver, p, ns] of fixed) {
    it(`${solver.tableau.name}: fitted order ${p} ± 0.3 with constant steps h = 1/n`, () => {
      for (const [f, y0, exact] of cases) {
        const errs = ns.map((n) => {
          const r = solve(f, solver, 0, Float64Array.from(y0), { ts: [1] }, new ConstantStep(1 / n));
          expect(r.status).toBe('ok');
          expect(r.stats.accepted).toBe(n);
          return maxErr(r.y, exact);
        });
        const fit = fitLine(ns.map((n) => Math.log(1 / n)), errs.map(Math.log));
        expect(fit.slope).toBeGreaterThan(p - 0.3);
        expect(fit.slope).toBeLessThan(p + 0.3);
      }
    });
  }

  it('dopri5: the error estimate is the local error of the embedded 4th-order solution (∝ h^5, ratio → 1)', () => {
    // err = y1 − ŷ1 with ŷ1 of order 4: local error C h^5; exact − ŷ1 = err + O(h^6), so their
    // ratio → 1 linearly in h (within 5 % at h = 0.025 for λ = −3)
    const lambda = -3;
    const hs = [0.2, 0.1, 0.05, 0.025];
    const w = createRkWork(Dopri5.tableau, 1);
    const errs = hs.map((h) => {
      const y = Float64Array.of(1);
      linear([lambda])(0, y, w.k[0]);
      rkStep(linear([lambda]), 0, y, h, w);
      return { err: Math.abs(w.err[0]), ratio: (Math.exp(lambda * h) - (w.y1[0] - w.err[0])) / w.err[0] };
    });
    const fit = fitLine(hs.map(Math.log), errs.map((e) => Math.log(e.err)));
    expect(fit.slope).toBeGreaterThan(4.7);
    expect(fit.slope).toBeLessThan(5.3);
    expect(Math.abs(errs[3].ratio - 1)).toBeLessThan(0.05);
    expect(Math.abs(errs[3].ratio - 1)).toBeLessThan(Math.abs(errs[0].ratio - 1));
  });

  it('odex: the global error is proportional to the tolerance (fitted slope 1 ± 0.35 over rtol 1e-4…1e-10)', () => {
    // An extrapolation code controls the local error per unit step, so the global error scales
    // like tol^1 up to the order switches of the extrapolation table (measured slopes 0.8–1.1).
    const tols = [1e-4, 1e-6, 1e-8, 1e-10];
    for (const [f, y0, exact] of cases) {
      const errs = tols.map((tol) => maxErr(solve(f, odex({ rtol: tol, atol: tol }), 0, Float64Array.from(y0), { ts: [1] }, null).y, exact));
      const fit = fitLine(tols.map(Math.log), errs.map(Math.log));
      expect(fit.slope).toBeGreaterThan(0.65);
      expect(fit.slope).toBeLessThan(1.35);
    }
  });
});

describe('one stepping rule', () => {
  it('euler with a constant step is exactly y ← y + dt·f(y), bit for bit', () => {
    const f = linear([-0.7, 1.3]);
    const dt = 0.1;
    const y = Float64Array.of(1, -2), dy = new Float64Array(2);
    for (let s = 0; s < 30; s++) { f(0, y, dy); for (let i = 0; i < 2; i++) y[i] += dt * dy[i]; }
    const r = solve(f, Euler, 0, Float64Array.of(1, -2), { ts: [1, 2, 3] }, new ConstantStep(dt));
    expect(Array.from(r.y)).toEqual(Array.from(y));
    expect(r.ts).toEqual([1, 2, 3]);
  });

  it('a state-dependent step (StateStep) lands exactly on the requested times', () => {
    const r = solve(linear([-1]), Rk4, 0, Float64Array.of(1), { ts: [0.25, 1] }, new StateStep((_t, y) => 0.1 * (1 + y[0])));
    expect(r.status).toBe('ok');
    expect(r.ts).toEqual([0.25, 1]);
    expect(Math.abs(r.ys[1][0] - Math.exp(-1))).toBeLessThan(1e-5);
  });

  it('refuses a solver without error estimate under an adaptive controller, and odex with a controller', () => {
    expect(() => solve(linear([-1]), Rk4, 0, Float64Array.of(1), { ts: [1] }, new PIController({ rtol: 1e-6, atol: 1e-6 }))).toThrow(RangeError);
    expect(() => solve(linear([-1]), odex(), 0, Float64Array.of(1), { ts: [1] }, new ConstantStep(0.1))).toThrow(RangeError);
    expect(() => solve(linear([-1]), Dopri5, 0, Float64Array.of(1), { ts: [1, 0.5] }, new ConstantStep(0.1))).toThrow(RangeError);
  });
});

describe('adaptive Dormand–Prince against closed forms', () => {
  type Ctl = 'I' | 'PI';
  const controller = (c: Ctl, tol: number): StepController =>
    c === 'I' ? new IController({ rtol: tol, atol: tol, h0: 0.1 }) : new PIController({ rtol: tol, atol: tol });
  const run = (c: Ctl, f: OdeRhs, y0: number[], ts: number[], tol: number, maxSteps = 1e5, solver: Solver = Dopri5) =>
    solve(f, solver, 0, Float64Array.from(y0), { ts }, controller(c, tol), { maxSteps });

  for (const c of ['I', 'PI'] as const) {
    it(`${c} controller: y' = λy on [0, 1] ends within 5·tol of the exact solution, and the error falls with tol`, () => {
      // Each step's local error is kept ≤ tol·(1 + |y|) (RMS); over the O(10–100) steps on [0, 1] the
      // global error of these stable/mildly growing problems stays a small multiple of tol
      // (measured ≤ 0.25·tol for both controllers); 5·tol leaves room for rounding and platforms.
      const lambdas = [-1, 2, -8];
      const exact = lambdas.map((l) => Math.exp(l));
      let prev = Infinity;
      for (const tol of [1e-4, 1e-7, 1e-10]) {
        const r = run(c, linear(lambdas), [1, 1, 1], [0, 0.5, 1], tol);
        expect(r.status).toBe('ok');
        expect(r.t).toBe(1);
        expect(r.ts).toEqual([0, 0.5, 1]);
        const err = Math.max(...exact.map((e, i) => Math.abs(r.y[i] - e) / Math.max(1, e)));
        expect(err).toBeLessThan(5 * tol);
        expect(err).toBeLessThan(prev);
        prev = err;
        expect(r.stats.evaluations).toBe(6 * (r.stats.accepted + r.stats.rejected) + 1 + (c === 'PI' ? 1 : 0));
      }
    });

    it(`${c} controller: a NaN from the field comes back as status nan with a message, never a throw`, () => {
      const r = run(c, (t, y, dy) => { dy[0] = t > 0.5 ? NaN : -y[0]; }, [1], [1], 1e-6);
      expect(r.status).toBe('nan');
      expect(r.message).toMatch(/NaN|underflow/);
      expect(r.t).toBeLessThanOrEqual(0.5);
    });

    it(`${c} controller: the step budget ends the solve as not-converged`, () => {
      const r = run(c, linear([-1]), [1], [100], 1e-10, 10);
      expect(r.status).toBe('not-converged');
      expect(r.stats.accepted + r.stats.rejected).toBe(10);
    });
  }

  it('rejects a too-long first step and recovers (I controller, h0 = 10 on y\' = −8y)', () => {
    const r = solve(linear([-8]), Dopri5, 0, Float64Array.of(1), { ts: [1] }, new IController({ rtol: 1e-8, atol: 1e-8, h0: 10 }), { maxSteps: 1e4 });
    expect(r.status).toBe('ok');
    expect(r.stats.rejected).toBeGreaterThan(0);
    expect(Math.abs(r.y[0] - Math.exp(-8))).toBeLessThan(20 * 1e-8);
  });

  it('inPlace integrates in y0 itself; otherwise y0 is untouched', () => {
    const y0 = Float64Array.of(1);
    solve(linear([-1]), Dopri5, 0, y0, { ts: [1] }, new PIController({ rtol: 1e-8, atol: 1e-8 }));
    expect(y0[0]).toBe(1);
    solve(linear([-1]), Dopri5, 0, y0, { ts: [1] }, new PIController({ rtol: 1e-8, atol: 1e-8 }), { inPlace: true });
    expect(Math.abs(y0[0] - Math.exp(-1))).toBeLessThan(1e-7);
  });
});
