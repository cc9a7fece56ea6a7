/**
 * One (width, seed) cell of a sweep: train the finite network, run the limit path-wise from the
 * same initial function where the limit allows it, and measure the distances of theory/harness.md#metrics
 * (theory/harness.md#cells).
 *
 * - a path-wise limit (NTK): the limit starts from the finite network's own f_0 on train and test
 *   inputs (theory/ntk.md#dynamics, "path-wise comparison"), so the distance measures only the finite-width
 *   dynamics, not the O(1) randomness of f_0; the network's initial kernel is recorded and compared
 *   with the limit's kernel when it has one;
 * - otherwise (mean-field, deep-linear): the limit is the shared deterministic reference of the
 *   sweep (computed once, passed in the task), since their f_0 vanishes as the width grows.
 * Which is which is the registered limit's `pathwise` (src/limits/registry.ts).
 *
 * Runs in a worker thread (worker.ts) or in-process; never throws for a numerical failure or a
 * bug inside the run: the cell comes back with a status and a message.
 */
import type { Status } from '../core/errors.js';
import { type Mat, mat } from '../core/matrix.js';
import type { Dataset } from '../data/dataset.js';
import type { Outputs, RunResult } from '../spec/result.js';
import type { Spec } from '../spec/types.js';
import { type PreparedLimit, getLimit, loadData, runTrain } from './deps.js';
import {
  absDifference, flattenMatrix, flattenOutputs, lastOf, relativeFrobenius, resample, resampleOutputs,
  sameTimes, scaledDistance, supOf,
} from './metrics.js';
import type { CellCurves, CellRecord, Reference } from './types.js';

/** What a worker receives: everything needed to run one cell, as structured-cloneable data. */
export interface CellTask {
  spec: Spec;
  specHash: string;
  width: number;
  /** Seed index 0..S−1 (the init seed is spec.seed + seed). */
  seed: number;
  reference: Reference;
  /** Folder that relative data paths are resolved against. */
  baseDir?: string;
  /** Modules that register plug-in limits (src/limits/registry.ts): a worker imports them before the cell. */
  limitModules?: string[];
}

/** Per-thread cache of what all cells of one spec share: the data set and the prepared path-wise limit. */
export class CellCache {
  private key = '';
  private data: Dataset | null = null;
  private limit: PreparedLimit | null = null;

  private reset(task: CellTask): void {
    if (this.key !== task.specHash) {
      this.key = task.specHash;
      this.data = null;
      this.limit = null;
    }
  }

  dataset(task: CellTask): Dataset {
    this.reset(task);
    this.data ??= loadData(task.spec.data, task.baseDir);
    return this.data;
  }

  limitModel(task: CellTask): PreparedLimit {
    this.reset(task);
    this.limit ??= getLimit(task.reference.limit).prepare(task.spec, this.dataset(task), { baseDir: task.baseDir });
    return this.limit;
  }
}

/** The spec of one cell: width h, init seed spec.seed + s, kernel recorded for a path-wise limit's kernel metrics. */
export function cellSpec(spec: Spec, width: number, seed: number, recordKernel: boolean): Spec {
  return {
    ...spec,
    model: { ...spec.model, width },
    training: { ...spec.training, recordKernel: spec.training.recordKernel || recordKernel },
    seed: spec.seed + seed,
  };
}

/** Limit curves on the limit's own times, flattened. */
interface LimitCurves {
  status: Status;
  message: string;
  times: number[];
  trainLoss: number[];
  testLoss: number[];
  fTrain: ArrayLike<number>[];
  fTest: ArrayLike<number>[];
}

/** Run one cell. Never throws: an exception inside becomes status 'failed'. */
export function runCell(task: CellTask, cache: CellCache): CellRecord {
  const t0 = performance.now();
  try {
    return measureCell(task, cache, t0);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return emptyCell(task, 'failed', `cell w${task.width}-s${task.seed} threw: ${msg}`, t0);
  }
}

function measureCell(task: CellTask, cache: CellCache, t0: number): CellRecord {
  const { spec, width, seed, reference } = task;
  const pathwise = getLimit(reference.limit).pathwise;
  const data = cache.dataset(task);
  const initSeed = spec.seed + seed;
  const r = runTrain(cellSpec(spec, width, seed, pathwise), { width, seed: initSeed, dataset: data }).result;
  if (r.times.length === 0) return emptyCell(task, r.status === 'ok' ? 'failed' : r.status, r.message || 'the finite run recorded nothing', t0);

  const n = data.x.rows;
  const nTest = data.xTest.rows;
  let lim: LimitCurves;
  let kernelInit = NaN;
  if (pathwise) {
    const model = cache.limitModel(task);
    const f0 = { train: toMat(r.fTrain[0], n), test: toMat(r.fTest[0], nTest) };
    lim = fromRunResult(model.run(f0));
    if (r.kernelInit && model.kernelTrain) kernelInit = kernelDistance(flattenMatrix(r.kernelInit), model.kernelTrain);
  } else {
    lim = { ...reference, fTrain: reference.fTrain, fTest: reference.fTest };
  }

  const t = r.times;
  const { fTrainLim, fTestLim, limTrainLoss, limTestLoss } = limitAtTimes(lim, t);

  const fTrain = r.fTrain.map(flattenOutputs);
  const fTest = r.fTest.map(flattenOutputs);
  const fTrainDev = fTrain.map((f, i) => scaledDistance(f, fTrainLim[i], n));
  const fTestDev = fTest.map((f, i) => scaledDistance(f, fTestLim[i], nTest));
  const last = t.length - 1;

  // Centred learned function (theory/harness.md#seed-variance).
  const fTestFinal = Array.from(fTest[last]);
  let fTestCentred = fTestFinal;
  if (pathwise) {
    const mu = resampleOutputs(reference.times, reference.fTest, [t[last]])[0];
    fTestCentred = fTestFinal.map((v, i) => v - fTestLim[last][i] + mu[i]);
  }

  const curves: CellCurves = {
    times: t,
    trainLoss: r.trainLoss,
    testLoss: r.testLoss,
    ...(pathwise ? { limitTrainLoss: limTrainLoss, limitTestLoss: limTestLoss } : {}),
    fTrainDev,
    fTestDev,
    ...(r.weightMotion ? { weightMotion: r.weightMotion } : {}),
    ...(r.kernelMotion ? { kernelMotion: r.kernelMotion } : {}),
  };
  const kernelMotion = r.kernelMotion
    ? lastOf(r.kernelMotion)
    : r.kernelInit && r.kernelFinal
      ? relativeFrobenius(flattenMatrix(r.kernelFinal), flattenMatrix(r.kernelInit))
      : NaN;
  const metrics: Record<string, number> = {
    fTrainSup: supOf(fTrainDev),
    fTestSup: supOf(fTestDev),
    lossSup: supOf(absDifference(r.trainLoss, limTrainLoss)),
    kernelInit,
    kernelMotion,
    weightMotion: lastOf(r.weightMotion),
  };
  const [status, message] = combineStatus(r, lim);
  return {
    format: 'widelimit-cell/1',
    specHash: task.specHash,
    width,
    seed,
    initSeed,
    status,
    message,
    metrics,
    curves,
    fTestFinal,
    fTestCentred,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** The limit on the finite run's record times `t` (a copy when the grids agree, as they should). */
function limitAtTimes(lim: LimitCurves, t: number[]) {
  const same = sameTimes(t, lim.times);
  return {
    fTrainLim: same ? lim.fTrain : resampleOutputs(lim.times, lim.fTrain, t),
    fTestLim: same ? lim.fTest : resampleOutputs(lim.times, lim.fTest, t),
    limTrainLoss: same ? lim.trainLoss : resample(lim.times, lim.trainLoss, t),
    limTestLoss: same ? lim.testLoss : resample(lim.times, lim.testLoss, t),
  };
}

/**
 * ‖Θ̂_0 − Θ‖_F/‖Θ‖_F. The empirical kernel of k > 1 outputs is (n·k)×(n·k) with index i·k + a
 * (src/finite/fused/ntk.ts); the analytic one is n×n times the identity over outputs, expanded here.
 */
export function kernelDistance(empirical: Float64Array, analytic: Mat): number {
  const n = analytic.rows;
  if (empirical.length === n * n) return relativeFrobenius(empirical, analytic.data);
  const k = Math.round(Math.sqrt(empirical.length) / n);
  if (k * k * n * n !== empirical.length) return NaN;
  const full = new Float64Array(empirical.length);
  const N = n * k;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      for (let a = 0; a < k; a++) full[(i * k + a) * N + j * k + a] = analytic.data[i * n + j];
  return relativeFrobenius(empirical, full);
}

function combineStatus(r: RunResult, lim: LimitCurves): [Status, string] {
  if (r.status !== 'ok') return [r.status, `finite run: ${r.message}`];
  if (lim.status !== 'ok') return [lim.status, `limit: ${lim.message}`];
  return ['ok', ''];
}

function fromRunResult(r: RunResult): LimitCurves {
  return {
    status: r.status,
    message: r.message,
    times: r.times,
    trainLoss: r.trainLoss,
    testLoss: r.testLoss,
    fTrain: r.fTrain.map(flattenOutputs),
    fTest: r.fTest.map(flattenOutputs),
  };
}

/** Outputs of n points as an n×k matrix. */
export function toMat(o: Outputs, n: number): Mat {
  const flat = flattenOutputs(o);
  return mat(n, n === 0 ? 0 : flat.length / n, flat);
}

function emptyCell(task: CellTask, status: Status, message: string, t0: number): CellRecord {
  const metrics: Record<string, number> = {};
  for (const m of ['fTrainSup', 'fTestSup', 'lossSup', 'kernelInit', 'kernelMotion', 'weightMotion']) metrics[m] = NaN;
  return {
    format: 'widelimit-cell/1',
    specHash: task.specHash,
    width: task.width,
    seed: task.seed,
    initSeed: task.spec.seed + task.seed,
    status,
    message,
    metrics,
    curves: { times: [], trainLoss: [], testLoss: [], fTrainDev: [], fTestDev: [] },
    fTestFinal: [],
    fTestCentred: [],
    seconds: (performance.now() - t0) / 1000,
  };
}
