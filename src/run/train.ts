/**
 * `widelimit train`: build the network a spec describes, initialize (or read `--init`), train
 * it and fill the result file (docs/interface.md#result-file. Randomness: the init stream is
 * `new Rng(seed).child('init')`, the SGD stream `new Rng(seed).child('sgd')`, with
 * seed = opts.seed ?? spec.seed; the data has its own seed (spec.data.seed).
 */
import { Rng } from '../core/rng.js';
import type { Dataset } from '../data/dataset.js';
import { loadData } from '../data/load.js';
import type { Architecture } from '../finite/architecture.js';
import { type InitFile, architectureFromInit, paramsFromInitFile, toInitFile } from '../finite/initFile.js';
import { makeLoss } from '../finite/loss.js';
import { type Params, initParams } from '../finite/params.js';
import { trainNetwork } from '../finite/train.js';
import { architectureFromSpec } from '../spec/architecture.js';
import type { Spec } from '../spec/types.js';
import type { RunResult } from '../spec/result.js';
import { VERSION } from '../spec/version.js';

export interface RunTrainOptions {
  /** Overrides spec.model.width. */
  width?: number;
  /** Overrides spec.seed (init and SGD streams). */
  seed?: number;
  /** A parsed initial-weights file: train exactly these weights with its multipliers and rates. */
  init?: unknown;
  progress?: (fraction: number) => void;
  /** Use this data set instead of loading spec.data. */
  dataset?: Dataset;
  /** Directory that relative data paths are resolved against. */
  baseDir?: string;
}

export interface RunTrainOutput {
  result: RunResult;
  /** The initial weights trained (the `--save-init` file). */
  init: InitFile;
  finalParams: Params;
  arch: Architecture;
}

export function runTrain(spec: Spec, opts: RunTrainOptions = {}): RunTrainOutput {
  const t0 = performance.now();
  const seed = opts.seed ?? spec.seed;
  const width = opts.width ?? spec.model.width;
  const resolved: Spec = { ...spec, model: { ...spec.model, width }, seed };
  const data = opts.dataset ?? loadData(spec.data, opts.baseDir);
  let arch = architectureFromSpec(resolved, data, width);
  const rng = new Rng(seed);
  let params0: Params;
  if (opts.init !== undefined) {
    const parsed = paramsFromInitFile(opts.init, arch, 'init');
    arch = architectureFromInit(parsed, arch, 'init');
    params0 = parsed.params;
  } else {
    params0 = initParams(arch, rng.child('init'));
  }
  const t = resolved.training;
  const out = trainNetwork(arch, params0, data, {
    loss: makeLoss(t.loss, t.softHingeBeta),
    method: t.method,
    lr: t.lr,
    steps: t.steps,
    recordEvery: t.recordEvery,
    batchSize: t.batchSize,
    replace: t.replace,
    epochs: t.epochs,
    tolerance: t.tolerance,
    recordKernel: t.recordKernel,
    rng: rng.child('sgd'),
  }, opts.progress);
  const result: RunResult = {
    status: out.status,
    message: out.message,
    times: out.times,
    steps: out.steps,
    trainLoss: out.trainLoss,
    testLoss: out.testLoss,
    fTrain: out.fTrain,
    fTest: out.fTest,
    spec: resolved,
    meta: {
      version: VERSION,
      seed,
      seconds: (performance.now() - t0) / 1000,
      kind: 'train',
      width,
      parameterization: arch.parameterization,
      timeUnit: 'flow time lr·steps',
      data: data.description,
      ...(opts.init !== undefined ? { init: 'from file' } : {}),
    },
    weightMotion: out.weightMotion,
    weightMotionPerLayer: out.weightMotionPerLayer,
    stats: out.stats,
  };
  if (out.kernelMotion) result.kernelMotion = out.kernelMotion;
  if (out.kernelInit) result.kernelInit = out.kernelInit;
  if (out.kernelFinal) result.kernelFinal = out.kernelFinal;
  // built on first use (--save-init): the rows of a width-10^7 network are 10^7 lists, seconds of
  // garbage collection for a file nobody asked for
  let init: InitFile | undefined;
  return { result, get init() { return (init ??= toInitFile(arch, params0)); }, finalParams: out.finalParams, arch };
}
