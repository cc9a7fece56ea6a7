/**
 * odex as one more solver of {@link solve} (solve.ts): Hairer & Wanner's ODEX, Gragg–Bulirsch–Stoer
 * extrapolation of the explicit midpoint rule, adaptive in step and order (Hairer, Nørsett &
 * Wanner, "Solving ODEs I", §II.9), behind an adapter (theory/numerics.md#ode).
 *
 * Saving strategy: the integration is done piecewise, one odex `solve` per interval
 * [t_i, t_{i+1}] of the save times, each restarted from the state reached with the step size
 * carried over. Values at the requested times are therefore integrator states, not interpolants,
 * and cost O(n) each. (odex's dense output would avoid the restarts, but its interpolant looks
 * each component up by a linear scan, O(n²) per output time for n states, and requires the step
 * sequence 4.)
 */
import { createRequire } from 'node:module';
import type { Outcome, Status } from '../errors.js';
import type { OdeRhs } from './rkStep.js';
import type { Odex, SaveAt, Solution, SolveOptions, SolveStats } from './solve.js';

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
const odexLib = createRequire(import.meta.url)('odex') as {
  Solver: new (n: number) => OdexSolver;
  Outcome: { Converged: number; MaxStepsExceeded: number; EarlyReturn: number };
};

/**
 * The odex path of solve(): states at saveAt.ts from y(t0) = y0. status: 'ok'; 'nan' (a non-finite
 * state or derivative); 'not-converged' (step budget exhausted, or the step size fell below the
 * resolution of t, as at a blow-up); 'failed' (odex threw).
 */
export function odexSolve<R>(
  rhs: OdeRhs<R>, solver: Odex, t0: number, y0: Float64Array, saveAt: SaveAt, o: SolveOptions<R>,
): Solution {
  const n = y0.length;
  const stats = { accepted: 0, rejected: 0, evaluations: 0, hMin: Infinity, hMax: 0 };
  const out: Solution = { status: 'ok', message: '', ts: [], ys: [], t: t0, y: o.inPlace ? y0 : Float64Array.from(y0), stats };
  const keep = saveAt.states ?? true;
  const bad = firstBad(y0);
  if (bad >= 0) return fail(out, 'nan', `initial state has a non-finite entry at index ${bad}`);
  const save = (i: number, t: number, y: ArrayLike<number>): Outcome | null => {
    out.t = t;
    out.y.set(y);
    out.ts.push(t);
    if (keep) out.ys.push(Float64Array.from(y));
    return saveAt.fn?.(i, t, out.y) ?? null;
  };
  const times = saveAt.ts;
  if (n === 0) {
    for (let i = 0; i < times.length; i++) {
      const stop = save(i, times[i], out.y);
      if (stop) return fail(out, stop.status, stop.message);
    }
    return out;
  }

  const rf = odexRhs(rhs, n);

  const ox = new odexLib.Solver(n);
  ox.relativeTolerance = solver.rtol;
  ox.absoluteTolerance = solver.atol;
  const maxSteps = o.maxSteps ?? 100_000;
  let h = solver.initialStep ?? 1e-4;
  let y: number[] = Array.from(y0);
  let attempted = 0;

  for (let seg = 0; seg < times.length; seg++) {
    const ta = seg === 0 ? t0 : times[seg - 1];
    const tb = times[seg];
    if (tb === ta) {
      const stop = save(seg, tb, y);
      if (stop) return fail(out, stop.status, stop.message);
      continue;
    }
    const budget = maxSteps - attempted;
    if (budget <= 1) {
      return fail(out, 'not-converged', `step budget of ${maxSteps} exhausted at t = ${ta}`);
    }
    ox.maxSteps = budget;
    ox.initialStepSize = h;
    const obs = observer(stats);
    rf.nonFinite = -1;
    let res;
    try {
      res = ox.solve(rf.f, ta, y, tb, obs.observe);
    } catch (e) {
      return fail(out, 'failed', `odex failed on [${ta}, ${tb}]: ${(e as Error).message}`);
    }
    stats.evaluations += res.nEval;
    attempted += res.nStep;
    stats.accepted += res.nAccept;
    stats.rejected += res.nReject;
    if (obs.problem !== null) return fail(out, obs.problem.status, obs.problem.message);
    if (res.outcome === odexLib.Outcome.MaxStepsExceeded) {
      return fail(out, 'not-converged', `step budget of ${maxSteps} exhausted between t = ${ta} and ${tb}`);
    }
    const b = firstBad(res.y);
    if (b >= 0) {
      const why = rf.nonFinite >= 0 ? ` (derivative component ${rf.nonFinite} was non-finite)` : '';
      return fail(out, 'nan', `state became non-finite (index ${b}) before t = ${tb}${why}`);
    }
    y = res.y;
    const stop = save(seg, tb, y);
    if (stop) return fail(out, stop.status, stop.message);
    // Carry the step size over: the last step was cut to land on tb, so take the larger of the
    // last two (odex raises it again if it can).
    const carried = Math.max(Math.abs(obs.lastStep), Math.abs(obs.prevStep));
    if (carried > 0) h = carried;
  }
  return out;
}

/**
 * The right-hand side in odex's form f(x, y: number[]) → number[]; odex copies the returned array
 * at once, so one buffer is reused. `nonFinite`: the first component whose derivative was not
 * finite at a finite state (−1 when none), reset by the caller per segment.
 */
function odexRhs<R>(rhs: OdeRhs<R>, n: number): { f: (t: number, y: number[]) => number[]; nonFinite: number } {
  const yBuf = new Float64Array(n);
  const dyBuf = new Float64Array(n);
  const dyArr: number[] = new Array<number>(n).fill(0);
  const r = {
    nonFinite: -1,
    f: (t: number, y: number[]): number[] => {
      for (let i = 0; i < n; i++) yBuf[i] = y[i];
      rhs(t, yBuf, dyBuf);
      for (let i = 0; i < n; i++) {
        const v = dyBuf[i];
        if (v - v !== 0 && r.nonFinite < 0 && Number.isFinite(y[i])) r.nonFinite = i;
        dyArr[i] = v;
      }
      return dyArr;
    },
  };
  return r;
}

/**
 * odex's per-step callback for one segment: step statistics, the last two step lengths (the last
 * may be cut short by the segment's end), and the problem that stopped the segment, if any.
 */
function observer(stats: SolveStats) {
  const o = {
    lastStep: 0,
    prevStep: 0,
    problem: null as { status: Status; message: string } | null,
    observe: (nr: number, xOld: number, x: number, ys: number[]): boolean => {
      if (nr === 1) return true; // odex's call for the initial state
      const step = x - xOld;
      o.prevStep = o.lastStep;
      o.lastStep = step;
      stats.hMin = Math.min(stats.hMin, step);
      stats.hMax = Math.max(stats.hMax, step);
      const b = firstBad(ys);
      if (b >= 0) {
        o.problem = { status: 'nan', message: `state became non-finite (index ${b}) at t = ${x}` };
        return false;
      }
      // A step at the resolution of t (x + h rounds to x) cannot make progress: a blow-up.
      if (Math.abs(step) <= 2 * Number.EPSILON * Math.max(Math.abs(x), Math.abs(xOld))) {
        o.problem = { status: 'not-converged', message: `step size ${step} too small at t = ${x} (singularity?)` };
        return false;
      }
      return true;
    },
  };
  return o;
}

function fail(out: Solution, status: Status, message: string): Solution {
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
