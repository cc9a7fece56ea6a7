/**
 * One run of the θ phase diagram: the two-layer `theta` network (Luo et al. 2021, JMLR 22:71,
 * Eq. (2); exponents.ts) at width m and point (γ, γ'), trained by gradient flow on MSE until the
 * loss falls to stopLossRatio × L(0) (or T_max = horizon · n/λ_min(Θ̂_0)), and what the diagram
 * measures on it (theory/theta.md#rules):
 *
 * - RD(θ_w) = ‖w_T − w_0‖/‖w_0‖ of the input weights (Luo et al.'s order parameter), and the same
 *   for the output weights and all parameters (the trainer's weight motion);
 * - the loss curve, and the frozen-kernel prediction from the network's own empirical NTK at
 *   initialization (frozenRate.ts): the times t_meas and t_frozen at which the measured and the
 *   predicted loss reach rateLevel × L(0), their ratio, and the largest |ln L − ln L_frozen| before
 *   t_meas.
 */
import type { Status } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { parseActivation } from '../../finite/activation.js';
import { makeLoss } from '../../finite/loss.js';
import { empiricalNtk } from '../../finite/fused/ntk.js';
import { kernelMotion } from '../../finite/observables.js';
import { buildArchitecture } from '../../finite/parameterization.js';
import { initParams } from '../../finite/params.js';
import { createNetwork } from '../../finite/network.js';
import type { ThetaExponents } from '../../finite/parameterization.js';
import type { Spec } from '../../spec/types.js';
import { scanDataset } from '../geiger/cell.js';
import { firstTimeBelow, logTimes } from '../geiger/curves.js';
import { stoppedFlow } from '../geiger/stoppedFlow.js';
import { effectiveDirections } from './condensation.js';
import { type ThetaPoint, predictedRdExponent } from './exponents.js';
import { frozenLoss, frozenSpectrum, frozenTimeTo } from './frozenRate.js';
import { boundRatio, slowMotion } from './slowKernel.js';
import { type FeedCell, feedOf } from './feedCell.js';
import type { Mat } from '../../core/matrix.js';

export interface ThetaCellTask {
  spec: Spec;
  baseDir: string;
  width: number;
  point: ThetaPoint;
  exponents: ThetaExponents;
  /** Seed index (init seed spec.seed + seed). */
  seed: number;
  tolerance: number;
  stopLossRatio: number;
  horizon: number;
  savesPerDecade: number;
  rateLevel: number;
  /** Hidden layers (default 1: the two-layer network; theory/theta.md#multilayer). */
  depth?: number;
  /** Also measure the input layer's effective number of directions at init and at the stop (condensation.ts). */
  orientations?: boolean;
  /** Also measure the theorem's bound ratio and the kernel's motion on its slow subspace (slowKernel.ts). */
  slowKernel?: boolean;
  /** Also record the kernel at every save time and predict the rate error to first order in its motion (feedCell.ts). */
  feed?: boolean;
}

export interface ThetaCell extends Partial<FeedCell> {
  width: number;
  point: ThetaPoint;
  seed: number;
  initSeed: number;
  status: Status;
  message: string;
  /** RD of the input weights w, of the output weights a, and of all parameters, at the end. */
  rdInput: number;
  rdOutput: number;
  rdAll: number;
  kernelMotion: number;
  /** Time the loss reached stopLossRatio · L(0) (NaN if not by T_max). */
  stopTime: number;
  /** λ_min, λ_max of Θ̂_0 on the training inputs. */
  lambdaMin: number;
  lambdaMax: number;
  /** Times to reach rateLevel · L(0): measured, frozen-kernel prediction, and t_frozen/t_meas. */
  tMeasured: number;
  tFrozen: number;
  rateRatio: number;
  /** max |ln L(t) − ln L_frozen(t)| over the records with t ≤ t_meas. */
  maxLogDeviation: number;
  times: number[];
  lossRatio: number[];
  frozenRatio: number[];
  evaluations: number;
  seconds: number;
  /** With `orientations`: N_eff of the input layer's rows at init and at the stop (condensation.ts). */
  directionsInit?: number;
  directionsFinal?: number;
  /** With `orientations` and depth ≥ 2: the same for the last hidden layer's rows W^[L] (in R^m). */
  hiddenDirectionsInit?: number;
  hiddenDirectionsFinal?: number;
  /** With `slowKernel` (slowKernel.ts): the loss's worst exponential rate over 2λ_min(Θ̂_0)/n, the same for the
   * frozen curve, and the kernel's relative motion on its slow subspace (|S| modes), λ_min(Θ_T)/λ_min(Θ̂_0). */
  boundRatio?: number;
  boundRatioFrozen?: number;
  slowModes?: number;
  slowMotion?: number;
  lambdaMinRatio?: number;
}

export function runThetaCell(task: ThetaCellTask): ThetaCell {
  const t0 = performance.now();
  const { spec, width: m, point } = task;
  const data = scanDataset(spec, task.baseDir);
  const arch = buildArchitecture({
    inputDim: data.x.cols, outputDim: 1, width: m, depth: task.depth ?? 1,
    activation: parseActivation(spec.model.activation, 'model.activation'),
    parameterization: 'theta', theta: task.exponents,
  });
  const initSeed = spec.seed + task.seed;
  const params0 = initParams(arch, new Rng(initSeed).child('init'));
  const n = data.x.rows;
  const K0 = empiricalNtk(arch, params0, data.x);
  // Expected relative motion of the normalized parameters: scale the tolerance with it (stoppedFlow.ts).
  const motion = Math.min(1, Math.max(1e-3, Math.pow(m, predictedRdExponent(point))));
  const f0 = createNetwork(arch, params0).outputs(data.x).data;
  const r0 = Float64Array.from(f0, (v, i) => v - data.y.data[i]);
  const sp = frozenSpectrum(K0, r0);
  const lamMin = Math.max(sp.lambda[0], 1e-300), lamMax = sp.lambda[n - 1];
  const saveTimes = logTimes(1e-2 * n / lamMax, task.horizon * n / lamMin, task.savesPerDecade);
  const feedTimes = [0], feedKernels = [K0];
  const onRecord = (t: number, p: typeof params0) => { if (t > feedTimes[feedTimes.length - 1]) { feedTimes.push(t); feedKernels.push(empiricalNtk(arch, p, data.x)); } };
  const run = stoppedFlow(arch, params0, data, {
    loss: makeLoss('mse'), saveTimes, stop: { kind: 'loss-ratio', ratio: task.stopLossRatio },
    tolerance: task.tolerance * motion, h0: 1e-3 * n / lamMax, ...(task.feed ? { onRecord } : {}),
  });
  const out = run.out;
  const last = out.weightMotionPerLayer[out.weightMotionPerLayer.length - 1];
  const lossRatio = out.trainLoss.map((l) => l / run.loss0);
  const L0f = frozenLoss(sp, 0);
  const frozenRatio = out.times.map((t) => frozenLoss(sp, t) / L0f);
  const tMeasured = firstTimeBelow(out.times, lossRatio, task.rateLevel);
  const tFrozen = frozenTimeTo(sp, task.rateLevel);
  let dev = 0;
  out.times.forEach((t, i) => {
    if (t <= tMeasured && lossRatio[i] > 0 && frozenRatio[i] > 0) dev = Math.max(dev, Math.abs(Math.log(lossRatio[i]) - Math.log(frozenRatio[i])));
  });
  const L = task.depth ?? 1;
  const orient = !task.orientations ? {} : {
    directionsInit: effectiveDirections(params0.W[0]), directionsFinal: effectiveDirections(out.finalParams.W[0]),
    // the last hidden layer's rows (in R^m) when there is one besides the input layer
    ...(L >= 2 ? { hiddenDirectionsInit: effectiveDirections(params0.W[L - 1]), hiddenDirectionsFinal: effectiveDirections(out.finalParams.W[L - 1]) } : {}),
  };
  const KT = empiricalNtk(arch, out.finalParams, data.x);
  const slow = !task.slowKernel ? {} : slowKernelOf(K0, KT, tFrozen, out.times, lossRatio, frozenRatio, lamMin);
  const feed = task.feed && Number.isFinite(tFrozen) ? feedOf(feedTimes, feedKernels, r0, tFrozen, task.rateLevel, out.times, lossRatio, sp) : {};
  return {
    width: m, point, seed: task.seed, initSeed, status: out.status, message: out.message,
    rdInput: last[0], rdOutput: last[last.length - 1], rdAll: out.weightMotion[out.weightMotion.length - 1],
    kernelMotion: kernelMotion(KT, K0),
    stopTime: run.stopTime, lambdaMin: lamMin, lambdaMax: lamMax,
    tMeasured, tFrozen, rateRatio: tFrozen / tMeasured,
    maxLogDeviation: Number.isFinite(tMeasured) ? dev : NaN,
    times: out.times, lossRatio, frozenRatio,
    evaluations: Number(run.stats.evaluations ?? 0),
    seconds: (performance.now() - t0) / 1000,
    ...orient, ...slow, ...feed,
  };
}

function slowKernelOf(K0: Mat, KT: Mat, tFrozen: number, times: number[], lossRatio: number[], frozenRatio: number[], lamMin: number) {
  const n = K0.rows, tEnd = times.length ? times[times.length - 1] : NaN;
  const s = slowMotion(K0, KT, tFrozen);
  return {
    boundRatio: boundRatio(times, lossRatio, tEnd, lamMin, n), boundRatioFrozen: boundRatio(times, frozenRatio, tEnd, lamMin, n),
    slowModes: s.modes, slowMotion: s.motion, lambdaMinRatio: s.lambdaMinRatio,
  };
}
