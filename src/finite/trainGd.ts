/**
 * Full-batch gradient descent (theory/conventions.md#losses): θ_p ← θ_p − η r_p ∂Loss/∂θ_p, `steps` steps, flow
 * time τ = η · step. ip-llr uses its first-step rates on step 0 only (Hajjar, Chizat, Giraud
 * 2021, arXiv 2110.15596, §4). One forward and one backward pass per step; the forward pass of
 * step t also gives the loss recorded at t.
 */
import type { Dataset } from '../data/dataset.js';
import type { Architecture } from './architecture.js';
import type { Params } from './params.js';
import type { TrainOptions, TrainOutput } from './train.js';
import {
  checkHealth, createTrainState, evalLoss, finish, progressReporter, recordNow, scaleByRates, setLossLimit,
} from './trainState.js';

export function trainGd(
  arch: Architecture, params0: Params, data: Dataset, opts: TrainOptions, progress?: (f: number) => void,
): TrainOutput {
  const s = createTrainState(arch, params0, data, opts);
  const { steps, recordEvery, lr } = opts;
  const report = progressReporter(progress, steps);
  let loss = evalLoss(s, s.theta, s.train, steps > 0 ? s.grad : null);
  setLossLimit(s, loss);
  for (let t = 0; ; t++) {
    const bad = checkHealth(s, loss, t);
    if (bad) {
      if (bad.status === 'diverged') recordNow(s, t, loss, t < steps);
      return finish(s, bad);
    }
    // s.train holds the forward pass of θ_t, with derivatives when a step follows
    if (t % recordEvery === 0 || t === steps) recordNow(s, t, loss, t < steps);
    if (t === steps) break;
    scaleByRates(s, s.thetaFlat, s.gradFlat, -lr, t === 0, true);
    loss = evalLoss(s, s.theta, s.train, t + 1 < steps ? s.grad : null);
    report(t + 1);
  }
  return finish(s, { status: 'ok', message: '' });
}
