/**
 * Gradient flow dθ_p/dt = −r_p ∂Loss/∂θ_p (theory/conventions.md#losses) run until a stopping rule holds, recording
 * at given (e.g. log-spaced) flow times. Shared by the Geiger α-scan and the θ phase diagram
 * (theory/geiger.md#integration).
 *
 * The integrator is the trainer's Dormand–Prince 5(4) (src/finite/trainDopri5.ts) applied to the
 * *normalized* parameters u_p = θ_p / σ_p, σ_p the init std of p's layer (1 when it is 0), so that
 * one tolerance means the same relative accuracy in every layer whatever its scale (the θ
 * parameterization puts layers at scales m^{−p1}, m^{−p2}). Because the motion of a lazy network
 * is much smaller than its weights, the caller passes a tolerance already scaled to the expected
 * motion (theory/geiger.md#integration).
 *
 * Not used: the trainer's `geiger` adaptive-Euler scheme. Its acceptance test (relative change of
 * the velocity ≤ 1e-2 per step) cannot be met across a ReLU kink when n·h is small: one unit
 * switching on one sample changes the velocity by ~ (n h)^{−1/2} relative, and the step size
 * underflows (measured: h = 64, n = 128, MNIST). Geiger et al. themselves moved to softplus in
 * their later code.
 */
import type { Outcome } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import type { Dataset } from '../../data/dataset.js';
import type { Architecture } from '../../finite/architecture.js';
import type { Loss } from '../../finite/loss.js';
import { type Params, allocParams, paramLayout } from '../../finite/params.js';
import type { TrainOutput } from '../../finite/train.js';
import { type Dopri5Stats, dopri5 } from '../../finite/trainDopri5.js';
import {
  type TrainState, checkHealth, createTrainState, evalLoss, finish, recordNow, scaleByRates, setLossLimit,
} from '../../finite/trainState.js';

/** When to stop training. */
export type StopRule =
  /** Every training margin f(x_i)·y_i ≥ 1 (Geiger et al.'s code: "stop when margins are reached"). */
  | { kind: 'margin' }
  /** Train loss ≤ ratio · initial train loss. */
  | { kind: 'loss-ratio'; ratio: number }
  /** Run to the last save time. */
  | { kind: 'none' };

export interface StoppedFlowOptions {
  loss: Loss;
  /** Increasing record times > 0; the last one is the horizon T_max. */
  saveTimes: readonly number[];
  stop: StopRule;
  /** Relative and absolute local error tolerance of dopri5 on u = θ/σ. */
  tolerance: number;
  /** First trial step (flow time). */
  h0: number;
  /** Attempted steps before giving up (default 2e5). */
  maxSteps?: number;
  /** Called with the live parameters at every save time and at the stop (read only; the flow does not depend on it). */
  onRecord?: (t: number, params: Params) => void;
}

export interface StoppedFlowResult {
  /** Records at t = 0, at every save time before the stop, and at the stop time. Times are flow time (lr = 1). */
  out: TrainOutput;
  /** Flow time at which the stop rule first held (NaN when it never did: the run reached T_max or failed). */
  stopTime: number;
  /** Train loss at t = 0. */
  loss0: number;
  stats: Dopri5Stats | Record<string, number>;
}

/** Per-parameter scale σ_p: the init std of its layer's weights or bias (1 where that std is 0). */
export function parameterScales(arch: Architecture): Float64Array {
  const lay = paramLayout(arch);
  const s = new Float64Array(lay.size);
  arch.layers.forEach((l, i) => {
    s.fill(l.initStd > 0 ? l.initStd : 1, lay.wOffset[i], lay.wOffset[i] + l.nIn * l.nOut);
    if (l.bias) s.fill(l.bias.initStd > 0 ? l.bias.initStd : 1, lay.bOffset[i], lay.bOffset[i] + l.nOut);
  });
  return s;
}

/** True when the stop rule holds for the training outputs left in `s.train.f` (loss `loss`). */
export function stopHolds(rule: StopRule, s: TrainState, loss: number, loss0: number): boolean {
  switch (rule.kind) {
    case 'margin': {
      const f = s.train.f.data, y = s.train.y.data;
      for (let i = 0; i < f.length; i++) if (!(f[i] * y[i] >= 1)) return false;
      return true;
    }
    case 'loss-ratio':
      return loss <= rule.ratio * loss0;
    case 'none':
      return false;
    default: {
      const never: never = rule;
      throw new Error(`unknown stop rule ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Train `params0` (not modified) by gradient flow from t = 0 until `o.stop` holds or the last save
 * time. Numerical failures come back as the status of `out`, never thrown.
 */
export function stoppedFlow(arch: Architecture, params0: Params, data: Dataset, o: StoppedFlowOptions): StoppedFlowResult {
  const s = createTrainState(arch, params0, data, { loss: o.loss, method: 'flow', lr: 1, steps: 0, recordEvery: 1, rng: new Rng(0) });
  const loss0 = evalLoss(s, s.theta, s.train, null);
  setLossLimit(s, loss0);
  const bad = checkHealth(s, loss0, 0);
  if (bad) return { out: finish(s, bad), stopTime: NaN, loss0, stats: {} };
  recordNow(s, 0, loss0);
  if (stopHolds(o.stop, s, loss0, loss0)) return { out: finish(s, { status: 'ok', message: 'stop rule held at t = 0' }), stopTime: 0, loss0, stats: {} };

  const scale = parameterScales(arch);
  const P = scale.length;
  const u = new Float64Array(P);
  for (let i = 0; i < P; i++) u[i] = s.thetaFlat[i] / scale[i];
  const sync = () => { for (let i = 0; i < P; i++) s.thetaFlat[i] = u[i] * scale[i]; };
  let stopTime = NaN;
  const hooks = {
    onSave: (_i: number, t: number): Outcome | null => {
      sync();
      recordNow(s, t);
      o.onRecord?.(t, s.theta);
      return null;
    },
    onAccept: (t: number, loss: number): Outcome | null => {
      const sick = checkHealth(s, loss, t);
      if (sick) {
        sync();
        recordNow(s, t);
        return sick;
      }
      if (stopHolds(o.stop, s, loss, loss0)) {
        stopTime = t;
        sync();
        recordNow(s, t);
        o.onRecord?.(t, s.theta);
        return { status: 'ok', message: '' };
      }
      return null;
    },
  };
  const r = dopri5(normalizedSystem(s, scale), u, 0, o.saveTimes, { rtol: o.tolerance, atol: o.tolerance, h0: o.h0, maxSteps: o.maxSteps ?? 2e5 }, hooks);
  sync();
  const outcome: Outcome = r.outcome.status === 'ok' && Number.isNaN(stopTime) && o.stop.kind !== 'none'
    ? { status: 'ok', message: `stop rule (${o.stop.kind}) not reached by t = ${o.saveTimes[o.saveTimes.length - 1]}` }
    : r.outcome;
  return { out: finish(s, outcome, { scheme: 'dopri5-normalized', tolerance: o.tolerance, ...r.stats }), stopTime, loss0, stats: r.stats };
}

/**
 * du/dt = −(r ⊙ ∇_θ Loss)(θ = σ ⊙ u) / σ, evaluated on a scratch parameter set (the live θ of
 * `s` is written only at records). Returns the train loss at u as the monitor.
 */
function normalizedSystem(s: TrainState, scale: Float64Array) {
  const { params, flat } = allocParams(s.arch);
  const P = scale.length;
  return {
    rhs(u: Float64Array, du: Float64Array): number {
      for (let i = 0; i < P; i++) flat[i] = u[i] * scale[i];
      const loss = evalLoss(s, params, s.train, s.grad);
      scaleByRates(s, du, s.gradFlat, -1, false, false);
      for (let i = 0; i < P; i++) du[i] /= scale[i];
      return loss;
    },
  };
}
