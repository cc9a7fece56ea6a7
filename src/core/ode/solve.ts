/**
 * The one ODE interface of widelimit, after diffrax's `diffeqsolve`: `solve(term, solver, t0, y0,
 * saveAt, controller, options)` integrates y' = term(t, y) and returns a {@link Solution} with
 * the saved states, its status and statistics. Solvers are data: an explicit Runge–Kutta
 * tableau (tableau.ts: Euler, RK4, Dormand–Prince 5(4)) stepped under a step-size controller
 * (adaptive.ts, fixedStep.ts), or odex (odex.ts, its own step and order control).
 * Numerical failures (NaN, step underflow, step budget) are returned, never thrown.
 * theory/numerics.md#ode-interface.
 *
 * Requested times are reached exactly (the controller shortens the step that would pass one), so
 * saved states are integrator states, not interpolants.
 */
import type { Outcome } from '../errors.js';
import type { StepController } from './adaptive.js';
import { odexSolve } from './odex.js';
import { type OdeRhs, createRkWork, rkAdvance, rkStep } from './rkStep.js';
import { type ButcherTableau, DOPRI5, EULER, RK4 } from './tableau.js';

/** An explicit Runge–Kutta method. */
export interface RungeKutta { readonly kind: 'rk'; readonly tableau: ButcherTableau }
/** odex (Gragg–Bulirsch–Stoer extrapolation), with its own tolerances and first trial step. */
export interface Odex { readonly kind: 'odex'; readonly rtol: number; readonly atol: number; readonly initialStep?: number }
export type Solver = RungeKutta | Odex;

export const Euler: RungeKutta = Object.freeze({ kind: 'rk', tableau: EULER });
export const Rk4: RungeKutta = Object.freeze({ kind: 'rk', tableau: RK4 });
export const Dopri5: RungeKutta = Object.freeze({ kind: 'rk', tableau: DOPRI5 });
export const odex = (o: { rtol?: number; atol?: number; initialStep?: number } = {}): Odex =>
  ({ kind: 'odex', rtol: o.rtol ?? 1e-8, atol: o.atol ?? 1e-10, initialStep: o.initialStep });

/** What is saved: the states at `ts` (non-decreasing, each ≥ t0) as copies, and/or a callback. */
export interface SaveAt {
  ts: readonly number[];
  /** Keep a copy of the state at each of `ts` in `Solution.ys` (default true). */
  states?: boolean;
  /** Called at each of `ts` with the state there (do not keep y); may end the solve. */
  fn?(i: number, t: number, y: Float64Array): Outcome | null | void;
}

export interface SolveOptions<R> {
  /** Attempted steps before giving up with 'not-converged' (default 100 000). */
  maxSteps?: number;
  /** Prefix of failure messages. */
  label?: string;
  /** Integrate in y0 itself instead of a copy (large states: the trainer's parameters). */
  inPlace?: boolean;
  /** After an accepted step: y at time t, `value` what the term returned at (t, y). May end the solve. */
  onAccept?(t: number, value: R, y: Float64Array): Outcome | null;
  /** A step of size h from t was rejected with error err; y1 is its rejected result. May end the solve. */
  onReject?(t: number, h: number, err: number, y1: Float64Array): Outcome | null;
}

export interface SolveStats {
  accepted: number;
  rejected: number;
  /** Evaluations of the term. */
  evaluations: number;
  /** Smallest and largest accepted step (Infinity and 0 when none). */
  hMin: number;
  hMax: number;
}

export interface Solution extends Outcome {
  /** Requested times reached (a prefix of saveAt.ts) and, when saveAt.states, the states there. */
  ts: number[];
  ys: Float64Array[];
  /** Time reached and the state there. */
  t: number;
  y: Float64Array;
  stats: SolveStats;
}

/**
 * Integrate y' = term(t, y) from y(t0) = y0 through saveAt.ts. An RK solver needs a controller
 * (an adaptive one only with an embedded pair); odex takes none.
 */
export function solve<R>(
  term: OdeRhs<R>, solver: Solver, t0: number, y0: Float64Array, saveAt: SaveAt,
  controller: StepController | null, options: SolveOptions<R> = {},
): Solution {
  checkTimes(t0, saveAt.ts);
  if (solver.kind === 'odex') {
    if (controller) throw new RangeError('solve: odex controls its own steps; pass controller null');
    return odexSolve(term, solver, t0, y0, saveAt, options);
  }
  if (!controller) throw new RangeError(`solve: ${solver.tableau.name} needs a step-size controller`);
  if (controller.adaptive && !solver.tableau.e) {
    throw new RangeError(`solve: ${solver.tableau.name} has no error estimate for an adaptive controller`);
  }
  return rkSolve(term, solver.tableau, t0, y0, saveAt, controller, options);
}

function rkSolve<R>(
  f: OdeRhs<R>, tableau: ButcherTableau, t0: number, y0: Float64Array, saveAt: SaveAt, ctl: StepController, o: SolveOptions<R>,
): Solution {
  const y = o.inPlace ? y0 : Float64Array.from(y0);
  const w = createRkWork(tableau, y.length);
  const times = saveAt.ts, keep = saveAt.states ?? true;
  const maxSteps = o.maxSteps ?? 100_000, label = o.label ?? tableau.name;
  const stats: SolveStats = { accepted: 0, rejected: 0, evaluations: 0, hMin: Infinity, hMax: 0 };
  const out: Solution = { status: 'ok', message: '', ts: [], ys: [], t: t0, y, stats };
  const done = (r: Outcome): Solution => Object.assign(out, { status: r.status, message: r.message });
  f(t0, y, w.k[0]);
  stats.evaluations += 1 + ctl.start(f, t0, y, w.k[0], times.length ? times[times.length - 1] : t0);
  for (let si = 0; si < times.length; si++) {
    const target = times[si];
    while (out.t < target) {
      const t = out.t;
      if (stats.accepted + stats.rejected >= maxSteps) {
        return done({ status: 'not-converged', message: `${label}: ${maxSteps} steps reached at time ${t.toPrecision(6)} before ${times[times.length - 1]}` });
      }
      const h = ctl.propose(t, target, y);
      const refused = ctl.admit(t, h);
      if (refused) return done(refused);
      const value = rkStep(f, t, y, h, w);
      stats.evaluations += tableau.b.length;
      const err = ctl.adaptive ? ctl.error(y, w.y1, w.err) : 0;
      if (!(err <= 1)) {
        const stop = o.onReject?.(t, h, err, w.y1) ?? null;
        if (stop) return done(stop);
        stats.rejected++;
        const fail = ctl.reject(err, t);
        if (fail) return done(fail);
        continue;
      }
      stats.accepted++;
      stats.hMin = Math.min(stats.hMin, h);
      stats.hMax = Math.max(stats.hMax, h);
      out.t = ctl.landing ? target : t + h;
      y.set(w.y1);
      rkAdvance(w);
      const stop = o.onAccept?.(out.t, value, y) ?? null;
      if (stop) return done(stop);
      ctl.accept(err);
    }
    out.ts.push(out.t);
    if (keep) out.ys.push(Float64Array.from(y));
    const stop = saveAt.fn?.(si, out.t, y) ?? null;
    if (stop) return done(stop);
  }
  return out;
}

function checkTimes(t0: number, times: readonly number[]): void {
  if (!Number.isFinite(t0)) throw new RangeError(`solve: t0 = ${t0} is not finite`);
  for (let i = 0; i < times.length; i++) {
    if (Number.isNaN(times[i]) || times[i] < (i > 0 ? times[i - 1] : t0)) {
      throw new RangeError(`solve: save times must be non-decreasing from t0 = ${t0}, got ts[${i}] = ${times[i]}`);
    }
  }
}
