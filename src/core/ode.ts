/**
 * The one adapter over the odex ODE solver (Hairer & Wanner's ODEX: Gragg–Bulirsch–Stoer
 * extrapolation of the explicit midpoint rule, adaptive in step and order; Hairer, Nørsett &
 * Wanner, "Solving ODEs I", §II.9). Every right-hand side in widelimit (kernel ODE, particle flow,
 * deep-linear recursion) goes through {@link integrate} (theory/numerics.md#ode).
 *
 * Saving strategy: the integration is done piecewise, one odex `solve` per interval
 * [times[i], times[i+1]], each restarted from the state reached with the step size carried over.
 * Values at the requested times are therefore integrator states, not interpolants, and cost O(n)
 * each. (odex's dense output would avoid the restarts, but its interpolant looks each component
 * up by a linear scan, O(n²) per output time for n states, and requires the step sequence 4.)
 */
import { createRequire } from 'node:module';
import type { Status } from './errors.js';

/**
 * The part of odex 2.0.4's API used here. odex ships its TypeScript source but no declarations,
 * and that source does not compile under `strict`; loading it through `require` keeps it out of
 * the type-checked program.
 */
interface OdexSolver {
  maxSteps: number;
  initialStepSize: number;
  relativeTolerance: number | number[];
  absoluteTolerance: number | number[];
  solve(
    f: (x: number, y: number[]) => number[],
    x0: number,
    y0: number[],
    x1: number,
    solOut?: (nr: number, xOld: number, x: number, y: number[]) => boolean | void,
  ): { y: number[]; outcome: number; nStep: number; nAccept: number; nReject: number; nEval: number };
}
const odex = createRequire(import.meta.url)('odex') as {
  Solver: new (n: number) => OdexSolver;
  Outcome: { Converged: number; MaxStepsExceeded: number; EarlyReturn: number };
};

/** Right-hand side: write y'(t) into `dy` (length n). `y` must not be modified or kept. */
export type OdeRhs = (t: number, y: Float64Array, dy: Float64Array) => void;

export interface OdeOptions {
  /** Relative tolerance (default 1e-8). */
  rtol?: number;
  /** Absolute tolerance (default 1e-10). */
  atol?: number;
  /** Maximum number of steps over the whole integration (default 100 000). */
  maxSteps?: number;
  /**
   * First trial step (default 1e-4). odex raises it to at least 1e-4 and caps it at half the
   * interval; later intervals start from the step length reached.
   */
  initialStep?: number;
}

export interface OdeStats {
  /** Right-hand side evaluations. */
  nEval: number;
  /** Steps attempted. */
  nStep: number;
  nAccept: number;
  nReject: number;
}

/**
 * `ys[i]` is the state at `times[i]` (a copy); on failure only the times reached are listed.
 * status: 'ok'; 'nan' (a non-finite state or derivative); 'not-converged' (step budget exhausted,
 * or the step size fell below the resolution of t, as at a blow-up).
 */
export interface OdeSolution {
  status: Status;
  message: string;
  times: number[];
  ys: Float64Array[];
  stats: OdeStats;
}

/**
 * Integrate y' = rhs(t, y) from y(times[0]) = y0, saving y at every entry of `times` (finite,
 * non-decreasing; a repeated time repeats the state). Never throws on numerical failure: the
 * status says what happened and the states reached so far are returned.
 */
export function integrate(
  rhs: OdeRhs,
  y0: Float64Array,
  times: ArrayLike<number>,
  opts: OdeOptions = {},
): OdeSolution {
  checkTimes(times);
  const n = y0.length;
  const stats: OdeStats = { nEval: 0, nStep: 0, nAccept: 0, nReject: 0 };
  const out: OdeSolution = { status: 'ok', message: '', times: [], ys: [], stats };
  if (times.length === 0) return out;
  const bad = firstBad(y0);
  if (bad >= 0) return fail(out, 'nan', `initial state has a non-finite entry at index ${bad}`);
  out.times.push(times[0]);
  out.ys.push(Float64Array.from(y0));
  if (n === 0) {
    for (let i = 1; i < times.length; i++) { out.times.push(times[i]); out.ys.push(new Float64Array(0)); }
    return out;
  }

  const yBuf = new Float64Array(n);
  const dyBuf = new Float64Array(n);
  const dyArr: number[] = new Array<number>(n).fill(0);
  let nonFiniteDerivative = -1;
  // odex calls f(x, y: number[]) and copies the returned array at once, so one buffer is reused.
  const f = (t: number, y: number[]): number[] => {
    for (let i = 0; i < n; i++) yBuf[i] = y[i];
    rhs(t, yBuf, dyBuf);
    for (let i = 0; i < n; i++) {
      const v = dyBuf[i];
      if (v - v !== 0 && nonFiniteDerivative < 0 && Number.isFinite(y[i])) nonFiniteDerivative = i;
      dyArr[i] = v;
    }
    return dyArr;
  };

  const solver = new odex.Solver(n);
  solver.relativeTolerance = opts.rtol ?? 1e-8;
  solver.absoluteTolerance = opts.atol ?? 1e-10;
  const maxSteps = opts.maxSteps ?? 100_000;
  let h = opts.initialStep ?? 1e-4;
  let y: number[] = Array.from(y0);

  for (let seg = 1; seg < times.length; seg++) {
    const t0 = times[seg - 1];
    const t1 = times[seg];
    if (t1 === t0) {
      out.times.push(t1);
      out.ys.push(Float64Array.from(y));
      continue;
    }
    const budget = maxSteps - stats.nStep;
    if (budget <= 1) {
      return fail(out, 'not-converged', `step budget of ${maxSteps} exhausted at t = ${t0}`);
    }
    solver.maxSteps = budget;
    solver.initialStepSize = h;
    let lastStep = 0; // length of the last accepted step that was not cut short by t1
    let prevStep = 0;
    let problem: { status: Status; message: string } | null = null;
    const observe = (nr: number, xOld: number, x: number, ys: number[]): boolean => {
      if (nr === 1) return true; // odex's call for the initial state
      const step = x - xOld;
      prevStep = lastStep;
      lastStep = step;
      const b = firstBad(ys);
      if (b >= 0) {
        problem = { status: 'nan', message: `state became non-finite (index ${b}) at t = ${x}` };
        return false;
      }
      // A step at the resolution of t (x + h rounds to x) cannot make progress: a blow-up.
      if (Math.abs(step) <= 2 * Number.EPSILON * Math.max(Math.abs(x), Math.abs(xOld))) {
        problem = { status: 'not-converged', message: `step size ${step} too small at t = ${x} (singularity?)` };
        return false;
      }
      return true;
    };
    nonFiniteDerivative = -1;
    let res;
    try {
      res = solver.solve(f, t0, y, t1, observe);
    } catch (e) {
      return fail(out, 'failed', `odex failed on [${t0}, ${t1}]: ${(e as Error).message}`);
    }
    stats.nEval += res.nEval;
    stats.nStep += res.nStep;
    stats.nAccept += res.nAccept;
    stats.nReject += res.nReject;
    if (problem !== null) {
      const p = problem as { status: Status; message: string };
      return fail(out, p.status, p.message);
    }
    if (res.outcome === odex.Outcome.MaxStepsExceeded) {
      return fail(out, 'not-converged', `step budget of ${maxSteps} exhausted between t = ${t0} and ${t1}`);
    }
    const b = firstBad(res.y);
    if (b >= 0) {
      const why = nonFiniteDerivative >= 0 ? ` (derivative component ${nonFiniteDerivative} was non-finite)` : '';
      return fail(out, 'nan', `state became non-finite (index ${b}) before t = ${t1}${why}`);
    }
    y = res.y;
    out.times.push(t1);
    out.ys.push(Float64Array.from(y));
    // Carry the step size over: the last step was cut to land on t1, so take the larger of the
    // last two (odex raises it again if it can).
    const carried = Math.max(Math.abs(lastStep), Math.abs(prevStep));
    if (carried > 0) h = carried;
  }
  return out;
}

function fail(out: OdeSolution, status: Status, message: string): OdeSolution {
  out.status = status;
  out.message = message;
  return out;
}

function firstBad(a: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v - v !== 0) return i; // NaN or ±Infinity
  }
  return -1;
}

function checkTimes(times: ArrayLike<number>): void {
  for (let i = 0; i < times.length; i++) {
    if (!Number.isFinite(times[i])) throw new RangeError(`integrate: times[${i}] = ${times[i]} is not finite`);
    if (i > 0 && times[i] < times[i - 1]) {
      throw new RangeError(`integrate: times must be non-decreasing, times[${i}] = ${times[i]} < ${times[i - 1]}`);
    }
  }
}
