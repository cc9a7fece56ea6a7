/**
 * One run of the convolutional half of Geiger et al.'s finding (ii) (arXiv 1906.08034; theory/geiger.md#conv):
 * the convolutional network that `spec.model` describes (model.conv; src/finite/layers/convBuild.ts)
 * under the `geiger` preset — NTK multipliers, centred output f̃ = α(F − F_0), loss Σℓ(f̃, y)/(α² n) —
 * at width h (channels) and scale α, trained by gradient flow until every training margin f̃·y ≥ 1,
 * exactly as the fully connected runs of the α-scan (theory/geiger.md#integration): Dormand–Prince
 * 5(4) on the normalized parameters u = θ/σ with tolerance tol·min(1, 1/√hα), log-spaced saves
 * from 10⁻³·min(1, √hα), horizon T_max. The network is read by src/finite/layers/batched.ts.
 *
 * Measured: train and test sign errors of f̃_T, the kernel motion ‖Θ̂_T − Θ̂_0‖_F/‖Θ̂_0‖_F of the
 * empirical tangent kernel of F on the training inputs, the weight motion, the stop time.
 * Randomness: θ_0 from `new Rng(spec.seed + seed).child('init')`, the same at both α of a seed.
 */
import type { Outcome, Status } from '../../core/errors.js';
import { type Mat, mat } from '../../core/matrix.js';
import { Rng } from '../../core/rng.js';
import { batchedForward, batchedVjp } from '../../finite/layers/batched.js';
import type { Serial } from '../../finite/layers/layer.js';
import { initSerialParams, perParameter, serialLayout, viewSerialParams } from '../../finite/layers/serialParams.js';
import { lossAndGradient, makeLoss } from '../../finite/loss.js';
import { kernelMotion } from '../../finite/observables.js';
import type { Params } from '../../finite/params.js';
import { dopri5 } from '../../finite/trainDopri5.js';
import { networkFromModel } from '../../spec/architecture.js';
import type { Spec } from '../../spec/types.js';
import { scanDataset } from '../geiger/cell.js';
import { logTimes } from '../geiger/curves.js';

export interface ConvCellTask {
  spec: Spec;
  baseDir: string;
  width: number;
  alpha: number;
  seed: number;
  tolerance: number;
  maxTime: number;
  savesPerDecade: number;
}

export interface ConvCell {
  width: number;
  alpha: number;
  sqrtHAlpha: number;
  seed: number;
  status: Status;
  message: string;
  trainError: number;
  testError: number;
  kernelMotion: number;
  weightMotion: number;
  /** Flow time at which every margin reached 1 (NaN if it never did). */
  stopTime: number;
  evaluations: number;
  /** f̃_T on the test inputs. */
  fTestFinal: number[];
  seconds: number;
}

function signError(f: ArrayLike<number>, y: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < f.length; i++) if (!(f[i] * y[i] > 0)) e++;
  return f.length ? e / f.length : NaN;
}

/** Θ̂ = J diag(r) Jᵀ of the raw output F (k = 1) on the rows of x, one forward/vjp per input. */
export function convNtk(net: Serial, p: Params, x: Mat, rate: Float64Array): Mat {
  const lay = serialLayout(net), n = x.rows, P = lay.size;
  const J = new Float64Array(n * P), one = mat(1, 1, Float64Array.of(1));
  for (let i = 0; i < n; i++) {
    const row = J.subarray(i * P, (i + 1) * P);
    const { tape } = batchedForward(net, p, mat(1, x.cols, x.data.subarray(i * x.cols, (i + 1) * x.cols)));
    batchedVjp(tape, one, viewSerialParams(lay, row));
  }
  const K = mat(n, n);
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      let s = 0;
      for (let q = 0; q < P; q++) s += J[a * P + q] * rate[q] * J[b * P + q];
      K.data[a * n + b] = s; K.data[b * n + a] = s;
    }
  }
  return K;
}

/** Train and measure one (width, α, seed) run. Never throws for a numerical failure. */
export function runConvCell(task: ConvCellTask): ConvCell {
  const t0 = performance.now();
  const { spec, width: h, alpha } = task;
  const data = scanDataset(spec, task.baseDir);
  const net = networkFromModel({ ...spec.model, parameterization: 'geiger', alpha, centred: true }, data.x.cols, 1, h);
  const lay = serialLayout(net), P = lay.size;
  const { params: p0, flat: theta0 } = initSerialParams(net, new Rng(spec.seed + task.seed).child('init'));
  const scale = perParameter(lay, (l) => (l.initStd > 0 ? l.initStd : 1), (l) => (l.bias && l.bias.initStd > 0 ? l.bias.initStd : 1));
  const rate = perParameter(lay, (l) => l.rate, (l) => l.bias?.rate ?? 1);
  const F0 = batchedForward(net, p0, data.x).F, F0Test = batchedForward(net, p0, data.xTest).F;
  const loss = makeLoss(spec.training.loss, spec.training.softHingeBeta);
  const thetaFlat = new Float64Array(P), theta = viewSerialParams(lay, thetaFlat);
  const gradFlat = new Float64Array(P), grad = viewSerialParams(lay, gradFlat);
  const n = data.x.rows, f = mat(n, 1), g = mat(n, 1);
  let evaluations = 0;
  const rhs = (u: Float64Array, du: Float64Array): number => {
    for (let i = 0; i < P; i++) thetaFlat[i] = u[i] * scale[i];
    const { F, tape } = batchedForward(net, theta, data.x);
    for (let i = 0; i < n; i++) f.data[i] = alpha * (F.data[i] - F0.data[i]);
    const value = lossAndGradient(loss, f, data.y, alpha, g);
    for (let i = 0; i < n; i++) g.data[i] *= alpha; // ∂Loss/∂F = α ∂Loss/∂f̃
    gradFlat.fill(0);
    batchedVjp(tape, g, grad);
    for (let i = 0; i < P; i++) du[i] = -rate[i] * gradFlat[i] / scale[i];
    evaluations++;
    return value;
  };
  const s = Math.sqrt(h) * alpha, tLo = 1e-3 * Math.min(1, s);
  const u = new Float64Array(P);
  for (let i = 0; i < P; i++) u[i] = theta0[i] / scale[i];
  const loss0 = rhs(u, new Float64Array(P));
  let stopTime = NaN;
  const margins = () => { for (let i = 0; i < n; i++) if (!(f.data[i] * data.y.data[i] >= 1)) return false; return true; };
  const hooks = {
    onSave: (): Outcome | null => null,
    onAccept: (t: number, value: number): Outcome | null => {
      if (Number.isNaN(value)) return { status: 'nan', message: `train loss is NaN at time ${t}` };
      if (!(value <= 1e8 * Math.max(1, loss0))) return { status: 'diverged', message: `train loss ${value} at time ${t} exceeds 1e8 × max(1, initial loss)` };
      if (margins()) { stopTime = t; return { status: 'ok', message: '' }; }
      return null;
    },
  };
  const r = dopri5({ rhs }, u, 0, logTimes(tLo, task.maxTime, task.savesPerDecade), { rtol: task.tolerance * Math.min(1, 1 / s), atol: task.tolerance * Math.min(1, 1 / s), h0: 0.1 * tLo, maxSteps: 2e5 }, hooks);
  for (let i = 0; i < P; i++) thetaFlat[i] = u[i] * scale[i];
  const FT = batchedForward(net, theta, data.x).F, FTest = batchedForward(net, theta, data.xTest).F;
  const fTrain = FT.data.map((v, i) => alpha * (v - F0.data[i])), fTest = FTest.data.map((v, i) => alpha * (v - F0Test.data[i]));
  let dw = 0, w0 = 0;
  for (let i = 0; i < P; i++) { dw += (thetaFlat[i] - theta0[i]) ** 2; w0 += theta0[i] ** 2; }
  const stopped = r.outcome.status === 'ok' && Number.isNaN(stopTime);
  return {
    width: h, alpha, sqrtHAlpha: s, seed: task.seed,
    status: r.outcome.status, message: stopped ? `margins not reached by t = ${task.maxTime}` : r.outcome.message,
    trainError: signError(fTrain, data.y.data), testError: signError(fTest, data.yTest.data),
    kernelMotion: kernelMotion(convNtk(net, theta, data.x, rate), convNtk(net, p0, data.x, rate)),
    weightMotion: Math.sqrt(dw / w0), stopTime, evaluations, fTestFinal: Array.from(fTest),
    seconds: (performance.now() - t0) / 1000,
  };
}
