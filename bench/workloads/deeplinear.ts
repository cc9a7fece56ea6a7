/**
 * deeplinear-recursion: the causal single-site solver of the large-width deep linear network
 * (theory/deeplinear.md#single-site; Bordelon–Pehlevan) for depth L = 3, P = 8 points, γ0 = 1, gradient descent, at
 * T = 25, 50 and 100 steps, and the growth of its cost in T: the exponent p of time ∝ T^p fitted
 * by least squares on log–log axes (the solver's stated cost is O(L P² T³)). No peer.
 * Uses `solveDeepLinear` (src/limits/deeplinear/solve.ts) when it exists, else
 * `solvePlainCausal` (src/limits/deeplinear/causal.ts).
 */
import { mat } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import type * as CausalModule from '../../src/limits/deeplinear/causal.js';
import type { DeepLinearProblem } from '../../src/limits/deeplinear/problem.js';
import { gaussianInputs } from '../lib/data.js';
import { ADAPTIVE, measure, type Timing } from '../lib/timing.js';
import { loadModule, skippedRow, type BenchContext, type BenchRow, type Workload } from '../lib/workload.js';

const L = 3;
const P = 8;
const D = 16;
const GAMMA0 = 1;
const LR = 0.2;

/** Least-squares slope of log y against log x. */
export function logLogSlope(x: readonly number[], y: readonly number[]): number {
  const lx = x.map(Math.log), ly = y.map(Math.log);
  const mx = lx.reduce((s, v) => s + v, 0) / lx.length;
  const my = ly.reduce((s, v) => s + v, 0) / ly.length;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < lx.length; i++) {
    sxy += (lx[i] - mx) * (ly[i] - my);
    sxx += (lx[i] - mx) * (lx[i] - mx);
  }
  return sxy / sxx;
}

export const deeplinearWorkload: Workload = {
  name: 'deeplinear-recursion',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const Ts = ctx.quick ? [10, 20, 40] : [25, 50, 100];
    const size = (T: number) => `L=${L} P=${P} T=${T} γ0=${GAMMA0}`;
    const mod = await loadModule<typeof CausalModule>('src/limits/deeplinear/causal.js', ['solvePlainCausal']);
    if (typeof mod === 'string') return [skippedRow('deeplinear-recursion', size(Ts[Ts.length - 1]), mod)];
    const rng = new Rng('bench/deeplinear');
    const x = gaussianInputs(P, D, rng.child('x'));
    const kx = mat(P, P);
    for (let i = 0; i < P; i++) {
      for (let j = 0; j < P; j++) {
        let s = 0;
        for (let q = 0; q < D; q++) s += x.data[i * D + q] * x.data[j * D + q];
        kx.data[i * P + j] = s / D;
      }
    }
    const beta = new Float64Array(D);
    rng.child('teacher').fillNormal(beta);
    const y = new Float64Array(P);
    for (let i = 0; i < P; i++) for (let q = 0; q < D; q++) y[i] += (beta[q] * x.data[i * D + q]) / Math.sqrt(D);

    const rows: BenchRow[] = [];
    const times: Timing[] = [];
    for (const T of Ts) {
      const problem: DeepLinearProblem = { kx, y, depth: L, gamma0: GAMMA0, lr: LR, steps: T, architecture: { kind: 'plain' } };
      ctx.log(`deeplinear-recursion: ours (${size(T)})`);
      let status = '';
      let residual = NaN;
      let finalLoss = NaN;
      const t = await measure(ADAPTIVE, () => {
        const { solution } = mod.solvePlainCausal(problem);
        status = solution.status;
        residual = solution.residual;
        finalLoss = solution.trainLoss[solution.trainLoss.length - 1];
      });
      times.push(t);
      const notes = [`no peer; fixed-point residual ${residual.toExponential(1)}, status ${status}`];
      rows.push({
        workload: `deeplinear-recursion-T${T}`, size: size(T), threads: 1, ours: t, peer: null, goal: null, notes,
        check: { what: 'final train loss', ours: finalLoss, peer: null },
      });
    }
    const p = logLogSlope(Ts, times.map((t) => t.best));
    rows.push({
      workload: 'deeplinear-growth', size: `T=${Ts.join(',')}`, threads: 1, ours: null, peer: null, goal: null,
      notes: [`cost ∝ T^${p.toFixed(2)} (least-squares fit of log time on log T; solver's stated cost O(L P² T³))`],
      extra: { exponent: p, T: Ts, seconds: times.map((t) => t.best) },
    });
    return rows;
  },
};
