/**
 * Dormand–Prince 5(4) for the gradient-flow trainer: the project's one ODE interface
 * (src/core/ode/solve.ts) with the Dormand–Prince tableau, the trainer's integral controller and
 * RMS norm, on a flat Float64Array state updated in place; written for state vectors of millions
 * of entries (work vectors allocated once, no allocation per step).
 *
 * Step control (core/ode/adaptive.ts, IController): err = RMS_i(ê_i / (atol + rtol·max(|y_i|,
 * |y_new_i|))), accept when err ≤ 1, next h = h · clamp(0.9 err^{−1/5}, 0.2, 5) (no growth right
 * after a rejection). Steps are shortened to land exactly on each save time, so saved states are
 * not interpolated. See theory/finite.md#gradient-flow.
 */
import type { Outcome } from '../core/errors.js';
import { IController } from '../core/ode/adaptive.js';
import { Dopri5, type SolveStats, solve } from '../core/ode/solve.js';

export type { SolveStats as Dopri5Stats } from '../core/ode/solve.js';

export interface OdeSystem {
  /** dy ← F(y). Returns a monitor value at y (the trainer's loss), passed to `onAccept`. */
  rhs(y: Float64Array, dy: Float64Array): number;
}

export interface Dopri5Options {
  rtol: number;
  atol: number;
  /** First trial step. */
  h0: number;
  /** Give up (not-converged) after this many attempted steps (default 1e6). */
  maxSteps?: number;
}

export interface Dopri5Hooks {
  /** y is the state at saveTimes[i]; return an Outcome to stop. */
  onSave(i: number, t: number): Outcome | null;
  /** After each accepted step (y at time t, `monitor` from rhs at y); return an Outcome to stop. */
  onAccept(t: number, monitor: number): Outcome | null;
}

/**
 * Integrate dy/dt = F(y) from t0, state `y` updated in place, through the increasing
 * `saveTimes` (all > t0 or equal to it). Returns the outcome, the time reached and statistics.
 */
export function dopri5(
  sys: OdeSystem, y: Float64Array, t0: number, saveTimes: readonly number[], o: Dopri5Options, hooks: Dopri5Hooks,
): { outcome: Outcome; t: number; stats: SolveStats } {
  const label = 'gradient flow';
  const r = solve((_t, x, dx) => sys.rhs(x, dx), Dopri5, t0, y, { ts: saveTimes, states: false, fn: (i, t) => hooks.onSave(i, t) },
    new IController({ rtol: o.rtol, atol: o.atol, h0: o.h0, label }),
    { maxSteps: o.maxSteps ?? 1e6, label, inPlace: true, onAccept: (t, monitor) => hooks.onAccept(t, monitor) });
  return { outcome: { status: r.status, message: r.message }, t: r.t, stats: r.stats };
}
