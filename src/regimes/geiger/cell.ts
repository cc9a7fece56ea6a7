/**
 * One run of the Geiger α-scan: a `geiger` network (NTK multipliers 1/√n_in, centred output
 * f̃ = α(F − F_0), loss Σℓ(f̃, y)/(α² n); Geiger, Spigler, Jacot, Wyart 2020, arXiv 1906.08034,
 * §2; theory/geiger.md#model) at width h and scale α, trained by gradient flow until the stop rule holds
 * (stoppedFlow.ts), and what the scan measures on it (theory/geiger.md#measurements):
 *
 * - kernel motion ‖Θ̂_T − Θ̂_0‖_F/‖Θ̂_0‖_F of the empirical NTK of F on the training inputs,
 *   T the stop time (or T_max);
 * - weight motion ‖θ_T − θ_0‖/‖θ_0‖;
 * - t_1: the first time the train loss is ≤ t1Fraction · its initial value (curves.ts);
 * - the loss curve L(t)/L(0) at log-spaced times, the final f̃ on the test inputs (for the seed
 *   variance) and the train/test classification errors (sign f̃ ≠ y).
 *
 * Randomness: the initial weights come from `new Rng(spec.seed + seed).child('init')`, as in
 * `widelimit train`; the same seed gives the same θ_0 at every α of a width (common random
 * numbers along the α axis).
 */
import type { Status } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import type { Dataset } from '../../data/dataset.js';
import { loadData } from '../../data/load.js';
import { parseActivation } from '../../finite/activation.js';
import { makeLoss } from '../../finite/loss.js';
import { empiricalNtk } from '../../finite/fused/ntk.js';
import { kernelMotion } from '../../finite/observables.js';
import { buildArchitecture } from '../../finite/parameterization.js';
import { initParams } from '../../finite/params.js';
import type { Spec } from '../../spec/types.js';
import { firstTimeBelow, logTimes } from './curves.js';
import { type StopRule, stoppedFlow } from './stoppedFlow.js';

/** Everything one run needs (structured-cloneable, for worker threads). */
export interface GeigerCellTask {
  spec: Spec;
  baseDir: string;
  width: number;
  alpha: number;
  /** Seed index 0..S−1 (init seed spec.seed + seed). */
  seed: number;
  tolerance: number;
  maxTime: number;
  savesPerDecade: number;
  stop: StopRule;
  t1Fraction: number;
}

export interface GeigerCell {
  width: number;
  alpha: number;
  /** √h · α. */
  sqrtHAlpha: number;
  seed: number;
  initSeed: number;
  status: Status;
  message: string;
  kernelMotion: number;
  weightMotion: number;
  /** Flow time at which the stop rule held (NaN if it never did). */
  stopTime: number;
  t1: number;
  /** Train loss at t = 0 (soft hinge: ≈ log(1+e^β)/(β α²)). */
  loss0: number;
  /** Record times (flow time) and L(t)/L(0) (train and test). */
  times: number[];
  lossRatio: number[];
  testLossRatio: number[];
  /** f̃ on the test inputs at the end (nTest values). */
  fTestFinal: number[];
  trainError: number;
  testError: number;
  evaluations: number;
  seconds: number;
}

const datasets = new Map<string, Dataset>();

/** The data set of `spec` (cached per thread: every run of a scan shares it). */
export function scanDataset(spec: Spec, baseDir: string): Dataset {
  const key = JSON.stringify([spec.data, baseDir]);
  let d = datasets.get(key);
  if (!d) {
    d = loadData(spec.data, baseDir);
    datasets.clear();
    datasets.set(key, d);
  }
  return d;
}

/** Train and measure one (width, α, seed) run. Never throws for a numerical failure. */
export function runGeigerCell(task: GeigerCellTask): GeigerCell {
  const t0 = performance.now();
  const { spec, width: h, alpha } = task;
  const data = scanDataset(spec, task.baseDir);
  const m = spec.model;
  const arch = buildArchitecture({
    inputDim: data.x.cols, outputDim: 1, width: h, depth: m.depth,
    activation: parseActivation(m.activation, 'model.activation'),
    parameterization: 'geiger', weightStd: m.weightStd, alpha, centred: true,
  });
  const initSeed = spec.seed + task.seed;
  const params0 = initParams(arch, new Rng(initSeed).child('init'));
  const s = Math.sqrt(h) * alpha;
  // Feature-regime dynamics run on the time scale √hα (theory/geiger.md#integration).
  const tLo = 1e-3 * Math.min(1, s);
  const saveTimes = logTimes(tLo, task.maxTime, task.savesPerDecade);
  const run = stoppedFlow(arch, params0, data, {
    loss: makeLoss(spec.training.loss, spec.training.softHingeBeta),
    saveTimes, stop: task.stop,
    tolerance: task.tolerance * Math.min(1, 1 / s),
    h0: 0.1 * tLo,
  });
  const out = run.out;
  const K0 = empiricalNtk(arch, params0, data.x);
  const KT = empiricalNtk(arch, out.finalParams, data.x);
  const ratio = (v: number[]) => v.map((x) => x / run.loss0);
  const lossRatio = ratio(out.trainLoss);
  const last = <T>(a: T[]) => a[a.length - 1];
  const fTest = last(out.fTest) as number[];
  const fTrain = last(out.fTrain) as number[];
  return {
    width: h, alpha, sqrtHAlpha: s, seed: task.seed, initSeed,
    status: out.status, message: out.message,
    kernelMotion: kernelMotion(KT, K0),
    weightMotion: last(out.weightMotion),
    stopTime: run.stopTime,
    t1: firstTimeBelow(out.times, lossRatio, task.t1Fraction),
    loss0: run.loss0,
    times: out.times,
    lossRatio,
    testLossRatio: out.testLoss.map((x) => x / out.testLoss[0]),
    fTestFinal: fTest,
    trainError: signError(fTrain, data.y.data),
    testError: signError(fTest, data.yTest.data),
    evaluations: Number(run.stats.evaluations ?? 0),
    seconds: (performance.now() - t0) / 1000,
  };
}

/** Fraction of points with f·y ≤ 0. */
function signError(f: readonly number[], y: ArrayLike<number>): number {
  if (f.length === 0) return NaN;
  let e = 0;
  for (let i = 0; i < f.length; i++) if (!(f[i] * y[i] > 0)) e++;
  return e / f.length;
}
