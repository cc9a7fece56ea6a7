/**
 * One cell of the integrable-parameterization experiment: a variant (variants.ts) at one width
 * and init seed, trained k steps from its initialization (Hajjar, Chizat, Giraud 2021, arXiv
 * 2110.15596, claim of §4 / theory/ip.md#presets: plain IP with more than four layers starts at a
 * stationary point as h → ∞). Measures, on the training set:
 *
 * - lossChange   = (L_0 − L_k) / L_0, the relative decrease of the training loss after k steps;
 * - outputChange = ‖f_k − f_0‖ / ‖y‖ on the training inputs (how far the function moved);
 * - initOutput   = ‖F_{θ0}(X)‖ / √(nk), the raw initial output (O(h^{−L/2}) for plain IP),
 *   also when the trained function is centred (f = F − F_{θ0}, then f_0 = 0);
 * - learnedFraction = 1 − Σ(f_k − y)² / Σ(y − ȳ)² (MSE): the part of the loss of the best
 *   constant predictor that the network removed after k steps. Removing an O(1) initial output
 *   only brings the loss down to the best constant's (learnedFraction ≤ 0); learning something
 *   of the input makes it positive (theory/ip.md#learned-fraction);
 * - testAccuracy = fraction of test points whose output has the sign of the ±1 label (k = 1),
 *   against chance; for k > 1 outputs, the share whose largest output is the labelled class;
 * - with softmax cross-entropy, learnedFraction = 1 − L_k / H(ȳ) (H(ȳ): the cross-entropy of the
 *   best constant predictor) and the loss decrease is computed from the outputs (classification.ts).
 *
 * Randomness: init from `new Rng(initSeed).child('init')`, SGD batches from `…child('sgd')`
 * (as `widelimit train`), so a cell is reproducible on its own.
 */
import type { Status } from '../../core/errors.js';
import { type Mat, mat } from '../../core/matrix.js';
import { Rng } from '../../core/rng.js';
import type { Dataset } from '../../data/dataset.js';
import type { Activation } from '../../finite/activation.js';
import type { Loss } from '../../finite/loss.js';
import { forwardRaw } from '../../finite/fused/forward.js';
import { initParams } from '../../finite/params.js';
import { trainNetwork } from '../../finite/train.js';
import type { MethodName } from '../../spec/types.js';
import { calibrateFirstStep } from './calibrate.js';
import { argmaxAccuracy, constantCrossEntropy, crossEntropyDecrease } from './classification.js';
import { type IpVariant, variantArchitecture } from './variants.js';
import { DEFAULT_BATCH_SIZE } from '../../finite/runDefaults.js';

export interface IpTraining {
  loss: Loss;
  method: Extract<MethodName, 'gd' | 'sgd'>;
  /** Base rate η (each parameter's step is η r_p ∂Loss/∂θ_p). */
  lr: number;
  /** k: number of steps. */
  steps: number;
  recordEvery: number;
  /** sgd only. */
  batchSize?: number;
  replace?: boolean;
}

export interface IpCellResult {
  variant: string;
  width: number;
  initSeed: number;
  status: Status;
  message: string;
  lossChange: number;
  outputChange: number;
  initOutput: number;
  /** 1 − Σ(f_k − y)²/Σ(y − ȳ)² on the training set (MSE; NaN otherwise). */
  learnedFraction: number;
  /** Sign agreement of f_k with ±1 test labels (one output; NaN otherwise). */
  testAccuracy: number;
  /** The same for f_k − f_0: what was learned once the initial output is removed (theory/ip.md#variants-ce). */
  testAccuracyChange: number;
  /** ip-llr with calibration: the calibrated first-step base rates c_l (input to output). */
  firstStepBaseRates?: number[];
  /** Flow time τ = η · step of each record, and L_t / L_0 there. */
  times: number[];
  lossRatio: number[];
  seconds: number;
}

export interface IpNetwork {
  /** L: hidden layers. */
  depth: number;
  activation: Activation;
  /** Train f = F − F_{θ0} (theory/ip.md#centring). */
  centred: boolean;
}

export function runIpCell(v: IpVariant, width: number, net: IpNetwork, data: Dataset, t: IpTraining, initSeed: number): IpCellResult {
  const t0 = performance.now();
  const lr = v.lr ?? t.lr;
  let arch = variantArchitecture(v, { inputDim: data.x.cols, outputDim: data.y.cols, width, depth: net.depth, activation: net.activation, centred: net.centred });
  const rng = new Rng(initSeed);
  const params0 = initParams(arch, rng.child('init'));
  const F0 = forwardRaw(arch, params0, data.x);
  let firstStepBaseRates: number[] | undefined;
  if (v.parameterization === 'ip-llr' && (v.calibrateFirstStep ?? true)) {
    const B = Math.min(data.x.rows, t.method === 'sgd' ? t.batchSize ?? DEFAULT_BATCH_SIZE : data.x.rows);
    const xB = data.xTest.rows > 0 ? data.xTest : data.x;
    const cal = calibrateFirstStep(arch, params0, t.loss, firstRows(data.x, B), firstRows(data.y, B), xB, lr);
    arch = cal.arch;
    firstStepBaseRates = cal.baseRates;
  }
  const out = trainNetwork(arch, params0, data, {
    loss: t.loss, method: t.method, lr, steps: t.steps, recordEvery: t.recordEvery,
    batchSize: t.batchSize, replace: t.replace, rng: rng.child('sgd'),
  });
  const L = out.trainLoss;
  const last = L.length - 1;
  const f0 = flat(out.fTrain[0]);
  const fk = flat(out.fTrain[last]);
  const y = data.y.data;
  const done = out.status === 'ok' && out.steps[last] === t.steps;
  return {
    variant: v.name, width, initSeed, status: out.status, message: out.message,
    lossChange: done ? lossDecrease(t.loss, arch.alpha, data.y.rows, f0, fk, y, L[0] - L[last]) / L[0] : NaN,
    outputChange: done ? dist(fk, f0) / norm(y) : NaN,
    initOutput: norm(F0.data) / Math.sqrt(F0.data.length),
    learnedFraction: !done ? NaN
      : t.loss.kind === 'mse' ? learnedFraction(fk, y, data.y.cols)
        : t.loss.kind === 'cross-entropy' ? 1 - L[last] / constantCrossEntropy(y, data.y.cols) : NaN,
    testAccuracy: !done || out.fTest.length === 0 ? NaN
      : data.y.cols === 1 ? signAccuracy(flat(out.fTest[last]), data.yTest.data, 1)
        : argmaxAccuracy(flat(out.fTest[last]), data.yTest.data, data.y.cols),
    testAccuracyChange: !done || out.fTest.length === 0 ? NaN : accuracyOf(diff(flat(out.fTest[last]), flat(out.fTest[0])), data.yTest.data, data.y.cols),
    ...(firstStepBaseRates ? { firstStepBaseRates } : {}),
    times: out.times,
    lossRatio: L.map((l) => l / L[0]),
    seconds: (performance.now() - t0) / 1000,
  };
}

/**
 * L_0 − L_k. For MSE from the outputs, (1/(2α²n)) Σ (f_0 − f_k)(f_0 + f_k − 2y), which keeps its
 * relative accuracy when the change is far below the rounding error of L itself (plain IP at
 * h = 1024 moves the loss by ~1e-15 of L_0); other losses: the difference of the recorded losses.
 * n = number of samples (rows); f and y are flattened n × k.
 */
function lossDecrease(loss: Loss, alpha: number, n: number, f0: number[], fk: number[], y: ArrayLike<number>, fallback: number): number {
  if (loss.kind === 'cross-entropy') return crossEntropyDecrease(alpha, n, f0, fk, y);
  if (loss.kind !== 'mse') return fallback;
  let s = 0;
  for (let i = 0; i < f0.length; i++) s += (f0[i] - fk[i]) * (f0[i] + fk[i] - 2 * y[i]);
  return s / (2 * alpha * alpha * n);
}

/** 1 − Σ(f − y)²/Σ(y − ȳ)², ȳ the mean of each output column over the n rows (k columns). */
export function learnedFraction(f: ArrayLike<number>, y: ArrayLike<number>, k: number): number {
  const n = y.length / k;
  const mean = new Float64Array(k);
  for (let i = 0; i < y.length; i++) mean[i % k] += y[i] / n;
  let res = 0, tot = 0;
  for (let i = 0; i < y.length; i++) {
    res += (f[i] - y[i]) ** 2;
    tot += (y[i] - mean[i % k]) ** 2;
  }
  return tot > 0 ? 1 - res / tot : NaN;
}

/** Fraction of rows where sign f = sign y (one output column and ±1 labels; NaN otherwise). */
export function signAccuracy(f: ArrayLike<number>, y: ArrayLike<number>, k: number): number {
  if (k !== 1 || y.length === 0) return NaN;
  let hit = 0;
  for (let i = 0; i < y.length; i++) if (Math.sign(f[i]) === Math.sign(y[i]) && y[i] !== 0) hit++;
  return hit / y.length;
}

function accuracyOf(f: number[], y: ArrayLike<number>, k: number): number {
  return k === 1 ? signAccuracy(f, y, 1) : argmaxAccuracy(f, y, k);
}

function diff(a: number[], b: number[]): number[] {
  return a.map((v, i) => v - b[i]);
}

function firstRows(m: Mat, r: number): Mat {
  return mat(r, m.cols, m.data.slice(0, r * m.cols));
}

function flat(o: number[] | number[][]): number[] {
  return (o as (number | number[])[]).flatMap((v) => (Array.isArray(v) ? v : [v]));
}

function norm(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

function dist(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}
