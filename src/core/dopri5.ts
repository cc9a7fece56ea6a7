/**
 * The one Dormand–Prince 5(4) step of widelimit (Dormand & Prince 1980, J. Comp. Appl. Math. 6:19;
 * coefficients as in Hairer, Nørsett, Wanner, "Solving ODEs I", Table II.5.2), on a flat
 * Float64Array state, FSAL, with the embedded 4th-order error estimate. No allocation per step:
 * the nine work vectors of {@link Dopri5Work} are allocated once.
 *
 * Following diffrax's separation (theory/numerics.md#one-dormand-prince-stepper), this file is the
 * *solver* only; step-size control and error norms are in stepControl.ts, the driver loop (what is
 * saved, hooks, statistics, status) in dopri5Solve.ts.
 *
 * Two summation orders of the stage combinations are kept, because the two historical callers used
 * different ones and their results must stay bitwise identical:
 * - `fused`: Y_s = y + h·(a_s1 k_1 + … + a_s,s−1 k_s−1), one pass per stage (the mean-field flow);
 * - `axpy`:  Y_s = ((y + (h a_s1) k_1) + (h a_s2) k_2) + …, one pass per term (the trainer's flow).
 * The error estimate is the same in both: err = h·(e_1 k_1 + e_3 k_3 + … + e_7 k_7), e = b − b̂.
 */

/** dy ← f(t, y). The returned value (e.g. the trainer's loss at y) is passed through by the step. */
export type Dopri5Rhs<R = unknown> = (t: number, y: Float64Array, dy: Float64Array) => R;

/** Summation order of the stage combinations (see the file comment). */
export type Dopri5Sums = 'fused' | 'axpy';

// Dormand–Prince 5(4) tableau (Hairer–Nørsett–Wanner I, Table II.5.2).
export const C2 = 1 / 5, C3 = 3 / 10, C4 = 4 / 5, C5 = 8 / 9;
const A21 = 1 / 5;
const A31 = 3 / 40, A32 = 9 / 40;
const A41 = 44 / 45, A42 = -56 / 15, A43 = 32 / 9;
const A51 = 19372 / 6561, A52 = -25360 / 2187, A53 = 64448 / 6561, A54 = -212 / 729;
const A61 = 9017 / 3168, A62 = -355 / 33, A63 = 46732 / 5247, A64 = 49 / 176, A65 = -5103 / 18656;
// 5th-order weights b (= the 7th row of A: FSAL)
const B1 = 35 / 384, B3 = 500 / 1113, B4 = 125 / 192, B5 = -2187 / 6784, B6 = 11 / 84;
// e = b (5th order) − b̂ (4th order)
const E1 = 71 / 57600, E3 = -71 / 16695, E4 = 71 / 1920, E5 = -17253 / 339200, E6 = 22 / 525, E7 = -1 / 40;

/** Right-hand side evaluations of one step (FSAL: k_1 of the next step is k_7 of this one). */
export const DOPRI5_EVALS_PER_STEP = 6;

/**
 * Work vectors of one state size n. Before a step, `k1` must hold f(t, y). After
 * {@link dopri5Step}: `y1` the 5th-order solution at t + h, `k7` = f(t + h, y1), and `err` the
 * error estimate y1 − ŷ1 (ŷ1 the embedded 4th-order solution). `err` shares its storage with the
 * stage input `yt`: it is valid until the next step.
 */
export interface Dopri5Work {
  readonly n: number;
  k1: Float64Array;
  k2: Float64Array;
  k3: Float64Array;
  k4: Float64Array;
  k5: Float64Array;
  k6: Float64Array;
  k7: Float64Array;
  readonly yt: Float64Array;
  readonly y1: Float64Array;
  readonly err: Float64Array;
}

export function createDopri5Work(n: number): Dopri5Work {
  const b = () => new Float64Array(n);
  const yt = b();
  return { n, k1: b(), k2: b(), k3: b(), k4: b(), k5: b(), k6: b(), k7: b(), yt, y1: b(), err: yt };
}

/** dst[i] += c·k[i] */
function axpy(dst: Float64Array, c: number, k: Float64Array): void {
  for (let i = 0; i < dst.length; i++) dst[i] += c * k[i];
}

/**
 * One Dormand–Prince step of size h from (t, y) (y not modified), with w.k1 = f(t, y) on entry.
 * Fills w.k2…w.k7, w.y1 and w.err (see {@link Dopri5Work}); returns f's value at (t + h, y1).
 * Six evaluations of f. A NaN anywhere propagates into w.err (never thrown).
 */
export function dopri5Step<R>(f: Dopri5Rhs<R>, t: number, y: Float64Array, h: number, w: Dopri5Work, sums: Dopri5Sums): R {
  const { k1, k2, k3, k4, k5, k6, k7, yt, y1 } = w;
  const n = y.length;
  if (sums === 'fused') {
    for (let i = 0; i < n; i++) yt[i] = y[i] + h * A21 * k1[i];
    f(t + C2 * h, yt, k2);
    for (let i = 0; i < n; i++) yt[i] = y[i] + h * (A31 * k1[i] + A32 * k2[i]);
    f(t + C3 * h, yt, k3);
    for (let i = 0; i < n; i++) yt[i] = y[i] + h * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
    f(t + C4 * h, yt, k4);
    for (let i = 0; i < n; i++) yt[i] = y[i] + h * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
    f(t + C5 * h, yt, k5);
    for (let i = 0; i < n; i++) yt[i] = y[i] + h * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
    f(t + h, yt, k6);
    for (let i = 0; i < n; i++) y1[i] = y[i] + h * (B1 * k1[i] + B3 * k3[i] + B4 * k4[i] + B5 * k5[i] + B6 * k6[i]);
  } else {
    yt.set(y); axpy(yt, h * A21, k1);
    f(t + C2 * h, yt, k2);
    yt.set(y); axpy(yt, h * A31, k1); axpy(yt, h * A32, k2);
    f(t + C3 * h, yt, k3);
    yt.set(y); axpy(yt, h * A41, k1); axpy(yt, h * A42, k2); axpy(yt, h * A43, k3);
    f(t + C4 * h, yt, k4);
    yt.set(y); axpy(yt, h * A51, k1); axpy(yt, h * A52, k2); axpy(yt, h * A53, k3); axpy(yt, h * A54, k4);
    f(t + C5 * h, yt, k5);
    yt.set(y); axpy(yt, h * A61, k1); axpy(yt, h * A62, k2); axpy(yt, h * A63, k3); axpy(yt, h * A64, k4); axpy(yt, h * A65, k5);
    f(t + h, yt, k6);
    y1.set(y); axpy(y1, h * B1, k1); axpy(y1, h * B3, k3); axpy(y1, h * B4, k4); axpy(y1, h * B5, k5); axpy(y1, h * B6, k6);
  }
  const value = f(t + h, y1, k7);
  const err = w.err;
  for (let i = 0; i < n; i++) err[i] = h * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
  return value;
}

/** After an accepted step (y ← y1 done by the caller): k1 ← k7 by swapping buffers (FSAL). */
export function dopri5Fsal(w: Dopri5Work): void {
  const k = w.k1;
  w.k1 = w.k7;
  w.k7 = k;
}
