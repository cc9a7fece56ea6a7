/**
 * IP-LLR against the modification of μP it is equivalent to (Hajjar, Chizat, Giraud 2021, arXiv
 * 2110.15596, §4; theory/ip.md#llr-mup). One cell = one width and init seed; three networks from
 * the same Gaussian draw U (`new Rng(initSeed).child('init')`, the ip-llr preset's shapes):
 *
 * - `ipLlr`: IP-LLR, first step with the calibrated first-step rates (calibrate.ts), then the ip rates;
 * - `muPMod`: μP written with the ip multipliers (intermediate weights V = √h U, so the
 *   intermediate pre-activations are (1/√h) U x at init), first step with the ip-llr first-step
 *   rates divided by h^{e_l} (e = (L−1)/2 first and last, (L−2)/2 intermediate), then the
 *   intermediate initial weights √h U are removed and the ip rates apply — the modified μP;
 * - `muP`: the same μP without the removal (the control).
 *
 * The first step is taken here, on the first `batch` training rows (the calibration batch); the
 * remaining k − 1 SGD steps by `trainNetwork` with the same batch stream `…child('sgd')` for the
 * three networks. Records the gaps between the trajectories at every step t = 1..k.
 */
import { type Mat, mat } from '../../core/matrix.js';
import { Rng } from '../../core/rng.js';
import type { Dataset } from '../../data/dataset.js';
import type { Architecture } from '../../finite/architecture.js';
import { createEvalSet, evalTrainingLoss } from '../../finite/network.js';
import { type Params, allocParams, cloneParams, initParams } from '../../finite/params.js';
import { type TrainOutput, trainNetwork } from '../../finite/train.js';
import { DEFAULT_BATCH_SIZE } from '../../finite/runDefaults.js';
import { calibrateFirstStep } from './calibrate.js';
import type { IpNetwork, IpTraining } from './cell.js';
import { argmaxAccuracy } from './classification.js';
import { variantArchitecture } from './variants.js';

export interface LlrMupCellResult {
  width: number;
  initSeed: number;
  status: 'ok' | 'failed';
  message: string;
  /** max over t = 1..k of ‖f_ipLlr(t) − f_other(t)‖ / ‖f_other(t)‖ on the training / test inputs. */
  outputGapTrain: number;
  outputGapTest: number;
  /** max over t of |L_ipLlr(t) − L_other(t)| / L_other(t), training and test loss. */
  lossGapTrain: number;
  lossGapTest: number;
  /** The same against unmodified μP (the control). */
  controlOutputGapTrain: number;
  controlOutputGapTest: number;
  /** ‖f_ipLlr − f_muPMod‖/‖f_muPMod‖ after the first step and after the last (training / test inputs). */
  outputGapFirst: { train: number; test: number };
  outputGapLast: { train: number; test: number };
  /** Test accuracy after k steps. */
  testAccuracy: { ipLlr: number; muPMod: number; muP: number };
  seconds: number;
}

/** e_l: IP-LLR's first-step rate of layer l is h^{e_l} times μP's (theory/ip.md#llr-mup). */
export function firstStepExcess(L: number, l: number): number {
  return l === 0 || l === L ? (L - 1) / 2 : (L - 2) / 2;
}

/** One step θ ← θ − lr · r_l ∇_l Loss on (x, y), r_l = `rates.weights[l]` (`rates.biases[l]`), in place. */
export function manualStep(arch: Architecture, p: Params, loss: IpTraining['loss'], x: Mat, y: Mat, lr: number,
  rates: { weights: readonly number[]; biases: readonly number[] }): void {
  const { params: g } = allocParams(arch);
  evalTrainingLoss(arch, loss, p, createEvalSet(arch, x, y, null), g);
  arch.layers.forEach((_, l) => {
    const w = p.W[l].data, gw = g.W[l].data, cw = lr * rates.weights[l];
    for (let i = 0; i < w.length; i++) w[i] -= cw * gw[i];
    const b = p.b[l], gb = g.b[l];
    if (b && gb) for (let i = 0; i < b.length; i++) b[i] -= lr * rates.biases[l] * gb[i];
  });
}

/** The three networks' parameters after the first step (and the architecture they train with afterwards). */
export function firstSteps(width: number, net: IpNetwork, data: Dataset, t: IpTraining, initSeed: number) {
  const L = net.depth;
  const arch0 = variantArchitecture({ name: 'ipLlr', parameterization: 'ip-llr' },
    { inputDim: data.x.cols, outputDim: data.y.cols, width, depth: L, activation: net.activation, centred: false });
  const U = initParams(arch0, new Rng(initSeed).child('init'));
  const B = Math.min(data.x.rows, t.method === 'sgd' ? t.batchSize ?? DEFAULT_BATCH_SIZE : data.x.rows);
  const xA = firstRows(data.x, B), yA = firstRows(data.y, B);
  const cal = calibrateFirstStep(arch0, U, t.loss, xA, yA, data.xTest.rows > 0 ? data.xTest : data.x, t.lr);
  const fsr = cal.arch.firstStepRates!;
  const { firstStepRates: _drop, ...plain } = cal.arch;
  const arch: Architecture = plain;
  const ipLlr = cloneParams(U);
  manualStep(arch, ipLlr, t.loss, xA, yA, t.lr, fsr);
  const V0 = cloneParams(U);
  for (let l = 1; l < L; l++) V0.W[l].data.forEach((v, i, a) => { a[i] = v * Math.sqrt(width); });
  const scale = (r: readonly number[]) => r.map((v, l) => v * Math.pow(width, -firstStepExcess(L, l)));
  const muP = cloneParams(V0);
  manualStep(arch, muP, t.loss, xA, yA, t.lr, { weights: scale(fsr.weights), biases: scale(fsr.biases) });
  const muPMod = cloneParams(muP);
  for (let l = 1; l < L; l++) {
    const w = muPMod.W[l].data, w0 = V0.W[l].data;
    for (let i = 0; i < w.length; i++) w[i] -= w0[i];
  }
  return { arch, ipLlr, muPMod, muP, baseRates: cal.baseRates };
}

export function runLlrMupCell(width: number, net: IpNetwork, data: Dataset, t: IpTraining, initSeed: number): LlrMupCellResult {
  const t0 = performance.now();
  const s = firstSteps(width, net, data, t, initSeed);
  const train = (p: Params) => trainNetwork(s.arch, p, data, {
    loss: t.loss, method: t.method, lr: t.lr, steps: t.steps - 1, recordEvery: 1,
    batchSize: t.batchSize, replace: t.replace, rng: new Rng(initSeed).child('sgd'),
  });
  const ip = train(s.ipLlr), mod = train(s.muPMod), mu = train(s.muP);
  const bad = [ip, mod, mu].find((o) => o.status !== 'ok');
  const k = data.y.cols;
  const acc = (o: TrainOutput) => (o.status === 'ok' ? argmaxAccuracy(flat(o.fTest[o.fTest.length - 1]), data.yTest.data, k) : NaN);
  const ok = !bad;
  return {
    width, initSeed, status: ok ? 'ok' : 'failed', message: bad ? bad.message : '',
    outputGapTrain: ok ? maxGap(ip.fTrain, mod.fTrain) : NaN,
    outputGapTest: ok ? maxGap(ip.fTest, mod.fTest) : NaN,
    lossGapTrain: ok ? maxRel(ip.trainLoss, mod.trainLoss) : NaN,
    lossGapTest: ok ? maxRel(ip.testLoss, mod.testLoss) : NaN,
    controlOutputGapTrain: ok ? maxGap(ip.fTrain, mu.fTrain) : NaN,
    controlOutputGapTest: ok ? maxGap(ip.fTest, mu.fTest) : NaN,
    outputGapFirst: { train: ok ? gapAt(ip.fTrain, mod.fTrain, 0) : NaN, test: ok ? gapAt(ip.fTest, mod.fTest, 0) : NaN },
    outputGapLast: { train: ok ? gapAt(ip.fTrain, mod.fTrain, -1) : NaN, test: ok ? gapAt(ip.fTest, mod.fTest, -1) : NaN },
    testAccuracy: { ipLlr: acc(ip), muPMod: acc(mod), muP: acc(mu) },
    seconds: (performance.now() - t0) / 1000,
  };
}

type Outputs = TrainOutput['fTrain'][number];

/** max over records of ‖a_t − b_t‖ / ‖b_t‖. */
function maxGap(a: Outputs[], b: Outputs[]): number {
  let m = 0;
  for (let r = 0; r < a.length; r++) m = Math.max(m, gapAt(a, b, r));
  return m;
}

/** ‖a_r − b_r‖ / ‖b_r‖ at record r (negative: from the end). */
function gapAt(a: Outputs[], b: Outputs[], r: number): number {
  const i0 = r < 0 ? a.length + r : r;
  const x = flat(a[i0]), y = flat(b[i0]);
  let d = 0, n = 0;
  for (let i = 0; i < x.length; i++) {
    d += (x[i] - y[i]) ** 2;
    n += y[i] * y[i];
  }
  return Math.sqrt(d / n);
}

function maxRel(a: number[], b: number[]): number {
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]) / Math.abs(b[i])), 0);
}

function firstRows(m: Mat, r: number): Mat {
  return mat(r, m.cols, m.data.slice(0, r * m.cols));
}

function flat(o: Outputs): number[] {
  return (o as (number | number[])[]).flatMap((v) => (Array.isArray(v) ? v : [v]));
}
