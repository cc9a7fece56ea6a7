/**
 * Adaptive step-size controllers and error norms for embedded Runge–Kutta pairs (the
 * "controller" of diffrax's design: it sees t, the proposed step and the scaled error).
 * theory/numerics.md#ode-interface. The fixed-step controllers are in fixedStep.ts.
 *
 * Two adaptive controllers:
 * - {@link IController}: h ← h·clamp(0.9·err^{−1/5}, 0.2, 5), no growth right after a rejection,
 *   ×0.1 on a non-finite error; gives up below 1e-13·|t_end| (the trainer's gradient flow);
 * - {@link PIController}: Hairer's DOPRI5 controller h ← h·clamp(0.9·err^{−0.17}·err_old^{0.04},
 *   0.2, 5) on acceptance, h·max(0.2, 0.9·err^{−1/5}) on rejection, a NaN error stops; the first
 *   step by Hairer's starting-step algorithm (Hairer, Nørsett, Wanner I, §II.4) (the mean-field flow).
 * Both shorten a step that would reach the next requested time (within 1e-12 relative) to land on it.
 */
import type { Outcome } from '../errors.js';
import type { OdeRhs } from './rkStep.js';

/**
 * Scaled norm of the local error: y0 the state before the step, y1 the 5th-order result, err the
 * error estimate y1 − ŷ1. A step is accepted when the value is ≤ 1 (NaN: not accepted).
 */
export type ErrorNorm = (y0: Float64Array, y1: Float64Array, err: Float64Array) => number;

/** RMS_i( err_i / (atol + rtol·max(|y0_i|, |y1_i|)) ) (0 for an empty state). */
export function rmsNorm(atol: number, rtol: number): ErrorNorm {
  return (y0, y1, err) => {
    const n = y0.length;
    let acc = 0;
    for (let i = 0; i < n; i++) {
      const e = err[i];
      const sc = atol + rtol * Math.max(Math.abs(y0[i]), Math.abs(y1[i]));
      acc += (e / sc) * (e / sc);
    }
    return Math.sqrt(acc / Math.max(n, 1));
  };
}

/**
 * The controller's side of the solve loop (solve.ts), called in this order: `start` once before
 * the first step; per attempt `propose` → `admit` → (step) → `error` (adaptive only) → `accept`
 * or `reject`.
 */
export interface StepController {
  /** True when the controller needs the solver's error estimate (an embedded pair). */
  readonly adaptive: boolean;
  /**
   * Before the first step, with f0 = f(t0, y0). Returns the number of extra f evaluations used
   * (the starting-step algorithm).
   */
  start(f: OdeRhs, t0: number, y0: Float64Array, f0: Float64Array, tEnd: number): number;
  /** The step to try from (t, y); shortened to end exactly at `target` when it would reach it (then `landing`). */
  propose(t: number, target: number, y: Float64Array): number;
  /** Whether the last proposal was shortened to land on its target. */
  readonly landing: boolean;
  /** null to take the proposed step hs from t, or the outcome that ends the solve. */
  admit(t: number, hs: number): Outcome | null;
  /** Scaled error of a step (≤ 1 accepts): y0 before, y1 after, err the estimate y1 − ŷ1. */
  error(y0: Float64Array, y1: Float64Array, err: Float64Array): number;
  /** The step was accepted with error err ≤ 1: choose the next one. */
  accept(err: number): void;
  /** The step from t was rejected (err > 1, or not a number): shrink, or end the solve with an outcome. */
  reject(err: number, t: number): Outcome | null;
}

/** Parameters of {@link IController}; the defaults are the trainer's. */
export interface IControllerOptions {
  rtol: number;
  atol: number;
  /** Error norm (default {@link rmsNorm}(atol, rtol)). */
  norm?: ErrorNorm;
  /** First trial step. */
  h0: number;
  /** Prefix of failure messages (default 'dopri5'). */
  label?: string;
  safety?: number;
  /** The exponent of err (1/(order + 1) = 0.2). */
  exponent?: number;
  minFactor?: number;
  maxFactor?: number;
  /** Factor on a non-finite error (default 0.1). */
  nonFiniteFactor?: number;
  /** Give up when h ≤ floor·|t_end| (default 1e-13). */
  floor?: number;
}

/**
 * Integral controller (the trainer's): next h = h·clamp(safety·err^{−exponent}, minFactor,
 * maxFactor), capped at 1 right after a rejection; a step shortened to land on a requested time
 * does not shrink the next one. A non-finite error multiplies h by `nonFiniteFactor`; when h falls
 * to floor·|t_end| the solve ends ('nan' if the error was not finite, else 'not-converged').
 */
export class IController implements StepController {
  readonly adaptive = true;
  landing = false;
  readonly error: ErrorNorm;
  private h: number;
  private hTry = 0;
  private rejectedLast = false;
  private hFloor = 0;
  private readonly label: string;
  private readonly safety: number;
  private readonly exponent: number;
  private readonly minFactor: number;
  private readonly maxFactor: number;
  private readonly nonFiniteFactor: number;
  private readonly floor: number;

  constructor(o: IControllerOptions) {
    this.error = o.norm ?? rmsNorm(o.atol, o.rtol);
    this.h = o.h0;
    this.label = o.label ?? 'dopri5';
    this.safety = o.safety ?? 0.9;
    this.exponent = o.exponent ?? 0.2;
    this.minFactor = o.minFactor ?? 0.2;
    this.maxFactor = o.maxFactor ?? 5;
    this.nonFiniteFactor = o.nonFiniteFactor ?? 0.1;
    this.floor = o.floor ?? 1e-13;
  }

  start(_f: OdeRhs, _t0: number, _y0: Float64Array, _f0: Float64Array, tEnd: number): number {
    this.hFloor = this.floor * Math.max(Math.abs(tEnd), 1e-300);
    return 0;
  }

  propose(t: number, target: number): number {
    this.hTry = this.h;
    this.landing = false;
    if (t + this.h >= target - 1e-12 * Math.abs(target)) {
      this.h = target - t;
      this.landing = true;
    }
    return this.h;
  }

  admit(): Outcome | null {
    return null;
  }

  accept(err: number): void {
    const grow = err === 0 ? this.maxFactor : Math.min(this.maxFactor, Math.max(this.minFactor, this.safety * Math.pow(err, -this.exponent)));
    this.h *= this.rejectedLast ? Math.min(1, grow) : grow;
    if (this.landing && !this.rejectedLast) this.h = Math.max(this.h, this.hTry);
    this.rejectedLast = false;
  }

  reject(err: number, t: number): Outcome | null {
    this.rejectedLast = true;
    this.h *= Number.isFinite(err) ? Math.max(this.minFactor, this.safety * Math.pow(err, -this.exponent)) : this.nonFiniteFactor;
    if (!(this.h > this.hFloor)) {
      const status = Number.isFinite(err) ? 'not-converged' : 'nan';
      return { status, message: `${this.label}: step size underflow at time ${t.toPrecision(6)} (error estimate ${err})` };
    }
    return null;
  }
}

/** Parameters of {@link PIController}; the defaults are Hairer's DOPRI5 (the mean-field flow's). */
export interface PIControllerOptions {
  /** Tolerances of the error norm and of the starting-step algorithm. */
  rtol: number;
  atol: number;
  /** Error norm (default {@link rmsNorm}(atol, rtol)). */
  norm?: ErrorNorm;
  /** First trial step (default: Hairer's starting-step algorithm, one extra evaluation). Capped at t_end − t0. */
  h0?: number;
  label?: string;
  safety?: number;
  /** Exponent of the current error (0.2 − 0.75·beta = 0.17). */
  alpha?: number;
  /** Exponent of the previous accepted error (0.04). */
  beta?: number;
  minFactor?: number;
  maxFactor?: number;
  /** Exponent of err on a rejection (0.2). */
  rejectExponent?: number;
  /** The previous error is taken ≥ this (1e-4). */
  errFloor?: number;
  /** A step ≤ floor·max(1, |t|) ends the solve with 'failed' (default 1e-14). */
  floor?: number;
}

/**
 * Proportional–integral controller (Hairer's DOPRI5, "Solving ODEs I" §II.4 and the DOPRI5 code):
 * on acceptance next h = hs·clamp(safety·err^{−alpha}·err_old^{beta}, minFactor, maxFactor) with
 * err_old the previous accepted error (≥ errFloor), keeping the longer proposal after a step
 * shortened to land on a requested time; on rejection h = hs·max(minFactor, safety·err^{−rejectExponent}).
 * A NaN error ends the solve ('nan').
 */
export class PIController implements StepController {
  readonly adaptive = true;
  landing = false;
  readonly error: ErrorNorm;
  private h = 0;
  private hs = 0;
  private lastErr = 1;
  private readonly o: Required<Omit<PIControllerOptions, 'h0' | 'norm'>> & { h0?: number };

  constructor(o: PIControllerOptions) {
    this.error = o.norm ?? rmsNorm(o.atol, o.rtol);
    this.o = {
      rtol: o.rtol, atol: o.atol, h0: o.h0, label: o.label ?? 'dopri5', safety: o.safety ?? 0.9, alpha: o.alpha ?? 0.17,
      beta: o.beta ?? 0.04, minFactor: o.minFactor ?? 0.2, maxFactor: o.maxFactor ?? 5, rejectExponent: o.rejectExponent ?? 0.2,
      errFloor: o.errFloor ?? 1e-4, floor: o.floor ?? 1e-14,
    };
  }

  start(f: OdeRhs, t0: number, y0: Float64Array, f0: Float64Array, tEnd: number): number {
    const h = this.o.h0 ?? hairerInitialStep(f, t0, y0, f0, this.o.rtol, this.o.atol);
    this.h = Math.min(h, tEnd - t0);
    return this.o.h0 === undefined ? 1 : 0;
  }

  propose(t: number, target: number): number {
    this.landing = false;
    let hs = this.h;
    if (t + hs >= target - 1e-12 * Math.abs(target)) {
      hs = target - t;
      this.landing = true;
    }
    this.hs = hs;
    return hs;
  }

  admit(t: number, hs: number): Outcome | null {
    if (!(hs > this.o.floor * Math.max(1, Math.abs(t)))) {
      return { status: 'failed', message: `${this.o.label}: step size underflow (${hs}) at time ${t.toPrecision(6)}` };
    }
    return null;
  }

  accept(err: number): void {
    const { safety, alpha, beta, minFactor, maxFactor, errFloor } = this.o;
    const fac = err === 0 ? maxFactor : Math.min(maxFactor, Math.max(minFactor, safety * Math.pow(err, -alpha) * Math.pow(this.lastErr, beta)));
    this.lastErr = Math.max(err, errFloor);
    const hs = this.hs;
    this.h = this.landing && hs < this.h ? Math.max(this.h, hs * fac) : hs * fac;
  }

  reject(err: number, t: number): Outcome | null {
    if (Number.isNaN(err)) return { status: 'nan', message: `${this.o.label}: NaN error estimate at time ${t.toPrecision(6)}` };
    this.h = this.hs * Math.max(this.o.minFactor, this.o.safety * Math.pow(err, -this.o.rejectExponent));
    return null;
  }
}

/**
 * Starting step (Hairer–Nørsett–Wanner I, §II.4, "starting step size"), order 5; uses one
 * evaluation of f (at t + h0 on an explicit Euler step). f0 = f(t, y).
 */
export function hairerInitialStep(
  f: OdeRhs, t: number, y: Float64Array, f0: Float64Array, rtol: number, atol: number,
): number {
  const N = y.length;
  const y1 = new Float64Array(N), f1 = new Float64Array(N);
  let d0 = 0, d1 = 0;
  for (let i = 0; i < N; i++) {
    const sc = atol + rtol * Math.abs(y[i]);
    d0 += (y[i] / sc) ** 2;
    d1 += (f0[i] / sc) ** 2;
  }
  d0 = Math.sqrt(d0 / N);
  d1 = Math.sqrt(d1 / N);
  const h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : (0.01 * d0) / d1;
  for (let i = 0; i < N; i++) y1[i] = y[i] + h0 * f0[i];
  f(t + h0, y1, f1);
  let d2 = 0;
  for (let i = 0; i < N; i++) {
    const sc = atol + rtol * Math.abs(y[i]);
    d2 += ((f1[i] - f0[i]) / sc) ** 2;
  }
  d2 = Math.sqrt(d2 / N) / h0;
  const h1 = Math.max(d1, d2) <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : Math.pow(0.01 / Math.max(d1, d2), 1 / 5);
  return Math.min(100 * h0, h1);
}
