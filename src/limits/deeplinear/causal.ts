/**
 * The causal single-site solver of the plain deep linear network in discrete time (theory/deeplinear.md#causal-solver;
 * Bordelon & Pehlevan 2022, arXiv 2205.09653, §3 and App. "deep linear networks";
 * theory/deeplinear.md#causal-solver).
 *
 * Gradient descent is a finite sequence of maps, so the single-site equations hold exactly at the
 * integer steps with sums over s < t in place of the integrals (theory/deeplinear.md#discrete-time).
 * All response functions are strictly causal, so advancing T one step at a time, with one upward
 * sweep (H^l, R̃^l) and one downward sweep (G^l, Q̃^l) per step, solves the layers' self-consistency
 * exactly: the fixed-point iteration of theory/deeplinear.md#fixed-point converges in one sweep. The residual of the full
 * (non-causal) self-consistency map at the end checks this (fullMap.ts).
 *
 * Cost O(L P² T³) time and O(L P² T²) memory.
 */
import { InputError } from '../../core/errors.js';
import type { Status } from '../../core/errors.js';
import { mat } from '../../core/matrix.js';
import { type DeepLinearProblem, checkProblem } from './problem.js';
import {
  type Dims, type LayerArrays, type Neighbours, allocLayer, allocScratch, coefficientsAt, downwardStep, outputAt, upwardStep,
} from './layerState.js';
import { type DeepLinearSolution, predictionIdentityResidual } from './solution.js';
import { DIVERGENCE_FACTOR } from '../../finite/runDefaults.js';

/** Largest number of stored doubles (L·(P·T)² dominates): 1.5e8 ≈ 1.2 GB. */
export const MAX_STORED_DOUBLES = 1.5e8;

export interface CausalOptions {
  /** Fraction done, about 100 calls. */
  progress?: (fraction: number) => void;
  /** Train loss above this factor times max(1, initial loss) stops the run as diverged (default 1e8). */
  divergenceFactor?: number;
}

/** Memory the plain solver needs, in doubles. */
export function plainStorage(P: number, steps: number, depth: number): number {
  const Tc = steps + 1;
  const n = P * Tc;
  return (depth + 1) * n * n + depth * (5 * n * Tc + 4 * Tc * Tc);
}

/** Inputs of layer l (0-based) from its neighbours. */
export function neighbours(layers: LayerArrays[], H0: Float64Array, l: number): Neighbours {
  const L = layers.length;
  return {
    V: l === 0 ? H0 : layers[l - 1].H,
    Rprev: l === 0 ? null : layers[l - 1].Rt,
    Gnext: l === L - 1 ? null : layers[l + 1].G,
    Qnext: l === L - 1 ? null : layers[l + 1].Qt,
  };
}

/** H^0((t,μ),(s,ν)) = K^x_{μν} for all t, s (n×n). */
export function inputBlocks(kx: Float64Array, P: number, Tc: number): Float64Array {
  const n = P * Tc;
  const H0 = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const mu = i % P;
    for (let k = 0; k < n; k++) H0[i * n + k] = kx[mu * P + (k % P)];
  }
  return H0;
}

/** The state the causal solver ends with (for the residual check and tests). */
export interface PlainState {
  readonly dims: Dims;
  readonly layers: LayerArrays[];
  readonly H0: Float64Array;
  /** Δ = y − f, Tc×P. */
  readonly delta: Float64Array;
}

/** InputError when the recursion would store more than {@link MAX_STORED_DOUBLES} numbers. */
function checkStorage(P: number, steps: number, L: number): void {
  const need = plainStorage(P, steps, L);
  if (need > MAX_STORED_DOUBLES) {
    throw new InputError(
      'training.steps',
      `the deep-linear recursion stores about ${need.toExponential(2)} numbers for P = ${P}, ${steps} steps and depth ${L} ` +
        `(limit ${MAX_STORED_DOUBLES.toExponential(1)}): use fewer steps or training points`,
    );
  }
}

/** The status at step t: nan for a non-finite loss, diverged above factor × max(1, initial loss), else null. */
function failure(loss: Float64Array, t: number, factor: number): { status: Status; message: string } | null {
  if (!Number.isFinite(loss[t])) return { status: 'nan', message: `the recursion produced a non-finite output at step ${t}` };
  if (loss[t] > factor * Math.max(1, loss[0])) {
    return {
      status: 'diverged',
      message: `train loss ${loss[t].toExponential(3)} at step ${t} exceeds ${factor} × max(1, initial loss): gradient descent diverges (lr too large?)`,
    };
  }
  return null;
}

/** Report the fraction done (cost ∝ t³) when it passed a new percent; returns the last percent reported. */
function reportProgress(progress: (fraction: number) => void, done: number, lastReport: number): number {
  const frac = Math.pow(done, 3);
  const pct = Math.floor(frac * 100);
  if (pct <= lastReport) return lastReport;
  progress(frac);
  return pct;
}

/**
 * Solve the plain recursion (problem.architecture must be `plain`). Never throws on numerical
 * failure: status `nan` or `diverged` with the steps reached.
 */
export function solvePlainCausal(p: DeepLinearProblem, opts: CausalOptions = {}): { solution: DeepLinearSolution; state: PlainState } {
  checkProblem(p);
  if (p.architecture.kind !== 'plain') throw new RangeError('solvePlainCausal: the architecture must be plain');
  const P = p.y.length;
  const Tc = p.steps + 1;
  const L = p.depth;
  checkStorage(P, p.steps, L);
  const t0 = performance.now();
  const n = P * Tc;
  const dims: Dims = { P, Tc, n, g2: p.gamma0 * p.gamma0, c: p.lr / P };
  const H0 = inputBlocks(p.kx.data, P, Tc);
  const layers = Array.from({ length: L }, () => allocLayer(P, Tc));
  const nbs = layers.map((_, l) => neighbours(layers, H0, l));
  const sc = allocScratch(P, Tc);
  const delta = new Float64Array(Tc * P);
  const f = new Float64Array(Tc * P);
  const a = new Float64Array(Tc * P);
  const loss = new Float64Array(Tc);
  const limitFactor = opts.divergenceFactor ?? DIVERGENCE_FACTOR;
  let status: Status = 'ok';
  let message = '';
  let T = 0;
  let lastReport = -1;
  for (let t = 0; t < Tc; t++) {
    for (let l = 0; l < L; l++) upwardStep(layers[l], nbs[l], dims, delta, t, sc);
    for (let l = L - 1; l >= 0; l--) downwardStep(layers[l], nbs[l], dims, delta, t, sc);
    outputAt(layers[L - 1], dims, t, f);
    coefficientsAt(layers[0], dims, delta, t, a);
    let s = 0;
    for (let mu = 0; mu < P; mu++) {
      const d = p.y[mu] - f[t * P + mu];
      delta[t * P + mu] = d;
      s += d * d;
    }
    loss[t] = s / (2 * P);
    T = t + 1;
    const bad = failure(loss, t, limitFactor);
    if (bad) {
      ({ status, message } = bad);
      break;
    }
    if (opts.progress) lastReport = reportProgress(opts.progress, (t + 1) / Tc, lastReport);
  }
  const residual = predictionIdentityResidual(f, a, p.kx, T);
  const solution: DeepLinearSolution = {
    status,
    message,
    P,
    T,
    Tcap: Tc,
    f: f.subarray(0, T * P),
    a: a.subarray(0, T * P),
    trainLoss: loss.subarray(0, T),
    H: layers.map((x) => mat(n, n, x.H)),
    G: layers.map((x) => mat(Tc, Tc, x.G)),
    blockScale: 1,
    residual,
    stats: {
      solver: 'causal',
      seconds: (performance.now() - t0) / 1000,
      predictionIdentityResidual: residual,
      timePoints: T,
    },
  };
  return { solution, state: { dims, layers, H0, delta } };
}
