/**
 * The lazy limit of a geiger-conv run (theory/geiger.md#conv-frozen): √hα → ∞ at fixed width h, where
 * the network is its linearization at θ_0 and f̃ = α(F − F_0) follows the frozen-kernel flow
 *
 *   df̃/dt = −Θ̂_0 (1/n) ℓ'(f̃, y)   (training inputs),   df̃_test/dt = −Θ̂_0(test, train) (1/n) ℓ'(f̃, y),
 *
 * Θ̂_0 = J diag(r) Jᵀ the empirical tangent kernel of F at θ_0 with the parameters' rates r (the same
 * kernel as cell.ts's convNtk; with the loss Σℓ/(α²n) the α's cancel). Solved with Dormand–Prince 5(4)
 * on the n + nTest outputs until every training margin f̃·y ≥ 1 or T_max: a lazy network that takes
 * longer than T_max to reach its margins (theory/geiger.md#conv-measured) is followed here to the end at
 * the cost of a 16-dimensional ODE. Same θ_0 as cell.ts (`new Rng(spec.seed + seed).child('init')`).
 */
import { type Mat, mat } from '../../core/matrix.js';
import { Rng } from '../../core/rng.js';
import { batchedForward, batchedVjp } from '../../finite/layers/batched.js';
import type { Serial } from '../../finite/layers/layer.js';
import { initSerialParams, perParameter, serialLayout, viewSerialParams } from '../../finite/layers/serialParams.js';
import { lossAndGradient, makeLoss } from '../../finite/loss.js';
import type { Params } from '../../finite/params.js';
import { dopri5 } from '../../finite/trainDopri5.js';
import { networkFromModel } from '../../spec/architecture.js';
import { scanDataset } from '../geiger/cell.js';
import { logTimes } from '../geiger/curves.js';
import type { ConvCell, ConvCellTask } from './cell.js';

/** Rows of ∂F/∂θ (k = 1) at the inputs `x`, n × P, one forward/vjp per input. */
function jacobian(net: Serial, p: Params, x: Mat): Float64Array {
  const lay = serialLayout(net), P = lay.size, one = mat(1, 1, Float64Array.of(1));
  const J = new Float64Array(x.rows * P);
  for (let i = 0; i < x.rows; i++) {
    const { tape } = batchedForward(net, p, mat(1, x.cols, x.data.subarray(i * x.cols, (i + 1) * x.cols)));
    batchedVjp(tape, one, viewSerialParams(lay, J.subarray(i * P, (i + 1) * P)));
  }
  return J;
}

/** K[a, b] = Σ_q A[a, q] r_q B[b, q] (rows of A and B of length P). */
export function crossKernel(A: Float64Array, B: Float64Array, rate: Float64Array): Mat {
  const P = rate.length, na = A.length / P, nb = B.length / P, K = mat(na, nb);
  for (let a = 0; a < na; a++) {
    for (let b = 0; b < nb; b++) {
      let s = 0;
      for (let q = 0; q < P; q++) s += A[a * P + q] * rate[q] * B[b * P + q];
      K.data[a * nb + b] = s;
    }
  }
  return K;
}

function signError(f: ArrayLike<number>, y: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < f.length; i++) if (!(f[i] * y[i] > 0)) e++;
  return f.length ? e / f.length : NaN;
}

/** The lazy limit of one (width, seed): the frozen-kernel flow to the margins. Never throws for a numerical failure. */
export function runFrozenConvCell(task: ConvCellTask): ConvCell {
  const t0 = performance.now();
  const { spec, width: h } = task;
  const data = scanDataset(spec, task.baseDir);
  const net = networkFromModel({ ...spec.model, parameterization: 'geiger', alpha: task.alpha, centred: true }, data.x.cols, 1, h);
  const lay = serialLayout(net);
  const { params: p0 } = initSerialParams(net, new Rng(spec.seed + task.seed).child('init'));
  const rate = perParameter(lay, (l) => l.rate, (l) => l.bias?.rate ?? 1);
  const Jtr = jacobian(net, p0, data.x), Jte = jacobian(net, p0, data.xTest);
  const K = crossKernel(Jtr, Jtr, rate), Kst = crossKernel(Jte, Jtr, rate);
  const loss = makeLoss(spec.training.loss, spec.training.softHingeBeta);
  const n = data.x.rows, m = data.xTest.rows, f = mat(n, 1), g = mat(n, 1);
  let evaluations = 0;
  const rhs = (u: Float64Array, du: Float64Array): number => {
    f.data.set(u.subarray(0, n));
    const value = lossAndGradient(loss, f, data.y, 1, g); // g = ℓ'/n
    for (let i = 0; i < n; i++) { let s = 0; for (let j = 0; j < n; j++) s += K.data[i * n + j] * g.data[j]; du[i] = -s; }
    for (let i = 0; i < m; i++) { let s = 0; for (let j = 0; j < n; j++) s += Kst.data[i * n + j] * g.data[j]; du[n + i] = -s; }
    evaluations++;
    return value;
  };
  const u = new Float64Array(n + m);
  const loss0 = rhs(u, new Float64Array(n + m));
  let stopTime = NaN;
  const margins = () => { for (let i = 0; i < n; i++) if (!(f.data[i] * data.y.data[i] >= 1)) return false; return true; };
  const r = dopri5({ rhs }, u, 0, logTimes(1e-3, task.maxTime, task.savesPerDecade), { rtol: task.tolerance, atol: task.tolerance, h0: 1e-4, maxSteps: 2e6 }, {
    onSave: () => null,
    onAccept: (t: number, value: number) => {
      if (Number.isNaN(value)) return { status: 'nan', message: `train loss is NaN at time ${t}` };
      if (!(value <= 1e8 * Math.max(1, loss0))) return { status: 'diverged', message: `train loss ${value} at time ${t} exceeds 1e8 × max(1, initial loss)` };
      if (margins()) { stopTime = t; return { status: 'ok', message: '' }; }
      return null;
    },
  });
  const fTrain = u.subarray(0, n), fTest = u.subarray(n);
  const stopped = r.outcome.status === 'ok' && Number.isNaN(stopTime);
  return {
    width: h, alpha: task.alpha, sqrtHAlpha: Infinity, seed: task.seed,
    status: r.outcome.status, message: stopped ? `margins not reached by t = ${task.maxTime}` : r.outcome.message,
    trainError: signError(fTrain, data.y.data), testError: signError(fTest, data.yTest.data),
    kernelMotion: 0, weightMotion: NaN, stopTime, evaluations, fTestFinal: Array.from(fTest),
    seconds: (performance.now() - t0) / 1000,
  };
}
