/**
 * Frozen-kernel dynamics for any loss (hinge, soft hinge, logistic; MSE too, as a check of the
 * closed forms): in function space (theory/ntk.md#dynamics; Jacot et al. 2018, arXiv 1806.07572, §4–5)
 *
 *   df/dτ  = −(1/n) Θ  ∇_f ℓ(f, y)     (train),
 *   d(f*)/dτ = −(1/n) Θ* ∇_f ℓ(f, y)     (test),     τ = η · t,
 *
 * with ∇_f ℓ the derivative of src/finite/loss.ts — per entry, or per row for softmax cross-entropy,
 * where the kernel acts as Θ ⊗ I_k on the k outputs (theory/finite.md#cross-entropy) — (no α: the loss divided by α² and the
 * kernel of f = α(F − F0) cancel, theory/conventions.md#output-scale, so the limit is α-independent).
 * - gradient flow: integrated by odex through the one ODE interface (src/core/ode/solve.ts),
 *   reporting its steps;
 * - gradient descent: iterated exactly, f ← f − (η/n) Θ ∇ℓ(f), when steps·(n + nTest)·n·k ≤
 *   `iterateBudget` (default 4e9 multiply-adds); beyond it, by the flow ODE with a warning
 *   (GD and flow differ by O(η) per unit time).
 */
import { type Mat, mat } from '../../core/matrix.js';
import { odex, solve } from '../../core/ode/solve.js';
import { type Loss, lossDerivatives } from '../../finite/loss.js';
import type { FrozenProblem, FrozenSolution } from './frozenTypes.js';
import { type Schedule, gdSteps } from './schedule.js';
import { truncateNonFinite } from './mse.js';

/** odex's tolerances (defaults 1e-9, 1e-12), first trial step and step budget. */
export interface OdexOptions { rtol?: number; atol?: number; initialStep?: number; maxSteps?: number }

export interface FrozenLossOptions {
  ode?: OdexOptions;
  iterateBudget?: number;
}

/** out ← −(1/n) K G for K (rows × n), G (n × k), all row-major. */
function applyKernel(K: Float64Array, rows: number, n: number, G: Float64Array, k: number, out: Float64Array, outOffset: number): void {
  const c = -1 / n;
  for (let i = 0; i < rows; i++) {
    const o = outOffset + i * k;
    for (let a = 0; a < k; a++) out[o + a] = 0;
    for (let j = 0; j < n; j++) {
      const kij = K[i * n + j];
      if (kij === 0) continue;
      for (let a = 0; a < k; a++) out[o + a] += kij * G[j * k + a];
    }
    for (let a = 0; a < k; a++) out[o + a] *= c;
  }
}

export function frozenGeneral(p: FrozenProblem, loss: Loss, schedule: Schedule, times: readonly number[], opts: FrozenLossOptions = {}): FrozenSolution {
  for (const t of times) {
    if (!(t >= 0) || t === Infinity) {
      return { status: 'failed', message: `frozen dynamics with loss ${loss.kind}: times must be finite and ≥ 0, got ${t}`, times: [], fTrain: [], fTest: [], warnings: [], path: 'ode', stats: { path: 'ode' } };
    }
  }
  const n = p.kernel.rows, nt = p.kernelTest.rows, k = p.y.cols;
  if (schedule.kind === 'gd') {
    const steps = Math.max(0, ...times.map((t) => gdSteps(schedule.lr, t)));
    if (steps * (n + nt) * n * k <= (opts.iterateBudget ?? 4e9)) return iterateGd(p, loss, schedule.lr, times);
    const sol = odePath(p, loss, times, opts.ode);
    sol.warnings.push(`gradient descent with ${steps} steps is approximated by gradient flow (error O(lr) per unit time): exact iteration would cost ${(steps * (n + nt) * n * k).toExponential(1)} operations`);
    return sol;
  }
  return odePath(p, loss, times, opts.ode);
}

function odePath(p: FrozenProblem, loss: Loss, times: readonly number[], ode: OdexOptions = {}): FrozenSolution {
  const n = p.kernel.rows, nt = p.kernelTest.rows, k = p.y.cols;
  const y = p.y.data;
  const G = new Float64Array(n * k);
  const rhs = (_t: number, s: Float64Array, ds: Float64Array) => {
    lossDerivatives(loss, s, y, k, G);
    applyKernel(p.kernel.data, n, n, G, k, ds, 0);
    applyKernel(p.kernelTest.data, nt, n, G, k, ds, n * k);
  };
  const s0 = new Float64Array((n + nt) * k);
  s0.set(p.f0.data, 0);
  s0.set(p.f0Test.data, n * k);
  const r = solve(rhs, odex({ rtol: 1e-9, atol: 1e-12, ...ode }), 0, s0, { ts: times }, null, { maxSteps: ode.maxSteps });
  const ys = r.ys;
  const got = r.ts;
  const sol: FrozenSolution = {
    status: r.status,
    message: r.message,
    times: got,
    fTrain: ys.map((v) => mat(n, k, v.slice(0, n * k))),
    fTest: ys.map((v) => mat(nt, k, v.slice(n * k))),
    warnings: [],
    path: 'ode',
    stats: { path: 'ode', odeSteps: r.stats.accepted + r.stats.rejected, odeAccepted: r.stats.accepted, odeRejected: r.stats.rejected, odeEvaluations: r.stats.evaluations },
  };
  truncateNonFinite(sol);
  return sol;
}

function iterateGd(p: FrozenProblem, loss: Loss, lr: number, times: readonly number[]): FrozenSolution {
  const n = p.kernel.rows, nt = p.kernelTest.rows, k = p.y.cols;
  const f = Float64Array.from(p.f0.data);
  const fs = Float64Array.from(p.f0Test.data);
  const G = new Float64Array(n * k);
  const df = new Float64Array(n * k);
  const dfs = new Float64Array(nt * k);
  const order = times.map((t, i) => ({ s: gdSteps(lr, t), i })).sort((a, b) => a.s - b.s);
  const fTrain: Mat[] = new Array(times.length);
  const fTest: Mat[] = new Array(times.length);
  let step = 0;
  for (const { s, i } of order) {
    for (; step < s; step++) {
      lossDerivatives(loss, f, p.y.data, k, G);
      applyKernel(p.kernel.data, n, n, G, k, df, 0);
      applyKernel(p.kernelTest.data, nt, n, G, k, dfs, 0);
      for (let q = 0; q < n * k; q++) f[q] += lr * df[q];
      for (let q = 0; q < nt * k; q++) fs[q] += lr * dfs[q];
    }
    fTrain[i] = mat(n, k, f.slice());
    fTest[i] = mat(nt, k, fs.slice());
  }
  const sol: FrozenSolution = { status: 'ok', message: '', times: [...times], fTrain, fTest, warnings: [], path: 'iterate', stats: { path: 'iterate', gdSteps: step } };
  truncateNonFinite(sol);
  return sol;
}
