// FROZEN COPY of the pre-unification integrator (src/finite/trainDopri5.ts before src/core/dopri5.ts), kept as the
// bitwise reference of test/core/dopri5Identity.test.ts. Do not edit.
/**
 * Dormand–Prince 5(4) with FSAL and local error control, on a flat Float64Array state
 * (Dormand & Prince 1980, J. Comp. Appl. Math. 6:19; coefficients as in Hairer, Nørsett, Wanner,
 * "Solving ODEs I", Table II.5.2). Used by the gradient-flow trainer; written for state vectors
 * of millions of entries: nine work vectors allocated once, no allocation per step.
 *
 * Step control: err = RMS_i(ê_i / (atol + rtol·max(|y_i|, |y_new_i|))), accept when err ≤ 1,
 * next h = h · clamp(0.9 err^{−1/5}, 0.2, 5) (no growth right after a rejection). Steps are
 * shortened to land exactly on each save time, so saved states are not interpolated.
 * See theory/finite.md#gradient-flow.
 */
import type { Outcome } from '../../../src/core/errors.js';

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

export interface Dopri5Stats {
  accepted: number;
  rejected: number;
  evaluations: number;
  hMin: number;
  hMax: number;
}

const A21 = 1 / 5;
const A31 = 3 / 40, A32 = 9 / 40;
const A41 = 44 / 45, A42 = -56 / 15, A43 = 32 / 9;
const A51 = 19372 / 6561, A52 = -25360 / 2187, A53 = 64448 / 6561, A54 = -212 / 729;
const A61 = 9017 / 3168, A62 = -355 / 33, A63 = 46732 / 5247, A64 = 49 / 176, A65 = -5103 / 18656;
const B1 = 35 / 384, B3 = 500 / 1113, B4 = 125 / 192, B5 = -2187 / 6784, B6 = 11 / 84;
// E = b (5th order) − b̂ (4th order)
const E1 = 71 / 57600, E3 = -71 / 16695, E4 = 71 / 1920, E5 = -17253 / 339200, E6 = 22 / 525, E7 = -1 / 40;

/**
 * Integrate dy/dt = F(y) from t0, state `y` updated in place, through the increasing
 * `saveTimes` (all > t0 or equal to it). Returns the outcome, the time reached and statistics.
 */
export function dopri5(
  sys: OdeSystem, y: Float64Array, t0: number, saveTimes: readonly number[], o: Dopri5Options, hooks: Dopri5Hooks,
): { outcome: Outcome; t: number; stats: Dopri5Stats } {
  const n = y.length;
  const buf = () => new Float64Array(n);
  let k1 = buf(), k7 = buf();
  const k2 = buf(), k3 = buf(), k4 = buf(), k5 = buf(), k6 = buf(), yt = buf(), yn = buf();
  const stats: Dopri5Stats = { accepted: 0, rejected: 0, evaluations: 1, hMin: Infinity, hMax: 0 };
  const maxSteps = o.maxSteps ?? 1e6;
  const tEnd = saveTimes.length ? saveTimes[saveTimes.length - 1] : t0;
  const hFloor = 1e-13 * Math.max(Math.abs(tEnd), 1e-300);
  let t = t0, h = o.h0, rejectedLast = false;
  sys.rhs(y, k1);
  /** dst ← y + h Σ_j cs[j] ks[j] (one pass per term: cheap next to the rhs evaluations). */
  const stage = (dst: Float64Array, cs: readonly number[], ks: readonly Float64Array[]) => {
    dst.set(y);
    for (let j = 0; j < cs.length; j++) {
      const c = h * cs[j], k = ks[j];
      for (let i = 0; i < n; i++) dst[i] += c * k[i];
    }
  };
  const done = (outcome: Outcome) => ({ outcome, t, stats });
  for (let si = 0; si < saveTimes.length; si++) {
    const ts = saveTimes[si];
    while (t < ts) {
      if (stats.accepted + stats.rejected >= maxSteps) {
        return done({ status: 'not-converged', message: `gradient flow: ${maxSteps} steps reached at time ${t.toPrecision(4)} before ${ts}` });
      }
      const hTry = h;
      let last = false;
      if (t + h >= ts - 1e-12 * Math.abs(ts)) { h = ts - t; last = true; }
      stage(yt, [A21], [k1]); sys.rhs(yt, k2);
      stage(yt, [A31, A32], [k1, k2]); sys.rhs(yt, k3);
      stage(yt, [A41, A42, A43], [k1, k2, k3]); sys.rhs(yt, k4);
      stage(yt, [A51, A52, A53, A54], [k1, k2, k3, k4]); sys.rhs(yt, k5);
      stage(yt, [A61, A62, A63, A64, A65], [k1, k2, k3, k4, k5]); sys.rhs(yt, k6);
      stage(yn, [B1, B3, B4, B5, B6], [k1, k3, k4, k5, k6]);
      const monitor = sys.rhs(yn, k7);
      stats.evaluations += 6;
      let acc = 0;
      for (let i = 0; i < n; i++) {
        const e = h * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
        const sc = o.atol + o.rtol * Math.max(Math.abs(y[i]), Math.abs(yn[i]));
        acc += (e / sc) * (e / sc);
      }
      const err = Math.sqrt(acc / Math.max(n, 1));
      if (!(err <= 1)) {
        stats.rejected++;
        rejectedLast = true;
        h *= Number.isFinite(err) ? Math.max(0.2, 0.9 * Math.pow(err, -0.2)) : 0.1;
        if (!(h > hFloor)) {
          const status = Number.isFinite(err) ? 'not-converged' : 'nan';
          return done({ status, message: `gradient flow: step size underflow at time ${t.toPrecision(6)} (error estimate ${err})` });
        }
        continue;
      }
      stats.accepted++;
      stats.hMin = Math.min(stats.hMin, h);
      stats.hMax = Math.max(stats.hMax, h);
      t = last ? ts : t + h;
      y.set(yn);
      const tmp = k1; k1 = k7; k7 = tmp;
      const stop = hooks.onAccept(t, monitor);
      if (stop) return done(stop);
      const grow = err === 0 ? 5 : Math.min(5, Math.max(0.2, 0.9 * Math.pow(err, -0.2)));
      h *= rejectedLast ? Math.min(1, grow) : grow;
      if (last && !rejectedLast) h = Math.max(h, hTry); // a step shortened to hit a save time does not shrink the next
      rejectedLast = false;
    }
    const stop = hooks.onSave(si, t);
    if (stop) return done(stop);
  }
  return done({ status: 'ok', message: '' });
}

/** Marks the frozen copy (checked by the identity test to prove the mock took effect). */
export const LEGACY = true;
