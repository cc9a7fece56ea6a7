/**
 * Gradient flow dθ_p/dτ = −r_p ∂Loss/∂θ_p (theory/conventions.md#losses) in flow time τ, integrated to
 * τ = lr · steps with error control; the state at τ = lr · s is recorded for every record step s
 * (GD with step lr is the explicit Euler scheme of this ODE, so records line up with GD's).
 *
 * Schemes (theory/finite.md#gradient-flow):
 * - `dopri5` (default): Dormand–Prince 5(4) on the flat parameter vector, relative and absolute
 *   tolerance `opts.tolerance` (default 1e-6), first trial step lr (trainDopri5.ts);
 * - `geiger`: the adaptive Euler rule of Geiger et al. 2020 (arXiv 1906.08034, their code):
 *   see trainGeiger.ts.
 * ip-llr's large first step has no flow analogue; it is taken as one explicit Euler step of size
 * lr with the first-step rates, and the flow continues from τ = lr.
 */
import { DEFAULT_FLOW_TOLERANCE } from './schedule.js';
import type { Outcome } from '../core/errors.js';
import type { Dataset } from '../data/dataset.js';
import type { Architecture } from './architecture.js';
import { type Params, viewParams } from './params.js';
import type { TrainOptions, TrainOutput } from './train.js';
import { dopri5 } from './trainDopri5.js';
import { geigerFlow } from './trainGeiger.js';
import {
  type TrainState, checkHealth, createTrainState, evalLoss, finish, progressReporter, recordNow, recordSteps,
  scaleByRates, setLossLimit,
} from './trainState.js';

/** What a flow scheme calls back: at each saved record and after each accepted step. */
export interface FlowHooks {
  onSave(i: number, t: number): Outcome | null;
  onAccept(t: number, monitor: number): Outcome | null;
}

export function trainFlow(
  arch: Architecture, params0: Params, data: Dataset, opts: TrainOptions, progress?: (f: number) => void,
): TrainOutput {
  const s = createTrainState(arch, params0, data, opts);
  const { lr, steps, recordEvery } = opts;
  const scheme = opts.flowScheme ?? 'dopri5';
  const loss0 = evalLoss(s, s.theta, s.train, null);
  setLossLimit(s, loss0);
  const bad0 = checkHealth(s, loss0, 0);
  if (bad0) return finish(s, bad0, { scheme });
  recordNow(s, 0, loss0);
  if (steps === 0) return finish(s, { status: 'ok', message: '' }, { scheme });

  let t0 = 0;
  if (arch.firstStepRates) {
    evalLoss(s, s.theta, s.train, s.grad);
    scaleByRates(s, s.thetaFlat, s.gradFlat, -lr, true, true);
    t0 = lr;
  }
  const saveSteps = recordSteps(steps, recordEvery).filter((r) => r > 0);
  const saveTimes = saveSteps.map((r) => lr * r);
  const report = progressReporter(progress, lr * steps);
  const hooks: FlowHooks = {
    onSave: (i) => {
      recordNow(s, saveSteps[i]);
      return null;
    },
    onAccept: (t, loss) => {
      report(t);
      const bad = checkHealth(s, loss, t / lr);
      if (bad?.status === 'diverged') recordNow(s, t / lr, loss);
      return bad;
    },
  };
  const tol = opts.tolerance ?? DEFAULT_FLOW_TOLERANCE;
  if (scheme === 'geiger') {
    const r = geigerFlow(s, t0, saveTimes, hooks);
    return finish(s, r.outcome, { scheme, ...r.stats });
  }
  const r = dopri5(flowSystem(s), s.thetaFlat, t0, saveTimes, { rtol: tol, atol: tol, h0: lr }, hooks);
  return finish(s, r.outcome, { scheme, tolerance: tol, ...r.stats });
}

/**
 * The vector field y ↦ −r ⊙ ∇Loss(y) on flat parameter vectors; its monitor is the train loss
 * at y. Params views of each buffer the solver passes are made once and reused.
 */
export function flowSystem(s: TrainState) {
  const views = new WeakMap<Float64Array, Params>([[s.thetaFlat, s.theta]]);
  return {
    rhs(y: Float64Array, dy: Float64Array): number {
      let p = views.get(y);
      if (!p) { p = viewParams(s.arch, y); views.set(y, p); }
      const loss = evalLoss(s, p, s.train, s.grad);
      scaleByRates(s, dy, s.gradFlat, -1, false, false);
      return loss;
    },
  };
}
