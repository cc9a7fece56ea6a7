/**
 * The driver loop of the Dormand–Prince stepper (dopri5.ts) under a step-size controller and an
 * error norm (stepControl.ts): integrate y' = f(t, y) in place through requested times, calling
 * back at each requested time and after each accepted step. The solution carries its status and
 * statistics; numerical failures (NaN, step underflow, step budget) are returned, never thrown.
 * Used by the trainer's gradient flow (finite/trainDopri5.ts) and the mean-field particle flow
 * (limits/meanfield/steppers.ts). theory/numerics.md#one-dormand-prince-stepper.
 *
 * Requested times are reached exactly (the controller shortens the step that would pass one), so
 * saved states are integrator states, not interpolants.
 */
import {
  DOPRI5_EVALS_PER_STEP, type Dopri5Rhs, type Dopri5Sums, createDopri5Work, dopri5Fsal, dopri5Step,
} from './dopri5.js';
import type { Outcome } from './errors.js';
import type { ErrorNorm, StepController } from './stepControl.js';

export interface Dopri5SolveOptions {
  controller: StepController;
  norm: ErrorNorm;
  /** Summation order of the stage combinations (dopri5.ts). */
  sums: Dopri5Sums;
  /** Attempted steps before giving up with 'not-converged'. */
  maxSteps: number;
  /**
   * `eager`: evaluate f(t0, y0) and start the controller before anything else (even when no step
   * is needed); `lazy`: only before the first step, after the saves at t0.
   */
  firstEvaluation: 'eager' | 'lazy';
  /** Prefix of failure messages. */
  label: string;
}

/** Callbacks; each may return an Outcome to end the solve (y is then the state it saw). */
export interface Dopri5Hooks<R> {
  /** y is the state at times[i] = t (do not keep it: it is the solver's). */
  onSave?(i: number, t: number, y: Float64Array): Outcome | null;
  /** After an accepted step: y at time t, `value` what f returned at (t, y). */
  onAccept?(t: number, value: R, y: Float64Array): Outcome | null;
  /** A step of size h from t was rejected with error err; y1 is its rejected 5th-order result. */
  onReject?(t: number, h: number, err: number, y1: Float64Array): Outcome | null;
}

export interface Dopri5Stats {
  accepted: number;
  rejected: number;
  /** Evaluations of f. */
  evaluations: number;
  /** Smallest and largest accepted step (Infinity and 0 when none). */
  hMin: number;
  hMax: number;
}

export interface Dopri5Solution extends Outcome {
  /** Time reached (y is the state there). */
  t: number;
  /** Requested times reached and passed to onSave. */
  saved: number;
  stats: Dopri5Stats;
}

/**
 * Integrate y' = f(t, y) from t0, `y` updated in place, through the non-decreasing `times`
 * (each ≥ t0; a time equal to the time reached is saved without a step).
 */
export function solveDopri5<R>(
  f: Dopri5Rhs<R>, y: Float64Array, t0: number, times: readonly number[], o: Dopri5SolveOptions, hooks: Dopri5Hooks<R>,
): Dopri5Solution {
  const w = createDopri5Work(y.length);
  const ctl = o.controller;
  const stats: Dopri5Stats = { accepted: 0, rejected: 0, evaluations: 0, hMin: Infinity, hMax: 0 };
  const tEnd = times.length ? times[times.length - 1] : t0;
  let t = t0, saved = 0, started = false;
  const done = (outcome: Outcome): Dopri5Solution => ({ status: outcome.status, message: outcome.message, t, saved, stats });
  const begin = () => {
    f(t, y, w.k1);
    stats.evaluations += 1 + ctl.start(f, t, y, w.k1, tEnd);
    started = true;
  };
  if (o.firstEvaluation === 'eager') begin();
  for (let si = 0; si < times.length; si++) {
    const target = times[si];
    while (t < target) {
      if (!started) begin();
      if (stats.accepted + stats.rejected >= o.maxSteps) {
        return done({ status: 'not-converged', message: `${o.label}: ${o.maxSteps} steps reached at time ${t.toPrecision(6)} before ${tEnd}` });
      }
      const h = ctl.propose(t, target);
      const refused = ctl.admit(t, h);
      if (refused) return done(refused);
      const value = dopri5Step(f, t, y, h, w, o.sums);
      stats.evaluations += DOPRI5_EVALS_PER_STEP;
      const err = o.norm(y, w.y1, w.err);
      if (!(err <= 1)) {
        const stop = hooks.onReject?.(t, h, err, w.y1) ?? null;
        if (stop) return done(stop);
        stats.rejected++;
        const fail = ctl.reject(err, t);
        if (fail) return done(fail);
        continue;
      }
      stats.accepted++;
      stats.hMin = Math.min(stats.hMin, h);
      stats.hMax = Math.max(stats.hMax, h);
      t = ctl.landing ? target : t + h;
      y.set(w.y1);
      dopri5Fsal(w);
      const stop = hooks.onAccept?.(t, value, y) ?? null;
      if (stop) return done(stop);
      ctl.accept(err);
    }
    const stop = hooks.onSave?.(si, t, y) ?? null;
    saved = si + 1;
    if (stop) return done(stop);
  }
  return done({ status: 'ok', message: '' });
}
