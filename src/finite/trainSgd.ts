/**
 * Minibatch stochastic gradient descent: each step takes the gradient of the minibatch loss
 * (1/(α² B)) Σ_{i∈batch} ℓ and updates θ_p ← θ_p − η r_p ∂Loss_batch/∂θ_p (flow time τ = η·step).
 *
 * Batches (stream `opts.rng`):
 * - `replace: true`: B indices drawn uniformly with replacement, afresh at every step;
 * - `replace: false` (default): epochs over a fresh seeded permutation of the n points, cut into
 *   ⌈n/B⌉ consecutive batches (the last one smaller when B does not divide n).
 * `epochs`, when given, sets steps = epochs · ⌈n/B⌉. At record times the full-batch train and
 * test losses are recorded.
 */
import { buildSchedule } from './schedule.js';
import { type Mat, mat } from '../core/matrix.js';
import type { Dataset } from '../data/dataset.js';
import type { Architecture } from './architecture.js';
import { workspaceRows } from './fused/forward.js';
import { createEvalSet } from './network.js';
import type { Params } from './params.js';
import type { TrainOptions, TrainOutput } from './train.js';
import {
  type Batch, type TrainState, checkHealth, createTrainState, evalLoss, finish, progressReporter, recordNow,
  scaleByRates, setLossLimit,
} from './trainState.js';

export function trainSgd(
  arch: Architecture, params0: Params, data: Dataset, opts: TrainOptions, progress?: (f: number) => void,
): TrainOutput {
  const s = createTrainState(arch, params0, data, opts);
  const n = data.x.rows;
  // with replacement a batch may be larger than the training set (the online mean-field limit
  // samples batchSize points per step too); without, batches cut epochs of the n points (schedule.ts)
  const { replace, batchSize: B, stepsPerEpoch: perEpoch, steps } = buildSchedule({ ...opts, method: 'sgd' }, n);
  const { lr, recordEvery, rng } = opts;
  const report = progressReporter(progress, steps);
  const full = makeBatch(s, B);
  const rem = n % B === 0 || replace ? null : cutBatch(full, n % B);
  const idx = new Int32Array(B);
  let perm: Int32Array = new Int32Array(0);
  let pos = n;
  const stats = { batchSize: B, stepsPerEpoch: perEpoch, steps, replace: String(replace) };

  setLossLimit(s, evalLoss(s, s.theta, s.train, null));
  for (let t = 0; ; t++) {
    if (t % recordEvery === 0 || t === steps) {
      const loss = evalLoss(s, s.theta, s.train, null);
      const bad = checkHealth(s, loss, t);
      if (bad) {
        if (bad.status === 'diverged') recordNow(s, t, loss, false);
        return finish(s, bad, stats);
      }
      recordNow(s, t, loss, false);
    }
    if (t === steps) break;
    let b = full;
    if (replace) {
      for (let i = 0; i < B; i++) idx[i] = rng.int(n);
    } else {
      if (pos >= n) { perm = rng.permutation(n); pos = 0; }
      const m = Math.min(B, n - pos);
      idx.set(perm.subarray(pos, pos + m));
      pos += m;
      if (m < B && rem) b = rem;
    }
    gather(s, idx, b);
    const loss = evalLoss(s, s.theta, b, s.grad);
    const bad = checkHealth(s, loss, t, 'minibatch loss');
    if (bad) return finish(s, bad, stats);
    scaleByRates(s, s.thetaFlat, s.gradFlat, -lr, t === 0, true);
    report(t + 1);
  }
  return finish(s, { status: 'ok', message: '' }, stats);
}

function makeBatch(s: TrainState, B: number): Batch {
  const { arch } = s;
  const k = arch.outputDim;
  return createEvalSet(arch, mat(B, arch.inputDim), mat(B, k), s.train.F0 ? mat(B, k) : null);
}

/** The first m rows of every buffer of `b` (views). */
function cutBatch(b: Batch, m: number): Batch {
  const cut = (a: Mat) => mat(m, a.cols, a.data.subarray(0, m * a.cols));
  return { x: cut(b.x), y: cut(b.y), F0: b.F0 ? cut(b.F0) : null, ws: workspaceRows(b.ws, m), f: cut(b.f), g: cut(b.g) };
}

/** Copy rows idx[0..b.x.rows) of the training set (x, y, F0) into the batch. */
function gather(s: TrainState, idx: Int32Array, b: Batch): void {
  const copyRows = (src: Mat, dst: Mat) => {
    const c = src.cols;
    for (let i = 0; i < dst.rows; i++) dst.data.set(src.data.subarray(idx[i] * c, (idx[i] + 1) * c), i * c);
  };
  copyRows(s.train.x, b.x);
  copyRows(s.train.y, b.y);
  if (b.F0 && s.train.F0) copyRows(s.train.F0, b.F0);
}
