/**
 * proportional-dmft: the causal solver of the proportional-limit DMFT of deep linear networks
 * (theory/proportional.md#causal-solver) for depth L = 3, μP γ̄ = 1, ν = 1, repeated data α = 2,
 * at T = 250, 500 and 1000 steps (quick: 50, 100, 200), and the growth of its cost in T: the
 * exponent p of time ∝ T^p (stated cost O((L + groups) T³)). No peer. Residual check off (it
 * costs another O(T³)).
 */
import { ISOTROPIC, type ProportionalProblem } from '../../src/limits/proportional/problem.js';
import { solveProportional } from '../../src/limits/proportional/solve.js';
import { ADAPTIVE, measure, type Timing } from '../lib/timing.js';
import type { BenchContext, BenchRow, Workload } from '../lib/workload.js';
import { logLogSlope } from './deeplinear.js';

export const proportionalWorkload: Workload = {
  name: 'proportional-dmft',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const Ts = ctx.quick ? [50, 100, 200] : [250, 500, 1000];
    const size = (T: number) => `L=3 ν=1 α=2 γ̄=1 T=${T}`;
    const rows: BenchRow[] = [];
    const times: Timing[] = [];
    for (const T of Ts) {
      const problem: ProportionalProblem = { depth: 3, nu: 1, gammaBar: 1, eta: 0.05, sigma: 0.3, steps: T, data: { kind: 'repeated', alpha: 2 }, spectrum: ISOTROPIC };
      ctx.log(`proportional-dmft: ours (${size(T)})`);
      let status = '';
      let finalLoss = NaN;
      const t = await measure(ADAPTIVE, () => {
        const s = solveProportional(problem, { residual: false });
        status = s.status;
        finalLoss = s.testLoss[T];
      });
      times.push(t);
      rows.push({
        workload: `proportional-dmft-T${T}`, size: size(T), threads: 1, ours: t, peer: null, goal: null,
        notes: [`no peer; status ${status}`], check: { what: 'final test loss', ours: finalLoss, peer: null },
      });
    }
    const p = logLogSlope(Ts, times.map((t) => t.best));
    rows.push({
      workload: 'proportional-growth', size: `T=${Ts.join(',')}`, threads: 1, ours: null, peer: null, goal: null,
      notes: [`cost ∝ T^${p.toFixed(2)} (least-squares fit of log time on log T; stated cost O((L + groups) T³))`],
      extra: { exponent: p, T: Ts, seconds: times.map((t) => t.best) },
    });
    return rows;
  },
};
