/**
 * Training a finite network: options, output, and the dispatch to the three methods
 * (theory/conventions.md#notation): gradient descent (trainGd.ts), minibatch SGD (trainSgd.ts) and gradient flow
 * (trainFlow.ts). Every method updates θ_p along −r_p ∂Loss/∂θ_p and reports flow time
 * τ = lr · steps. Numerical failures are returned as a status, never thrown.
 */
import type { Outcome } from '../core/errors.js';
import { InputError, requirePositive, show } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import type { Dataset } from '../data/dataset.js';
import type { Outputs } from '../spec/result.js';
import type { MethodName } from '../spec/types.js';
import type { Architecture } from './architecture.js';
import type { Loss } from './loss.js';
import type { Params } from './params.js';
import { trainGd } from './trainGd.js';
import { trainSgd } from './trainSgd.js';
import { trainFlow } from './trainFlow.js';

export { recordSteps } from './trainState.js';

export interface TrainOptions {
  loss: Loss;
  method: MethodName;
  /** η (> 0). For flow, the time unit: the run lasts τ = lr · steps. */
  lr: number;
  /** Number of steps (gd, sgd unless `epochs`), or flow time / lr (flow). */
  steps: number;
  /** Record every this many steps (and at the last step). */
  recordEvery: number;
  /** sgd: minibatch size (default min(n, 32)). */
  batchSize?: number;
  /** sgd: true = fresh uniform samples with replacement each step; false (default) = epochs over a permutation. */
  replace?: boolean;
  /** sgd: number of epochs; overrides `steps` (steps = epochs · ⌈n/batchSize⌉). */
  epochs?: number;
  /** flow: relative and absolute local error tolerance (default 1e-6). */
  tolerance?: number;
  /** flow: `dopri5` (default, Dormand–Prince 5(4)) or `geiger` (adaptive Euler of Geiger et al.). */
  flowScheme?: 'dopri5' | 'geiger';
  /** Record the empirical NTK on the training inputs (kernelInit, kernelFinal, kernelMotion). */
  recordKernel?: boolean;
  /** Train loss above divergenceFactor · max(1, initial loss) stops the run as diverged (default 1e8). */
  divergenceFactor?: number;
  /** Stream of SGD batches. */
  rng: Rng;
}

export interface TrainOutput extends Outcome {
  /** Flow time τ = lr · step of each record. */
  times: number[];
  /** Step count of each record. */
  steps: number[];
  trainLoss: number[];
  testLoss: number[];
  fTrain: Outputs[];
  fTest: Outputs[];
  /** ‖θ_t − θ_0‖/‖θ_0‖ at each record, total and per layer ([record][layer]). */
  weightMotion: number[];
  weightMotionPerLayer: number[][];
  /** With recordKernel: ‖Θ̂_t − Θ̂_0‖_F/‖Θ̂_0‖_F at each record, and Θ̂ at the first / last record. */
  kernelMotion?: number[];
  kernelInit?: number[][];
  kernelFinal?: number[][];
  /** Parameters at the end (or where the run stopped). */
  finalParams: Params;
  /** Method statistics (flow: accepted / rejected steps, evaluations; sgd: batch size, epochs). */
  stats: Record<string, number | string>;
}

/**
 * Train `params0` (not modified) on `data` with `opts`. `progress` receives the fraction done
 * (a few hundred calls at most).
 */
export function trainNetwork(
  arch: Architecture,
  params0: Params,
  data: Dataset,
  opts: TrainOptions,
  progress?: (fraction: number) => void,
): TrainOutput {
  checkOptions(arch, data, opts);
  switch (opts.method) {
    case 'gd': return trainGd(arch, params0, data, opts, progress);
    case 'sgd': return trainSgd(arch, params0, data, opts, progress);
    case 'flow': return trainFlow(arch, params0, data, opts, progress);
    default: {
      const never: never = opts.method;
      throw new InputError('training.method', `unknown method ${show(never)} (known: gd, sgd, flow)`);
    }
  }
}

function checkOptions(arch: Architecture, data: Dataset, o: TrainOptions): void {
  requirePositive('training.lr', o.lr);
  const nonNegInt = (where: string, v: number) => {
    if (!Number.isInteger(v) || v < 0) throw new InputError(where, `must be a non-negative integer, got ${show(v)}`);
  };
  nonNegInt('training.steps', o.steps);
  if (!Number.isInteger(o.recordEvery) || o.recordEvery < 1) {
    throw new InputError('training.recordEvery', `must be a positive integer, got ${show(o.recordEvery)}`);
  }
  if (o.epochs !== undefined) nonNegInt('training.epochs', o.epochs);
  if (o.batchSize !== undefined && (!Number.isInteger(o.batchSize) || o.batchSize < 1)) {
    throw new InputError('training.batchSize', `must be a positive integer, got ${show(o.batchSize)}`);
  }
  if (o.tolerance !== undefined) requirePositive('training.tolerance', o.tolerance);
  if (data.x.cols !== arch.inputDim || data.xTest.cols !== arch.inputDim) {
    throw new InputError('data', `inputs have dimension ${data.x.cols} (test ${data.xTest.cols}) but the network expects ${arch.inputDim}`);
  }
  if (data.y.cols !== arch.outputDim || data.yTest.cols !== arch.outputDim) {
    throw new InputError('data', `targets have ${data.y.cols} outputs (test ${data.yTest.cols}) but the network has ${arch.outputDim}`);
  }
  if (data.x.rows === 0) throw new InputError('data.n', 'the training set is empty');
}
