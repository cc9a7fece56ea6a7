/**
 * Time integration of the particle flow: the method and its step control, apart from the vector
 * field (field.ts) and from what is saved (a callback at the requested times).
 *
 * - `euler`: y ← y + dt · v(t, y), fixed dt. With dt = the trainer's η (in mean-field time) this is
 *   exactly one gradient-descent step of the finite network (theory/meanfield.md#trainer-map); with
 *   the online risk it is online SGD. Order 1.
 * - `dopri5`: Dormand–Prince 5(4) (Dormand, Prince 1980; Hairer, Nørsett, Wanner, "Solving ODEs I",
 *   §II.4–II.5), FSAL, error of the embedded 4th-order solution in the RMS norm scaled by
 *   atol + rtol·max(|y|, |y_new|), Hairer's step factor 0.9·err^{−0.17}·err_old^{0.04} clipped to
 *   [0.2, 5], steps clipped to land on every requested time. Chosen over the odex (Gragg–Bulirsch–Stoer) adapter because the
 *   particle field costs O(m² d) (population) or O(n m d) (data) per evaluation, GBS spends tens
 *   of evaluations per step, and the field is only C¹ (ReLU population risk at collinear
 *   particles) or piecewise smooth (ReLU on data), where high extrapolation orders gain nothing.
 *
 * Failures are returned, never thrown: `nan` / `diverged` when the state stops being finite,
 * `not-converged` when `maxSteps` is exhausted, `failed` when the step size underflows.
 */
import type { Outcome } from '../../core/errors.js';
import { type ErrorNorm as StepErrorNorm, PIController, rmsNorm } from '../../core/ode/adaptive.js';
import { ConstantStep, constantStepCounts } from '../../core/ode/fixedStep.js';
import { Dopri5, Euler, type Solution, solve } from '../../core/ode/solve.js';

export type Scheme =
  | { kind: 'euler'; dt: number }
  | { kind: 'dopri5'; rtol: number; atol: number; maxSteps?: number; h0?: number; norm?: ErrorNorm };

/**
 * A scaled error norm for dopri5: given the 5th-order step result y5 and the embedded 4th-order
 * one y4 (and the state y before the step), return err with err ≤ 1 meaning "accept". Default:
 * RMS over the state of (y5 − y4)/(atol + rtol·max(|y|, |y5|)). The particle flow on data uses a
 * weak norm instead (the same on the network's outputs; flow.ts).
 */
export type ErrorNorm = (y5: Float64Array, y4: Float64Array, y: Float64Array) => number;

/** dy ← v(t, y); may return a value (ignored here). */
export type VectorField = (t: number, y: Float64Array, dy: Float64Array) => unknown;

/** Called at each requested time with the state there (do not keep `y`: it is reused). */
export type SaveFn = (k: number, t: number, y: Float64Array) => void;

export interface StepStats {
  /** Accepted steps. */
  steps: number;
  rejected: number;
  /** Vector-field evaluations. */
  evaluations: number;
}

export interface Integration extends Outcome {
  /** Number of requested times reached (and saved). */
  saved: number;
  /** Final state (at the last saved time). */
  y: Float64Array;
  stats: StepStats;
}

/**
 * Integrate y' = v(t, y) from y0 at times[0] through `times` (non-decreasing), calling `save` at
 * each. `y0` is not modified. `progress` receives the fraction of the time span done.
 */
export function integrate(
  v: VectorField, y0: Float64Array, times: readonly number[], scheme: Scheme, save: SaveFn,
  progress?: (fraction: number) => void,
): Integration {
  for (let k = 1; k < times.length; k++) {
    if (!(times[k] >= times[k - 1])) throw new RangeError(`integrate: times must be non-decreasing, got ${times[k - 1]} then ${times[k]}`);
  }
  if (scheme.kind === 'euler') eulerStepCounts(times, scheme.dt);
  return run(v, y0, times, scheme, save, progress);
}

/** 'ok', or 'nan' / 'diverged' when y has a NaN / an infinite entry. */
function health(y: Float64Array, t: number): Outcome | null {
  for (let i = 0; i < y.length; i++) {
    const x = y[i];
    if (x - x !== 0) {
      return Number.isNaN(x)
        ? { status: 'nan', message: `the particle state became NaN at time ${t.toPrecision(6)}` }
        : { status: 'diverged', message: `the particle state became infinite at time ${t.toPrecision(6)}` };
    }
  }
  return null;
}

/** Step counts of the requested times for a fixed step dt (each must be a multiple of dt). */
export function eulerStepCounts(times: readonly number[], dt: number): number[] {
  if (!(dt > 0) || !Number.isFinite(dt)) throw new RangeError(`euler: dt must be > 0, got ${dt}`);
  try {
    return constantStepCounts(times[0] ?? 0, times, dt);
  } catch (e) {
    throw new RangeError(`euler: ${(e as Error).message.replace(/^constant step: /, '')}`);
  }
}

/** Both schemes on the one ODE interface (core/ode/solve.ts); the state is checked after every step. */
function run(
  v: VectorField, y0: Float64Array, times: readonly number[], s: Scheme, save: SaveFn, progress?: (f: number) => void,
): Integration {
  if (times.length === 0) return { status: 'ok', message: '', saved: 0, y: y0.slice(), stats: { steps: 0, rejected: 0, evaluations: 0 } };
  const t0 = times[0], tEnd = times[times.length - 1];
  const label = s.kind;
  const every = s.kind === 'euler' ? 16 : 1;
  let accepted = 0;
  const r: Solution = solve(v, s.kind === 'euler' ? Euler : Dopri5, t0, y0, { ts: times, states: false, fn: (k, t, x) => { save(k, t, x); } },
    s.kind === 'euler' ? new ConstantStep(s.dt) : dopri5Controller(s, y0.length),
    {
      maxSteps: s.kind === 'euler' ? Infinity : s.maxSteps ?? 100000,
      label,
      onAccept: (t, _value, x) => {
        const bad = health(x, t);
        if (!bad && progress && tEnd > t0 && ++accepted % every === 0) progress((t - t0) / (tEnd - t0));
        return bad;
      },
      onReject: (t, h, err, y5) => Number.isNaN(err)
        ? health(y5, t + h) ?? { status: 'nan', message: `${label}: NaN error estimate at time ${t.toPrecision(6)}` }
        : null,
    });
  return { status: r.status, message: r.message, saved: r.ts.length, y: r.y, stats: { steps: r.stats.accepted, rejected: r.stats.rejected, evaluations: r.stats.evaluations } };
}

/**
 * Hairer's PI controller with his starting step (core/ode/adaptive.ts), the RMS norm or `s.norm`
 * (given the embedded 4th-order solution y4 = y5 − err).
 */
function dopri5Controller(s: Scheme & { kind: 'dopri5' }, N: number): PIController {
  let norm: StepErrorNorm = rmsNorm(s.atol, s.rtol);
  if (s.norm) {
    const custom = s.norm;
    const y4 = new Float64Array(N);
    norm = (yOld, y5, err) => {
      for (let i = 0; i < N; i++) y4[i] = y5[i] - err[i];
      return custom(y5, y4, yOld);
    };
  }
  return new PIController({ rtol: s.rtol, atol: s.atol, h0: s.h0, label: 'dopri5', norm });
}
