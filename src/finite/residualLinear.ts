/**
 * A finite deep linear network with optional residual (skip) connections, trained by full-batch
 * gradient descent on the MSE — the finite-width counterpart of the deep-linear limit
 * (theory/deeplinear.md#residual-kernel; theory/deeplinear.md#finite-checks). The main trainer (train.ts) has no
 * residual branches; this one does, and with `skip = 0` it is the plain chain.
 *
 *   h^1 = m_in W^0 x,   h^{l+1} = skip · h^l + m_hid W^l h^l  (l = 1..blocks),   f = m_out W^out h^last
 *
 * Shapes: W^0 is N×D, W^1..W^blocks are N×N, W^out is k×N (row-major, the trainable values).
 * Loss (1/(2P)) Σ_μ |f(x_μ) − y_μ|²; a step is W^l ← W^l − η r_l ∂Loss/∂W^l (theory/conventions.md#losses),
 * flow time τ = η · step. Row convention in the code: activations are P×N matrices (one row per
 * point), so h^1 = m_in X W^0ᵀ and so on.
 *
 * Presets: μP (`meanfield`) m_in = 1/√D, m_hid = β/√N, m_out = 1/(γ0 N), rates γ0² N, with
 * β = β0/√L and skip 1 for the residual network (Bordelon et al., depth-μP; theory/deeplinear.md#residual-kernel), β = 1 and
 * skip 0 for the plain one; `ntk` is the same with γ0 = 1/√N.
 */
import type { Outcome } from '../core/errors.js';
import { InputError, requirePositive, requirePositiveInt, show } from '../core/errors.js';
import { gemm } from '../core/gemm.js';
import { type Mat, mat, toRows } from '../core/matrix.js';
import type { Rng } from '../core/rng.js';
import type { Dataset } from '../data/dataset.js';
import type { Outputs } from '../spec/result.js';
import { type DeepLinearOptions, deepLinearNetwork, linearNetSpecOf } from './layers/linear.js';
import { DIVERGENCE_FACTOR } from './runDefaults.js';

export interface LinearNetSpec {
  readonly inputDim: number;
  readonly outputDim: number;
  readonly width: number;
  /** Number of N×N matrices W^1..W^blocks (0 for a two-layer network). */
  readonly blocks: number;
  /** 1: residual blocks h + m W h; 0: plain chain m W h. */
  readonly skip: 0 | 1;
  readonly multipliers: { readonly input: number; readonly hidden: number; readonly output: number };
  /** Per-parameter rate multipliers r_l. */
  readonly rates: { readonly input: number; readonly hidden: number; readonly output: number };
}

/** W[0] (N×D), W[1..blocks] (N×N), W[blocks+1] (k×N). */
export interface LinearNetParams {
  readonly W: Mat[];
}

export type { LinearParameterization } from './layers/linear.js';

/**
 * The μP / NTK deep linear network of theory/deeplinear.md#single-site at width N: plain with L hidden layers
 * (L − 1 blocks) or residual with L blocks and branch scale β0/√L — the layers of
 * src/finite/layers/linear.ts, read by {@link linearNetSpecOf}.
 */
export function deepLinearNetSpec(o: DeepLinearOptions): LinearNetSpec {
  return linearNetSpecOf(deepLinearNetwork(o));
}

/** Shapes of W[0..blocks+1]. */
export function linearShapes(s: LinearNetSpec): [number, number][] {
  const out: [number, number][] = [[s.width, s.inputDim]];
  for (let l = 0; l < s.blocks; l++) out.push([s.width, s.width]);
  out.push([s.outputDim, s.width]);
  return out;
}

/**
 * N(0, 1) weights; layer l draws from `rng.child('layer/' + l)` row-major, as `initParams` does,
 * so a plain network and the trainer's `meanfield` architecture start from identical weights.
 */
export function initLinearNet(s: LinearNetSpec, rng: Rng): LinearNetParams {
  return {
    W: linearShapes(s).map(([r, c], l) => {
      const m = mat(r, c);
      rng.child('layer/' + l).fillNormal(m.data);
      return m;
    }),
  };
}

export function cloneLinearParams(p: LinearNetParams): LinearNetParams {
  return { W: p.W.map((w) => mat(w.rows, w.cols, w.data.slice())) };
}

function rateOf(s: LinearNetSpec, l: number): number {
  return l === 0 ? s.rates.input : l === s.blocks + 1 ? s.rates.output : s.rates.hidden;
}

/** Activations h^1..h^last (each P×N) and outputs (P×k) on inputs X (P×D). */
export function forwardLinear(s: LinearNetSpec, p: LinearNetParams, X: Mat): { hidden: Mat[]; out: Mat } {
  if (X.cols !== s.inputDim) throw new RangeError(`forwardLinear: inputs have ${X.cols} columns, expected ${s.inputDim}`);
  const P = X.rows;
  const hidden: Mat[] = [gemm(false, true, s.multipliers.input, X, p.W[0])];
  for (let l = 1; l <= s.blocks; l++) {
    const prev = hidden[l - 1];
    const next = mat(P, s.width, s.skip ? prev.data.slice() : undefined);
    gemm(false, true, s.multipliers.hidden, prev, p.W[l], s.skip, next);
    hidden.push(next);
  }
  const out = gemm(false, true, s.multipliers.output, hidden[s.blocks], p.W[s.blocks + 1]);
  return { hidden, out };
}

/**
 * Loss (1/(2P)) Σ |f − y|² and its gradient with respect to every W^l (backpropagation), and the
 * outputs f (P×k). `gradsOut` (shapes of W) is filled when given, else allocated.
 */
export function lossAndGradient(s: LinearNetSpec, p: LinearNetParams, X: Mat, Y: Mat, gradsOut?: Mat[]): { loss: number; grads: Mat[]; out: Mat } {
  const P = X.rows;
  const { hidden, out } = forwardLinear(s, p, X);
  const dF = mat(P, s.outputDim);
  let loss = 0;
  for (let i = 0; i < dF.data.length; i++) {
    const r = out.data[i] - Y.data[i];
    loss += r * r;
    dF.data[i] = r / P;
  }
  loss /= 2 * P;
  const grads: Mat[] = gradsOut ?? p.W.map((w) => mat(w.rows, w.cols));
  const last = s.blocks + 1;
  gemm(true, false, s.multipliers.output, dF, hidden[s.blocks], 0, grads[last]);
  let dH = gemm(false, false, s.multipliers.output, dF, p.W[last]);
  for (let l = s.blocks; l >= 1; l--) {
    gemm(true, false, s.multipliers.hidden, dH, hidden[l - 1], 0, grads[l]);
    const prev = mat(P, s.width, s.skip ? dH.data.slice() : undefined);
    gemm(false, false, s.multipliers.hidden, dH, p.W[l], s.skip, prev);
    dH = prev;
  }
  gemm(true, false, s.multipliers.input, dH, X, 0, grads[0]);
  return { loss, grads, out };
}

/** The end-to-end linear map: f(x) = V x with V = forward on the identity (k×D). */
export function endToEnd(s: LinearNetSpec, p: LinearNetParams): Mat {
  const I = mat(s.inputDim, s.inputDim);
  for (let i = 0; i < s.inputDim; i++) I.data[i * s.inputDim + i] = 1;
  const fI = forwardLinear(s, p, I).out; // D×k: row i = f(e_i)
  const V = mat(s.outputDim, s.inputDim);
  for (let i = 0; i < s.inputDim; i++) for (let j = 0; j < s.outputDim; j++) V.data[j * s.inputDim + i] = fI.data[i * s.outputDim + j];
  return V;
}

export interface LinearTrainOptions {
  lr: number;
  steps: number;
  recordEvery: number;
  /** Train loss above this factor times max(1, initial loss) stops the run (default 1e8). */
  divergenceFactor?: number;
  /** Also record the end-to-end map V (k×D rows) at each record. */
  recordMap?: boolean;
}

export interface LinearTrainOutput extends Outcome {
  times: number[];
  steps: number[];
  trainLoss: number[];
  testLoss: number[];
  fTrain: Outputs[];
  fTest: Outputs[];
  /** With recordMap: V at each record (k×D rows). */
  maps?: number[][][];
  finalParams: LinearNetParams;
}

function outputs(m: Mat): Outputs {
  return m.cols === 1 ? Array.from(m.data) : toRows(m);
}

function mse(f: Mat, y: Mat): number {
  let s = 0;
  for (let i = 0; i < f.data.length; i++) {
    const r = f.data[i] - y.data[i];
    s += r * r;
  }
  return f.rows > 0 ? s / (2 * f.rows) : NaN;
}

/** Gradient descent from `params0` (not modified), recording steps 0, recordEvery, …, steps. */
export function trainLinearGd(s: LinearNetSpec, params0: LinearNetParams, data: Dataset, o: LinearTrainOptions): LinearTrainOutput {
  requirePositive('training.lr', o.lr);
  if (!Number.isInteger(o.steps) || o.steps < 0) throw new InputError('training.steps', `must be a non-negative integer, got ${show(o.steps)}`);
  requirePositiveInt('training.recordEvery', o.recordEvery);
  const p = cloneLinearParams(params0);
  const out: LinearTrainOutput = {
    status: 'ok', message: '', times: [], steps: [], trainLoss: [], testLoss: [], fTrain: [], fTest: [], finalParams: p,
    ...(o.recordMap ? { maps: [] } : {}),
  };
  const factor = o.divergenceFactor ?? DIVERGENCE_FACTOR;
  let loss0 = NaN;
  const gradBuf = p.W.map((w) => mat(w.rows, w.cols));
  for (let t = 0; ; t++) {
    const { loss, grads, out: fTr } = lossAndGradient(s, p, data.x, data.y, gradBuf);
    if (t === 0) loss0 = loss;
    const record = t % o.recordEvery === 0 || t === o.steps;
    const bad = !Number.isFinite(loss) ? 'nan' : loss > factor * Math.max(1, loss0) ? 'diverged' : null;
    if (record || bad) {
      const fTe = forwardLinear(s, p, data.xTest).out;
      out.times.push(o.lr * t);
      out.steps.push(t);
      out.trainLoss.push(loss);
      out.testLoss.push(mse(fTe, data.yTest));
      out.fTrain.push(outputs(fTr));
      out.fTest.push(outputs(fTe));
      if (out.maps) out.maps.push(toRows(endToEnd(s, p)));
    }
    if (bad) {
      out.status = bad;
      out.message = bad === 'nan' ? `non-finite loss at step ${t}` : `train loss ${loss.toExponential(3)} at step ${t} exceeds ${factor} × max(1, initial loss)`;
      return out;
    }
    if (t === o.steps) break;
    for (let l = 0; l < p.W.length; l++) {
      const c = -o.lr * rateOf(s, l);
      const w = p.W[l].data;
      const g = grads[l].data;
      for (let i = 0; i < w.length; i++) w[i] += c * g[i];
    }
  }
  return out;
}

