/**
 * ntk-predict-*: frozen-kernel (lazy-limit) MSE predictions of gradient flow on the training and
 * test inputs at 50 times (theory/ntk.md#dynamics), from the infinite-width mean f_0 = 0, given the kernel
 * matrices Θ(X, X) (n × n) and Θ(X*, X) (200 × n) of a ReLU NTK (L = 2, σ_w² = 2, d = 16, Gaussian
 * inputs, teacher-ReLU targets). Ours: `frozenMse` (src/limits/ntk/mse.ts) with its automatic
 * path choice (Krylov above n = 512). Peer: one numpy.linalg.eigh, then all 50 times
 * (bench/peers/ntk_predict.py). The "same work?" column is the largest difference of all
 * outputs relative to the largest output. Goals (issue 3): ≤ 1.0 at n = 2000, ≤ 0.3 at n = 4000.
 *
 * Times: τ_k = 10^(−1 + 4k/49), k = 0..49 (log-spaced from 0.1 to 1000 in flow time).
 */
import { mat, type Mat } from '../../src/core/matrix.js';
import type * as MseModule from '../../src/limits/ntk/mse.js';
import { benchDataset } from '../lib/data.js';
import { reluNtk } from '../lib/reluKernel.js';
import { runPeer } from '../lib/python.js';
import { ADAPTIVE, measure } from '../lib/timing.js';
import { loadModule, skippedRow, type BenchContext, type BenchRow, type Workload } from '../lib/workload.js';

const N_TEST = 200;
const D = 16;
const DEPTH = 2;
const TIMES = Array.from({ length: 50 }, (_, k) => Math.pow(10, -1 + (4 * k) / 49));

const CASES = [
  { n: 2000, goal: 1.0 },
  { n: 4000, goal: 0.3 },
];
const QUICK_CASES = [
  { n: 600, goal: 1.0 },
  { n: 800, goal: 0.3 },
];

/** max |a − b| / max |b| over two equally long arrays. */
function relMaxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / Math.max(den, 1e-300);
}

function stack(ms: readonly Mat[]): Float64Array {
  const out = new Float64Array(ms.reduce((s, m) => s + m.data.length, 0));
  let o = 0;
  for (const m of ms) { out.set(m.data, o); o += m.data.length; }
  return out;
}

export const ntkPredictWorkload: Workload = {
  name: 'ntk-predict',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const cases = (ctx.quick ? QUICK_CASES : CASES).filter((c) => ctx.selects(`ntk-predict-${c.n}`));
    const mod = await loadModule<typeof MseModule>('src/limits/ntk/mse.js', ['frozenMse']);
    const rows: BenchRow[] = [];
    for (const c of cases) {
      const name = `ntk-predict-${c.n}`;
      const size = `n=${c.n} nTest=${N_TEST} 50 times, flow`;
      if (typeof mod === 'string') { rows.push(skippedRow(name, size, mod, c.goal)); continue; }
      ctx.log(`${name}: kernels (setup, untimed)`);
      const data = benchDataset(c.n, N_TEST, D, `ntk-predict-${c.n}`);
      const kernel = reluNtk(data.x, data.x, DEPTH, Math.SQRT2, 0);
      const kernelTest = reluNtk(data.xTest, data.x, DEPTH, Math.SQRT2, 0);
      const problem: Parameters<typeof mod.frozenMse>[0] = {
        kernel, kernelTest, y: data.y, f0: mat(c.n, 1), f0Test: mat(N_TEST, 1),
      };
      ctx.log(`${name}: ours (${size})`);
      let sol: ReturnType<typeof mod.frozenMse> | null = null;
      const ours = await measure(ADAPTIVE, () => { sol = mod.frozenMse(problem, { kind: 'flow' }, TIMES); });
      const s = sol as unknown as ReturnType<typeof mod.frozenMse>;
      const notes: string[] = [`ours: path ${s.path}${s.stats.krylovDim !== undefined ? `, Krylov dimension ${s.stats.krylovDim}` : ''}, status ${s.status}`];
      const oursCheck = s.fTest.length === TIMES.length
        ? s.fTest[TIMES.length - 1].data.reduce((acc, v) => acc + Math.abs(v), 0) : NaN;
      let peer = null;
      let check: BenchRow['check'] = { what: 'Σ|f_test(τ_max)|', ours: oursCheck, peer: null };
      const py = ctx.peer('numpy');
      if ('exe' in py) {
        ctx.log(`${name}: numpy`);
        const r = runPeer(py, 'ntk_predict.py', { times: TIMES }, {
          kTrain: { data: kernel.data, shape: [c.n, c.n] },
          kTest: { data: kernelTest.data, shape: [N_TEST, c.n] },
          y: { data: data.y.data, shape: [c.n, 1] },
        }, ADAPTIVE, 1);
        if ('error' in r) notes.push(`peer failed: ${r.error}`);
        else {
          peer = r.timing;
          check = { what: 'Σ|f_test(τ_max)|', ours: oursCheck, peer: r.check };
          if (r.outputs.fTrain && r.outputs.fTest && s.fTrain.length === TIMES.length) {
            notes.push(`all outputs: max |ours − peer| / max |peer| = ${relMaxDiff(stack(s.fTrain), r.outputs.fTrain).toExponential(1)} (train), ` +
              `${relMaxDiff(stack(s.fTest), r.outputs.fTest).toExponential(1)} (test)`);
          }
        }
      }
      rows.push({ workload: name, size, threads: 1, ours, peer, goal: c.goal, notes, check, extra: { path: s.path, stats: s.stats } });
    }
    return rows;
  },
};
