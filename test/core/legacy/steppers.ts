// FROZEN COPY of the pre-unification integrator (src/limits/meanfield/steppers.ts before src/core/dopri5.ts), kept as the
// bitwise reference of test/core/dopri5Identity.test.ts. Do not edit.
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
import type { Outcome } from '../../../src/core/errors.js';

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
  switch (scheme.kind) {
    case 'euler': return euler(v, y0, times, scheme.dt, save, progress);
    case 'dopri5': return dopri5(v, y0, times, scheme, save, progress);
    default: {
      const never: never = scheme;
      throw new RangeError(`unknown scheme ${JSON.stringify(never)}`);
    }
  }
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
  return times.map((t) => {
    const s = (t - times[0]) / dt;
    const r = Math.round(s);
    if (Math.abs(s - r) > 1e-9 * Math.max(1, r)) throw new RangeError(`euler: time ${t} is not a multiple of dt = ${dt} after ${times[0]}`);
    return r;
  });
}

function euler(
  v: VectorField, y0: Float64Array, times: readonly number[], dt: number, save: SaveFn,
  progress?: (f: number) => void,
): Integration {
  const counts = eulerStepCounts(times, dt);
  const total = counts[counts.length - 1] ?? 0;
  const y = y0.slice();
  const dy = new Float64Array(y.length);
  const stats: StepStats = { steps: 0, rejected: 0, evaluations: 0 };
  let step = 0;
  let saved = 0;
  for (let k = 0; k < times.length; k++) {
    while (step < counts[k]) {
      v(times[0] + step * dt, y, dy);
      stats.evaluations++;
      for (let i = 0; i < y.length; i++) y[i] += dt * dy[i];
      step++;
      stats.steps++;
      const bad = health(y, times[0] + step * dt);
      if (bad) return { ...bad, saved, y, stats };
      if (progress && total > 0 && step % 16 === 0) progress(step / total);
    }
    save(k, times[k], y);
    saved++;
  }
  return { status: 'ok', message: '', saved, y, stats };
}

// Dormand–Prince 5(4) tableau (Hairer–Nørsett–Wanner I, Table II.5.2).
const C2 = 1 / 5, C3 = 3 / 10, C4 = 4 / 5, C5 = 8 / 9;
const A21 = 1 / 5;
const A31 = 3 / 40, A32 = 9 / 40;
const A41 = 44 / 45, A42 = -56 / 15, A43 = 32 / 9;
const A51 = 19372 / 6561, A52 = -25360 / 2187, A53 = 64448 / 6561, A54 = -212 / 729;
const A61 = 9017 / 3168, A62 = -355 / 33, A63 = 46732 / 5247, A64 = 49 / 176, A65 = -5103 / 18656;
const A71 = 35 / 384, A73 = 500 / 1113, A74 = 125 / 192, A75 = -2187 / 6784, A76 = 11 / 84;
// e = b(5th) − b̂(4th)
const E1 = 71 / 57600, E3 = -71 / 16695, E4 = 71 / 1920, E5 = -17253 / 339200, E6 = 22 / 525, E7 = -1 / 40;

function dopri5(
  v: VectorField, y0: Float64Array, times: readonly number[], s: Scheme & { kind: 'dopri5' }, save: SaveFn,
  progress?: (f: number) => void,
): Integration {
  const { rtol, atol } = s;
  const maxSteps = s.maxSteps ?? 100000;
  const N = y0.length;
  const y = y0.slice();
  const yn = new Float64Array(N);
  const yt = new Float64Array(N);
  const k1 = new Float64Array(N), k2 = new Float64Array(N), k3 = new Float64Array(N), k4 = new Float64Array(N);
  const k5 = new Float64Array(N), k6 = new Float64Array(N), k7 = new Float64Array(N);
  const stats: StepStats = { steps: 0, rejected: 0, evaluations: 0 };
  const eval_ = (t: number, x: Float64Array, out: Float64Array) => {
    v(t, x, out);
    stats.evaluations++;
  };
  if (times.length === 0) return { status: 'ok', message: '', saved: 0, y, stats };
  const t0 = times[0];
  const tEnd = times[times.length - 1];
  let t = t0;
  let saved = 0;
  save(0, t0, y);
  saved = 1;
  if (tEnd === t0) {
    for (let k = 1; k < times.length; k++) save(k, times[k], y);
    return { status: 'ok', message: '', saved: times.length, y, stats };
  }
  eval_(t, y, k1);
  let h = s.h0 ?? initialStep(v, y, k1, t, rtol, atol, yt, k2, stats);
  h = Math.min(h, tEnd - t0);
  let next = 1;
  while (next < times.length && times[next] === t0) {
    save(next, t0, y);
    next++;
  }
  saved = next;
  let lastErr = 1;
  while (next < times.length) {
    if (stats.steps + stats.rejected >= maxSteps) {
      return { status: 'not-converged', message: `dopri5: ${maxSteps} steps reached at time ${t.toPrecision(6)} before ${tEnd}`, saved, y, stats };
    }
    const target = times[next];
    let landing = false;
    let hs = h;
    if (t + hs >= target - 1e-12 * Math.abs(target)) {
      hs = target - t;
      landing = true;
    }
    if (!(hs > 1e-14 * Math.max(1, Math.abs(t)))) {
      return { status: 'failed', message: `dopri5: step size underflow (${hs}) at time ${t.toPrecision(6)}`, saved, y, stats };
    }
    for (let i = 0; i < N; i++) yt[i] = y[i] + hs * A21 * k1[i];
    eval_(t + C2 * hs, yt, k2);
    for (let i = 0; i < N; i++) yt[i] = y[i] + hs * (A31 * k1[i] + A32 * k2[i]);
    eval_(t + C3 * hs, yt, k3);
    for (let i = 0; i < N; i++) yt[i] = y[i] + hs * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
    eval_(t + C4 * hs, yt, k4);
    for (let i = 0; i < N; i++) yt[i] = y[i] + hs * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
    eval_(t + C5 * hs, yt, k5);
    for (let i = 0; i < N; i++) yt[i] = y[i] + hs * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
    eval_(t + hs, yt, k6);
    for (let i = 0; i < N; i++) yn[i] = y[i] + hs * (A71 * k1[i] + A73 * k3[i] + A74 * k4[i] + A75 * k5[i] + A76 * k6[i]);
    eval_(t + hs, yn, k7);
    let err = 0;
    if (s.norm) {
      // yt ← the embedded 4th-order solution y5 − e
      for (let i = 0; i < N; i++) yt[i] = yn[i] - hs * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
      err = s.norm(yn, yt, y);
    } else {
      for (let i = 0; i < N; i++) {
        const e = hs * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
        const sc = atol + rtol * Math.max(Math.abs(y[i]), Math.abs(yn[i]));
        err += (e / sc) * (e / sc);
      }
      err = Math.sqrt(err / N);
    }
    if (Number.isNaN(err)) {
      const bad = health(yn, t + hs) ?? { status: 'nan' as const, message: `dopri5: NaN error estimate at time ${t.toPrecision(6)}` };
      return { ...bad, saved, y, stats };
    }
    if (err <= 1) {
      t = landing ? target : t + hs;
      y.set(yn);
      k1.set(k7);
      stats.steps++;
      const bad = health(y, t);
      if (bad) return { ...bad, saved, y, stats };
      // Hairer's DOPRI5 controller: h·0.9·err^{−0.17}·err_old^{0.04} (β = 0.04 stabilisation)
      const fac = err === 0 ? 5 : Math.min(5, Math.max(0.2, 0.9 * Math.pow(err, -0.17) * Math.pow(lastErr, 0.04)));
      lastErr = Math.max(err, 1e-4);
      // after a step shortened to land on a save time, keep the longer proposal
      h = landing && hs < h ? Math.max(h, hs * fac) : hs * fac;
      while (next < times.length && times[next] <= t) {
        save(next, times[next], y);
        next++;
      }
      saved = next;
      if (progress) progress((t - t0) / (tEnd - t0));
    } else {
      stats.rejected++;
      h = hs * Math.max(0.2, 0.9 * Math.pow(err, -0.2));
    }
  }
  return { status: 'ok', message: '', saved, y, stats };
}

/** Starting step (Hairer–Nørsett–Wanner I, §II.4, "starting step size"); uses one evaluation. */
function initialStep(
  v: VectorField, y: Float64Array, f0: Float64Array, t: number, rtol: number, atol: number,
  y1: Float64Array, f1: Float64Array, stats: StepStats,
): number {
  const N = y.length;
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
  v(t + h0, y1, f1);
  stats.evaluations++;
  let d2 = 0;
  for (let i = 0; i < N; i++) {
    const sc = atol + rtol * Math.abs(y[i]);
    d2 += ((f1[i] - f0[i]) / sc) ** 2;
  }
  d2 = Math.sqrt(d2 / N) / h0;
  const h1 = Math.max(d1, d2) <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : Math.pow(0.01 / Math.max(d1, d2), 1 / 5);
  return Math.min(100 * h0, h1);
}

/** Marks the frozen copy (checked by the identity test to prove the mock took effect). */
export const LEGACY = true;
