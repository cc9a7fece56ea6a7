/**
 * ntk-gram: NNGP and NTK Gram matrices Θ(X, X) of a ReLU network in the NTK parameterization
 * (theory/ntk.md#recursion) with `analyticKernels` (src/limits/ntk/kernels.ts), beside a vectorized NumPy
 * implementation of the same recursion (bench/peers/ntk_gram.py). Same inputs on both sides;
 * the mean NTK entry must agree to rounding. Goal (issue 14, which replaces issue 3's 0.5): ours/peer ≤ 0.8
 * at n=2000, d=784, L=3.
 */
import { Rng } from '../../src/core/rng.js';
import { parseActivation } from '../../src/finite/activation.js';
import type * as KernelsModule from '../../src/limits/ntk/kernels.js';
import { gaussianInputs } from '../lib/data.js';
import { runPeer } from '../lib/python.js';
import { ADAPTIVE, measure } from '../lib/timing.js';
import { loadModule, skippedRow, type BenchContext, type BenchRow, type Workload } from '../lib/workload.js';

const GOAL = 0.8;
const WEIGHT_STD = Math.SQRT2;
const BIAS_STD = 0.1;

export const ntkGramWorkload: Workload = {
  name: 'ntk-gram',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const [n, d, L] = ctx.quick ? [300, 784, 3] : [2000, 784, 3];
    const size = `n=${n} d=${d} L=${L} relu`;
    const mod = await loadModule<typeof KernelsModule>('src/limits/ntk/kernels.js', ['analyticKernels']);
    if (typeof mod === 'string') return [skippedRow('ntk-gram', size, mod, GOAL)];
    const x = gaussianInputs(n, d, new Rng('bench/ntk-gram'));
    const opts: KernelsModule.KernelOptions = {
      depth: L, activation: parseActivation('relu', 'model.activation'),
      weightStd: WEIGHT_STD, biasStd: BIAS_STD, parameterization: 'ntk',
    };
    ctx.log(`ntk-gram: ours (${size})`);
    let meanNtk = NaN;
    const ours = await measure(ADAPTIVE, () => {
      const k = mod.analyticKernels(opts, x);
      let s = 0;
      for (let i = 0; i < k.ntk.data.length; i++) s += k.ntk.data[i];
      meanNtk = s / k.ntk.data.length;
    });
    const notes: string[] = [];
    let peer = null;
    let peerMean: number | null = null;
    const py = ctx.peer('numpy');
    if ('exe' in py) {
      ctx.log('ntk-gram: numpy');
      const r = runPeer(py, 'ntk_gram.py', { depth: L, weightStd: WEIGHT_STD, biasStd: BIAS_STD },
        { x: { data: x.data, shape: [n, d] } }, ADAPTIVE, 1);
      if ('error' in r) notes.push(`peer failed: ${r.error}`);
      else { peer = r.timing; peerMean = r.check; }
    }
    return [{
      workload: 'ntk-gram', size, threads: 1, ours, peer, goal: GOAL, notes,
      check: { what: 'mean NTK entry', ours: meanNtk, peer: peerMean },
    }];
  },
};
