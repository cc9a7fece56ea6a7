/**
 * Step-size controllers without error control, for methods without an embedded estimate (Euler,
 * RK4) or with one that is not used (theory/numerics.md#ode-interface).
 * - {@link ConstantStep}: h = dt; the requested times must be t0 + multiples of dt.
 * - {@link StateStep}: h chosen from the state at the start of the step (e.g. a step uniform in a
 *   rescaled clock); requested times are landed on.
 */
import type { Outcome } from '../errors.js';
import type { StepController } from './adaptive.js';

/**
 * Proposes rule(t, y); a step that reaches `target` (within 1e-9 of a step) lands on it, shortened
 * to end there unless `exact` (then h is kept and only the time is set to the target, so that a
 * constant step stays bitwise dt).
 */
abstract class FixedBase implements StepController {
  readonly adaptive = false;
  landing = false;
  private hLast = 0;
  protected abstract step(t: number, y: Float64Array): number;
  protected abstract readonly exact: boolean;
  start(): number { return 0; }
  propose(t: number, target: number, y: Float64Array): number {
    let h = this.step(t, y);
    this.landing = false;
    if (t + h >= target - 1e-9 * h) {
      if (!this.exact) h = target - t;
      this.landing = true;
    }
    this.hLast = h;
    return h;
  }
  admit(t: number, hs: number): Outcome | null {
    if (!(hs > 0) || !Number.isFinite(hs)) return { status: 'failed', message: `step size ${hs} at time ${t.toPrecision(6)}` };
    return null;
  }
  error(): number { return 0; }
  accept(): void { /* nothing to adapt */ }
  reject(_err: number, t: number): Outcome | null {
    return { status: 'failed', message: `fixed step ${this.hLast} rejected at time ${t.toPrecision(6)}` };
  }
}

/** h = dt. A requested time between two multiples of dt is an input error of the caller (checked by {@link constantStepCounts}). */
export class ConstantStep extends FixedBase {
  protected readonly exact = true;
  constructor(readonly dt: number) {
    super();
    if (!(dt > 0) || !Number.isFinite(dt)) throw new RangeError(`constant step: dt must be > 0 and finite, got ${dt}`);
  }
  protected step(): number { return this.dt; }
}

/** Step counts of the requested times for a fixed step dt from t0 (each must be a multiple of dt after t0). */
export function constantStepCounts(t0: number, times: readonly number[], dt: number): number[] {
  if (!(dt > 0) || !Number.isFinite(dt)) throw new RangeError(`constant step: dt must be > 0, got ${dt}`);
  return times.map((t) => {
    const s = (t - t0) / dt;
    const r = Math.round(s);
    if (Math.abs(s - r) > 1e-9 * Math.max(1, r)) throw new RangeError(`constant step: time ${t} is not a multiple of dt = ${dt} after ${t0}`);
    return r;
  });
}

/** h = rule(t, y), evaluated at the start of each step. */
export class StateStep extends FixedBase {
  protected readonly exact = false;
  constructor(private readonly rule: (t: number, y: Float64Array) => number) { super(); }
  protected step(t: number, y: Float64Array): number { return this.rule(t, y); }
}
