/**
 * Finite deep linear networks against the deep-linear limit (theory/harness.md#metrics, theory/deeplinear.md#finite-checks;
 * theory/deeplinear.md#finite-checks): train networks of several widths and seeds with the exact
 * same gradient-descent steps as the recursion, and return long-format records.
 *
 * - Plain networks: the project's trainer (`runTrain`) with the `meanfield` (μP) or `ntk`
 *   parameterization, identity activation, weightStd 1 — that is the model of theory/deeplinear.md#single-site.
 * - Residual networks: `src/finite/residualLinear.ts` with the same conventions.
 *
 * Compared: the mean over seeds with the limit (γ0 > 0: the recursion; ntk: the frozen kernel
 * from f_0 = 0, the ensemble mean), and each seed with its own limit (μP: the recursion, whose
 * f_0 = 0 is the N → ∞ value; ntk: the lazy limit from that network's own f_0, path-wise).
 */
import { type Mat } from '../../core/matrix.js';
import { Rng } from '../../core/rng.js';
import type { Dataset } from '../../data/dataset.js';
import { gaussianData } from '../../data/gaussian.js';
import { deepLinearNetSpec, initLinearNet, trainLinearGd } from '../../finite/residualLinear.js';
import type { Outputs, RunResult } from '../../spec/result.js';
import { runTrain } from '../../run/train.js';
import type { Spec } from '../../spec/types.js';
import { lazyFromInitial } from '../../limits/deeplinear/exact.js';
import { type DeepLinearProblem, inputKernel } from '../../limits/deeplinear/problem.js';
import { runDeepLinearLimit } from '../../limits/deeplinear/run.js';

export interface DeepLinearCheckConfig {
  /** L: hidden layers (plain) or residual blocks. */
  depth: number;
  widths: number[];
  /** Seeds 0..seeds−1. */
  seeds: number;
  parameterization: 'meanfield' | 'ntk';
  /** γ0 of meanfield (ignored for ntk). */
  gamma0: number;
  lr: number;
  steps: number;
  recordEvery: number;
  /** Gaussian inputs N(0, I_dim) with target `target` (e.g. `linear`), data seed `dataSeed`. */
  data: { n: number; nTest: number; dim: number; target: string; seed: number; noise?: number };
  /** Residual network with branch scale β0/√L. */
  residual?: { beta0: number };
}

/** A per-cell scalar (`fTrainSup`, `fTestSup`, `lossSup`, `fTrainRms`), as harness LongRecord. */
export interface CheckRecord {
  width: number;
  seed: number | null;
  metric: string;
  value: number;
}

/** A curve point (harness CurveRecord): kind `limit`, `finite`, `finite-mean`, `agreement`. */
export interface CheckCurve {
  width: number | null;
  seed: number | null;
  kind: string;
  time: number;
  quantity: string;
  value: number;
}

export interface DeepLinearCheckResult {
  records: CheckRecord[];
  curves: CheckCurve[];
  /** Limit status ('ok' unless the recursion failed) and the first failing finite run, if any. */
  status: RunResult['status'];
  message: string;
}

/** The spec of the check at `width` (the limit ignores the width). */
export function checkSpec(c: DeepLinearCheckConfig, width: number): Spec {
  return {
    data: { source: 'gaussian', n: c.data.n, nTest: c.data.nTest, dim: c.data.dim, target: c.data.target, outputs: 1, seed: c.data.seed, noise: c.data.noise ?? 0 },
    model: {
      depth: c.depth, width, activation: 'identity', parameterization: c.parameterization, weightStd: 1, biasStd: 0, alpha: 1, centred: false,
      gamma0: c.gamma0,
    },
    training: { loss: 'mse', softHingeBeta: 20, method: 'gd', lr: c.lr, steps: c.steps, recordEvery: c.recordEvery },
    seed: 0,
    limit: 'deeplinear',
    ...(c.residual ? { limitOptions: { residual: true, beta0: c.residual.beta0 } } : {}),
  };
}

const flat = (o: Outputs): number[] => (o as (number | number[])[]).map((v) => (typeof v === 'number' ? v : v[0]));

interface Run { status: RunResult['status']; message: string; fTrain: number[][]; fTest: number[][]; trainLoss: number[]; testLoss: number[] }

function finiteRun(c: DeepLinearCheckConfig, data: Dataset, width: number, seed: number): Run {
  if (c.residual) {
    const s = deepLinearNetSpec({ inputDim: c.data.dim, width, depth: c.depth, gamma0: c.gamma0, parameterization: c.parameterization, residual: c.residual });
    const out = trainLinearGd(s, initLinearNet(s, new Rng(seed).child('init')), data, { lr: c.lr, steps: c.steps, recordEvery: c.recordEvery });
    return { ...out, fTrain: out.fTrain.map(flat), fTest: out.fTest.map(flat) };
  }
  const r = runTrain(checkSpec(c, width), { width, seed, dataset: data }).result;
  return { ...r, fTrain: r.fTrain.map(flat), fTest: r.fTest.map(flat) };
}

const rmsDiff = (a: number[], b: number[]) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0) / Math.max(1, a.length));

/** Run the check: the limit once, then every (width, seed) network. */
export function checkDeepLinearAgainstFinite(c: DeepLinearCheckConfig): DeepLinearCheckResult {
  const spec = checkSpec(c, c.widths[0] ?? 1);
  const data = gaussianData(spec.data);
  const limit = runDeepLinearLimit(spec, { dataset: data });
  const limTrain = limit.fTrain.map(flat);
  const limTest = limit.fTest.map(flat);
  const times = limit.times;
  const records: CheckRecord[] = [];
  const curves: CheckCurve[] = [];
  times.forEach((t, i) => {
    curves.push({ width: null, seed: null, kind: 'limit', time: t, quantity: 'trainLoss', value: limit.trainLoss[i] });
    curves.push({ width: null, seed: null, kind: 'limit', time: t, quantity: 'testLoss', value: limit.testLoss[i] });
  });
  let status: RunResult['status'] = limit.status;
  let message = limit.message;
  const problem: DeepLinearProblem = {
    kx: inputKernel(data.x, data.x), y: Float64Array.from(data.y.data), depth: c.depth, gamma0: 0, lr: c.lr, steps: c.steps,
    architecture: c.residual ? { kind: 'residual', beta0: c.residual.beta0 } : { kind: 'plain' },
  };
  const kStar: Mat = inputKernel(data.xTest, data.x);
  for (const width of c.widths) {
    const runs: Run[] = [];
    for (let seed = 0; seed < c.seeds; seed++) {
      const r = finiteRun(c, data, width, seed);
      if (r.status !== 'ok' && status === 'ok') { status = r.status; message = `width ${width}, seed ${seed}: ${r.message}`; }
      runs.push(r);
      // Per-seed reference: μP → the limit itself; ntk → the lazy limit from this network's f_0.
      let refTrain = limTrain;
      let refTest = limTest;
      if (c.parameterization === 'ntk' && r.fTrain.length > 0) {
        const lazy = lazyFromInitial(problem, r.fTrain[0], r.fTest[0], kStar);
        const P = data.x.rows, m = data.xTest.rows;
        refTrain = limit.steps.map((s) => Array.from(lazy.train.subarray(s * P, (s + 1) * P)));
        refTest = limit.steps.map((s) => Array.from(lazy.test.subarray(s * m, (s + 1) * m)));
      }
      cellMetrics(records, curves, width, seed, r, refTrain, refTest, limit, times);
    }
    agreement(curves, width, runs, limTrain, limTest, times);
  }
  return { records, curves, status, message };
}

function cellMetrics(records: CheckRecord[], curves: CheckCurve[], width: number, seed: number, r: Run,
  refTrain: number[][], refTest: number[][], limit: RunResult, times: number[]): void {
  const k = Math.min(r.fTrain.length, refTrain.length);
  let supTr = 0, supTe = 0, supLoss = 0, sq = 0, cnt = 0;
  for (let i = 0; i < k; i++) {
    supTr = Math.max(supTr, rmsDiff(r.fTrain[i], refTrain[i]));
    supTe = Math.max(supTe, rmsDiff(r.fTest[i], refTest[i]));
    supLoss = Math.max(supLoss, Math.abs(r.trainLoss[i] - limit.trainLoss[i]));
    r.fTrain[i].forEach((v, j) => { sq += (v - refTrain[i][j]) ** 2; cnt++; });
    curves.push({ width, seed, kind: 'finite', time: times[i], quantity: 'trainLoss', value: r.trainLoss[i] });
    curves.push({ width, seed, kind: 'finite', time: times[i], quantity: 'testLoss', value: r.testLoss[i] });
  }
  const ok = k === refTrain.length;
  records.push({ width, seed, metric: 'fTrainSup', value: ok ? supTr : NaN });
  records.push({ width, seed, metric: 'fTestSup', value: ok ? supTe : NaN });
  records.push({ width, seed, metric: 'lossSup', value: ok ? supLoss : NaN });
  records.push({ width, seed, metric: 'fTrainRms', value: ok ? Math.sqrt(sq / Math.max(1, cnt)) : NaN });
}

/**
 * Agreement of the seed mean with the limit at each recorded step: z_μ = (mean_s f_μ − f^∞_μ)/SE_μ
 * over train and test outputs, summarised as zRms = √(mean_μ z_μ²) (≈ 1 when they agree; the
 * 3-standard-error criterion is zRms < 3) and zMax = max_μ |z_μ|.
 */
function agreement(curves: CheckCurve[], width: number, runs: Run[], limTrain: number[][], limTest: number[][], times: number[]): void {
  const S = runs.length;
  if (S < 2) return;
  times.forEach((time, i) => {
    if (runs.some((r) => r.fTrain.length <= i)) return;
    const zs: number[] = [];
    const comp = (get: (r: Run) => number[], lim: number[]) => {
      lim.forEach((l, j) => {
        const vals = runs.map((r) => get(r)[j]);
        const m = vals.reduce((a, b) => a + b, 0) / S;
        const v = vals.reduce((a, b) => a + (b - m) ** 2, 0) / (S - 1);
        const se = Math.sqrt(v / S);
        zs.push(se > 0 ? (m - l) / se : m === l ? 0 : Infinity);
      });
    };
    comp((r) => r.fTrain[i], limTrain[i]);
    comp((r) => r.fTest[i], limTest[i]);
    const zRms = Math.sqrt(zs.reduce((a, z) => a + z * z, 0) / zs.length);
    const zMax = zs.reduce((a, z) => Math.max(a, Math.abs(z)), 0);
    curves.push({ width, seed: null, kind: 'agreement', time, quantity: 'zRms', value: zRms });
    curves.push({ width, seed: null, kind: 'agreement', time, quantity: 'zMax', value: zMax });
    const meanLoss = runs.reduce((a, r) => a + r.trainLoss[i], 0) / S;
    curves.push({ width, seed: null, kind: 'finite-mean', time, quantity: 'trainLoss', value: meanLoss });
  });
}
