/**
 * trainer-*: full-batch gradient descent on an MLP, MSE, k = 1, records at step 0 and at the end
 * only (train/test outputs and losses), beside a PyTorch module with the same multipliers (and
 * biases, where the parameterization has them) applied in the forward pass and a manual step
 * `p -= lr·r·p.grad` under no_grad. Both sides start from the same initial weights and data
 * (handed to the peer), so their final train losses must agree to rounding: the "same work?" column.
 *
 * Cases: the trainer's own (issue 2: mlp, 2layer, small) and the experiments' shapes (issue 14):
 * deep-skinny (n = 32, d = 5, h = 4096, two erf layers, the shape of deep convergence sweeps), a
 * Geiger-sized deep run (n = 256 MNIST-sized inputs d = 784, h = 1024, four hidden ReLU layers)
 * and the depth-6 IP run (integrable parameterization, n = 512, d = 784, h = 1024, six hidden
 * ReLU layers). Inputs are synthetic Gaussians of those shapes (the cost does not depend on them).
 * Our side runs on one thread (bench/run.ts), as the peer; `trainer-mlp-threads` times trainer-mlp
 * on two threads against our own one-thread time (goal: at least 1.7× faster).
 */
import { Rng } from '../../src/core/rng.js';
import { parseActivation } from '../../src/finite/activation.js';
import { buildArchitecture } from '../../src/finite/parameterization.js';
import { initParams } from '../../src/finite/params.js';
import type * as TrainModule from '../../src/finite/train.js';
import type * as LossModule from '../../src/finite/loss.js';
import type * as NativeModule from '../../src/core/gemmNative.js';
import { benchDataset } from '../lib/data.js';
import { runPeer, type PeerArray } from '../lib/python.js';
import { ADAPTIVE, measure, type Timing } from '../lib/timing.js';
import { loadModule, skippedRow, type BenchContext, type BenchRow, type Workload } from '../lib/workload.js';

interface TrainerCase {
  name: string;
  n: number;
  d: number;
  h: number;
  L: number;
  steps: number;
  goal: number;
  activation?: 'relu' | 'erf';
  parameterization?: 'ntk' | 'ip';
  lr?: number;
}

const FULL: TrainerCase[] = [
  { name: 'trainer-mlp', n: 256, d: 16, h: 1024, L: 2, steps: 500, goal: 0.9 },
  { name: 'trainer-2layer', n: 256, d: 16, h: 4096, L: 1, steps: 500, goal: 0.8 },
  { name: 'trainer-small', n: 64, d: 8, h: 256, L: 2, steps: 2000, goal: 0.8 },
  { name: 'trainer-deep-skinny', n: 32, d: 5, h: 4096, L: 2, steps: 50, goal: 0.6, activation: 'erf' },
  { name: 'trainer-geiger-sized', n: 256, d: 784, h: 1024, L: 4, steps: 200, goal: 0.9, lr: 0.1 },
  { name: 'trainer-ip-sized', n: 512, d: 784, h: 1024, L: 6, steps: 20, goal: 0.9, parameterization: 'ip', lr: 0.01 },
];

const QUICK: TrainerCase[] = [
  { name: 'trainer-mlp', n: 64, d: 16, h: 128, L: 2, steps: 20, goal: 0.9 },
  { name: 'trainer-2layer', n: 64, d: 16, h: 512, L: 1, steps: 20, goal: 0.8 },
  { name: 'trainer-small', n: 64, d: 8, h: 256, L: 2, steps: 20, goal: 0.8 },
  { name: 'trainer-deep-skinny', n: 32, d: 5, h: 512, L: 2, steps: 5, goal: 0.6, activation: 'erf' },
  { name: 'trainer-geiger-sized', n: 64, d: 784, h: 128, L: 4, steps: 5, goal: 0.9, lr: 0.1 },
  { name: 'trainer-ip-sized', n: 64, d: 784, h: 128, L: 6, steps: 5, goal: 0.9, parameterization: 'ip', lr: 0.01 },
];

/** Test points evaluated at the two records (step 0 and the end). */
const N_TEST = 64;
/** Rate: stable for these ReLU NTK-parameterized nets (λ_max(Θ)/n ≈ 2–4, so 2n/λ_max > 0.5). */
const LR = 0.25;
/** σ_w² = 2 keeps ReLU pre-activations at unit scale. */
const WEIGHT_STD = Math.SQRT2;

export const trainerWorkload: Workload = {
  name: 'trainer',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const train = await loadModule<typeof TrainModule>('src/finite/train.js', ['trainNetwork']);
    const loss = await loadModule<typeof LossModule>('src/finite/loss.js', ['makeLoss']);
    const cases = (ctx.quick ? QUICK : FULL).filter((c) => ctx.selects(c.name));
    const rows: BenchRow[] = [];
    for (const c of cases) {
      const size = `n=${c.n} d=${c.d} h=${c.h} L=${c.L} steps=${c.steps}`;
      if (typeof train === 'string' || typeof loss === 'string') {
        rows.push(skippedRow(c.name, size, typeof train === 'string' ? train : (loss as string), c.goal));
        continue;
      }
      rows.push(await runCase(ctx, c, size, train, loss));
      if (c.name === 'trainer-mlp' && ctx.selects('trainer-mlp-threads')) rows.push(await twoThreads(ctx, c, size, train, loss, rows[rows.length - 1].ours));
    }
    return rows;
  },
};

async function runCase(
  ctx: BenchContext,
  c: TrainerCase,
  size: string,
  train: typeof TrainModule,
  lossMod: typeof LossModule,
): Promise<BenchRow> {
  const { arch, data, params0, opts } = setup(c, lossMod);
  ctx.log(`${c.name}: ours (${size})`);
  let out: TrainModule.TrainOutput | null = null;
  const ours = await measure(ADAPTIVE, () => { out = train.trainNetwork(arch, params0, data, opts); });
  const result = out as unknown as TrainModule.TrainOutput;
  const notes: string[] = [];
  if (result.status !== 'ok') notes.push(`ours: status ${result.status} ${result.message}`);
  const oursLoss = result.trainLoss[result.trainLoss.length - 1];

  let peer = null;
  let peerLoss: number | null = null;
  const py = ctx.peer('torch');
  if ('exe' in py) {
    ctx.log(`${c.name}: torch`);
    const arrays: Record<string, PeerArray> = {
      x: { data: data.x.data, shape: [c.n, c.d] },
      y: { data: data.y.data, shape: [c.n, 1] },
      xTest: { data: data.xTest.data, shape: [N_TEST, c.d] },
      yTest: { data: data.yTest.data, shape: [N_TEST, 1] },
    };
    params0.W.forEach((w, l) => { arrays[`W${l}`] = { data: w.data, shape: [w.rows, w.cols] }; });
    params0.b.forEach((b, l) => { if (b && arch.layers[l].bias) arrays[`b${l}`] = { data: b, shape: [b.length] }; });
    const r = runPeer(py, 'trainer.py', {
      layers: arch.layers.map((l) => ({ multiplier: l.multiplier, rate: l.rate, bias: l.bias ? { multiplier: l.bias.multiplier, rate: l.bias.rate } : null })),
      lr: opts.lr, steps: c.steps, activation: c.activation ?? 'relu',
    }, arrays, ADAPTIVE, 1);
    if ('error' in r) notes.push(`peer failed: ${r.error}`);
    else {
      peer = r.timing;
      peerLoss = r.check;
    }
  }
  return {
    workload: c.name, size, threads: 1, ours, peer, goal: c.goal, notes,
    check: { what: 'final train loss', ours: oursLoss, peer: peerLoss },
    extra: { initialTrainLoss: result.trainLoss[0], finalTrainLoss: oursLoss, lr: opts.lr, nTest: N_TEST, activation: c.activation ?? 'relu', parameterization: c.parameterization ?? 'ntk' },
  };
}

function setup(c: TrainerCase, lossMod: typeof LossModule) {
  const arch = buildArchitecture({
    inputDim: c.d, outputDim: 1, width: c.h, depth: c.L,
    activation: parseActivation(c.activation ?? 'relu', 'model.activation'),
    parameterization: c.parameterization ?? 'ntk', weightStd: WEIGHT_STD,
  });
  const data = benchDataset(c.n, N_TEST, c.d, c.name);
  const params0 = initParams(arch, new Rng(`bench/${c.name}`));
  const opts: TrainModule.TrainOptions = {
    loss: lossMod.makeLoss('mse'), method: 'gd', lr: c.lr ?? LR, steps: c.steps, recordEvery: c.steps,
    rng: new Rng('bench/sgd-unused'),
  };
  return { arch, data, params0, opts };
}

/** trainer-mlp again on two threads of the native engine, against our own one-thread time. */
async function twoThreads(
  ctx: BenchContext, c: TrainerCase, size: string, train: typeof TrainModule, lossMod: typeof LossModule, one: Timing | null,
): Promise<BenchRow> {
  const native = await loadModule<typeof NativeModule>('src/core/gemmNative.js', ['setNativeThreads', 'nativeIsa']);
  const name = 'trainer-mlp-threads';
  if (typeof native === 'string' || native.nativeIsa() === null) return skippedRow(name, size, 'the native engine is not in use', 0.588);
  const { arch, data, params0, opts } = setup(c, lossMod);
  ctx.log(`${name}: ours on 2 threads (${size})`);
  const old = native.setNativeThreads(2);
  let ours: Timing;
  try {
    ours = await measure(ADAPTIVE, () => { train.trainNetwork(arch, params0, data, opts); });
  } finally {
    native.setNativeThreads(old);
  }
  const speedup = one ? one.best / ours.best : null;
  return {
    workload: name, size, threads: 2, ours, peer: one, goal: 0.588,
    notes: [`peer column = ours on 1 thread; speed-up ${speedup ? speedup.toFixed(2) : '?'}× (goal ≥ 1.7×)`],
    extra: { speedup },
  };
}
