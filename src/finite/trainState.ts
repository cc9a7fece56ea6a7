/**
 * State shared by the three training methods: the live parameters (one flat vector), a copy of
 * θ0, gradient buffers, preallocated workspaces for the training and test sets, the cached
 * F_{θ0} when centred, and the record of observables. Everything a step touches is allocated
 * here once.
 */
import type { Outcome } from '../core/errors.js';
import { engine } from '../core/engine.js';
import { nativeAxpy } from '../core/gemmNative.js';
import { type Mat, toRows } from '../core/matrix.js';
import type { Dataset } from '../data/dataset.js';
import type { Architecture } from './architecture.js';
import { type ForwardWorkspace, forwardRaw, slopeFromActivation } from './fused/forward.js';
import { type EvalSet, createEvalSet, evalTrainingLoss } from './network.js';
import { empiricalNtk } from './fused/ntk.js';
import { kernelMotion, outputsToJson, weightMotion } from './observables.js';
import {
  type ParamLayout, type Params, allocParams, cloneParams, packParams, paramLayout, paramNorm,
} from './params.js';
import type { TrainOptions, TrainOutput } from './train.js';
import { DIVERGENCE_FACTOR } from './runDefaults.js';

/** One evaluation set (training, test or minibatch). */
export type Batch = EvalSet;

export interface TrainState {
  readonly arch: Architecture;
  readonly data: Dataset;
  readonly opts: TrainOptions;
  readonly layout: ParamLayout;
  /** Live parameters and their flat vector. */
  readonly theta: Params;
  readonly thetaFlat: Float64Array;
  readonly theta0: Params;
  readonly norm0: { total: number; perLayer: number[] };
  /** Gradient buffers ∂Loss/∂θ. */
  readonly grad: Params;
  readonly gradFlat: Float64Array;
  readonly train: Batch;
  readonly test: Batch;
  /** Train loss above this stops the run (set from the initial loss). */
  lossLimit: number;
  kernel0: Mat | null;
  kernelLast: Mat | null;
  readonly out: Omit<TrainOutput, 'status' | 'message' | 'finalParams' | 'stats'>;
}

export function createTrainState(arch: Architecture, params0: Params, data: Dataset, opts: TrainOptions): TrainState {
  const { params: theta, flat: thetaFlat } = packParams(arch, params0);
  const theta0 = cloneParams(theta);
  const { params: grad, flat: gradFlat } = allocParams(arch);
  const batch = (x: Mat, y: Mat): Batch => createEvalSet(arch, x, y, arch.centred ? forwardRaw(arch, theta0, x) : null);
  return {
    arch, data, opts,
    layout: paramLayout(arch),
    theta, thetaFlat, theta0,
    norm0: paramNorm(theta0),
    grad, gradFlat,
    train: batch(data.x, data.y),
    test: batch(data.xTest, data.yTest),
    lossLimit: Infinity,
    kernel0: null,
    kernelLast: null,
    out: {
      times: [], steps: [], trainLoss: [], testLoss: [], fTrain: [], fTest: [],
      weightMotion: [], weightMotionPerLayer: [],
      ...(opts.recordKernel ? { kernelMotion: [] } : {}),
    },
  };
}

/** Loss of `params` on `b` (f left in b.f); with `grads`, ∂Loss/∂θ into `grads`. */
export function evalLoss(s: TrainState, params: Params, b: Batch, grads: Params | null): number {
  return evalTrainingLoss(s.arch, s.opts.loss, params, b, grads);
}

/**
 * target ← [target +] c · r ⊙ g over the flat vectors, r the per-parameter rates (the
 * first-step rates of ip-llr when `first`).
 */
export function scaleByRates(
  s: TrainState, target: Float64Array, g: Float64Array, c: number, first: boolean, accumulate: boolean,
): void {
  const { arch, layout } = s;
  const fsr = first ? arch.firstStepRates : undefined;
  arch.layers.forEach((lay, l) => {
    const rw = fsr ? fsr.weights[l] : lay.rate;
    axpy(target, g, c * rw, layout.wOffset[l], lay.nIn * lay.nOut, accumulate);
    if (lay.bias) {
      const rb = fsr ? fsr.biases[l] : lay.bias.rate;
      axpy(target, g, c * rb, layout.bOffset[l], lay.nOut, accumulate);
    }
  });
}

/** Vectors at least this long go to the native engine's threads (the same bits). */
const NATIVE_AXPY_MIN = 1 << 15;

function axpy(t: Float64Array, g: Float64Array, c: number, o: number, len: number, acc: boolean): void {
  if (len >= NATIVE_AXPY_MIN && engine() === 'native' && nativeAxpy(t, g, c, o, len, acc)) return;
  const end = o + len;
  if (acc) for (let i = o; i < end; i++) t[i] += c * g[i];
  else for (let i = o; i < end; i++) t[i] = c * g[i];
}

/**
 * Record observables of the live parameters at `step` (time lr·step). `trainLoss`, when given,
 * is the loss of the live parameters already left in `s.train.f` by the caller. `trainForward`,
 * when given, says that `s.train.ws` holds the forward pass of the live parameters on the
 * training inputs, with derivatives (true) or without (false); the empirical NTK then reuses it
 * when that is all its backward passes read (see {@link reusableForward}).
 */
export function recordNow(s: TrainState, step: number, trainLoss?: number, trainForward?: boolean): void {
  const o = s.out;
  const loss = trainLoss ?? evalLoss(s, s.theta, s.train, null);
  const testLoss = evalLoss(s, s.theta, s.test, null);
  o.steps.push(step);
  o.times.push(s.opts.lr * step);
  o.trainLoss.push(loss);
  o.testLoss.push(testLoss);
  o.fTrain.push(outputsToJson(s.train.f));
  o.fTest.push(outputsToJson(s.test.f));
  const wm = weightMotion(s.theta, s.theta0, s.norm0);
  o.weightMotion.push(wm.total);
  o.weightMotionPerLayer.push(wm.perLayer);
  if (o.kernelMotion) {
    const K = empiricalNtk(s.arch, s.theta, s.data.x, undefined, reusableForward(s, trainForward));
    if (!s.kernel0) s.kernel0 = K;
    s.kernelLast = K;
    o.kernelMotion.push(kernelMotion(K, s.kernel0));
  }
}

/**
 * s.train.ws when it holds what backprop needs (`withDerivative` = whether its forward pass kept
 * φ'; ABReLU with b = 1 and a ≥ 0 reads φ' from the activations, so needs none), else undefined.
 */
function reusableForward(s: TrainState, withDerivative: boolean | undefined): ForwardWorkspace | undefined {
  if (withDerivative === undefined || s.train.x !== s.data.x) return undefined;
  return withDerivative || slopeFromActivation(s.arch.activation) ? s.train.ws : undefined;
}

/** Set the divergence threshold from the initial train loss. */
export function setLossLimit(s: TrainState, loss0: number): void {
  const factor = s.opts.divergenceFactor ?? DIVERGENCE_FACTOR;
  s.lossLimit = factor * Math.max(1, Number.isFinite(loss0) ? loss0 : 1);
}

/** A failure outcome when `loss` (at `step`) is NaN or beyond the divergence threshold, else null. */
export function checkHealth(s: TrainState, loss: number, step: number, what = 'train loss'): Outcome | null {
  const at = `at step ${fmt(step)} (time ${fmt(s.opts.lr * step)})`;
  if (Number.isNaN(loss)) return { status: 'nan', message: `${what} is NaN ${at}` };
  if (!(loss <= s.lossLimit)) {
    return {
      status: 'diverged',
      message: `${what} ${fmt(loss)} ${at} exceeds the divergence threshold ${fmt(s.lossLimit)} (= ${s.opts.divergenceFactor ?? DIVERGENCE_FACTOR} × max(1, initial loss))`,
    };
  }
  return null;
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(4);
}

/** The output of a run that ended with `outcome`. */
export function finish(s: TrainState, outcome: Outcome, stats: Record<string, number | string> = {}): TrainOutput {
  const out: TrainOutput = {
    status: outcome.status,
    message: outcome.message,
    ...s.out,
    finalParams: s.theta, // the run is over: its parameters are handed over, not copied (one h² copy less per run)
    stats,
  };
  if (s.kernel0) out.kernelInit = toRows(s.kernel0);
  if (s.kernelLast) out.kernelFinal = toRows(s.kernelLast);
  return out;
}

export { recordSteps } from './schedule.js';

/** Calls `progress` with the fraction done, at most ~200 times over `total` units. */
export function progressReporter(progress: ((f: number) => void) | undefined, total: number): (done: number) => void {
  if (!progress || total <= 0) return () => {};
  let last = -1;
  return (done) => {
    const q = Math.floor((200 * done) / total);
    if (q !== last) {
      last = q;
      progress(Math.min(1, done / total));
    }
  };
}
