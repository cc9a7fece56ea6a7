/**
 * `widelimit limit` for the deep-linear limit (theory/deeplinear.md#finite-checks): the infinite-width gradient-descent
 * dynamics of the network a spec describes, as a result file (docs/interface.md#result-file.
 *
 * The spec must describe a deep linear network trained by full-batch gradient descent on the MSE
 * with one output: activation `identity`, parameterization `meanfield` (γ0 = model.gamma0) or
 * `ntk` (γ0 → 0: the frozen kernel), weightStd 1, no biases, α = 1. Options in
 * `spec.limitOptions` (options.ts): `residual`, `beta0`, `solver`, `maxIterations`, `tolerance`,
 * `divergenceFactor`. Records at steps 0, recordEvery, …, steps; times τ = lr · step.
 */
import { InputError, show } from '../../core/errors.js';
import { type Mat, toRows } from '../../core/matrix.js';
import type { Dataset } from '../../data/dataset.js';
import { loadData } from '../../data/load.js';
import { parseActivation } from '../../finite/activation.js';
import { forwardRaw } from '../../finite/fused/forward.js';
import { architectureFromInit, paramsFromInitFile } from '../../finite/initFile.js';
import type { RunResult } from '../../spec/result.js';
import { VERSION } from '../../spec/version.js';
import type { Spec } from '../../spec/types.js';
import { type DeepLinearOptions, parseDeepLinearOptions } from './options.js';
import { type DeepLinearProblem, inputKernel } from './problem.js';
import { type DeepLinearView, deepLinearNetwork, deepLinearView } from '../../finite/layers/linear.js';
import { networkFromModel } from '../../spec/architecture.js';
import { solveDeepLinear } from './solve.js';
import { runProportionalLimit } from '../proportional/run.js';
import { lazyFromInitial } from './exact.js';
import { type DeepLinearSolution, predict, tangentKernelAt } from './solution.js';
import type { CitationKey } from '../../spec/citations.js';

export interface DeepLinearRunOptions {
  /** A parsed initial-weights file: with γ0 → 0 (ntk) the limit starts from its function f_0. */
  init?: unknown;
  progress?: (fraction: number) => void;
  /** Use this data set instead of loading spec.data. */
  dataset?: Dataset;
  /** Directory that relative data paths are resolved against. */
  baseDir?: string;
}

/** γ0 of the limit: model.gamma0 for meanfield, 0 for ntk; InputError for anything else. */
export function deepLinearGamma0(spec: Spec): number {
  const m = spec.model;
  const p = m.parameterization;
  if (p === 'meanfield') return m.gamma0;
  if (p === 'ntk') return 0;
  throw new InputError('model.parameterization', `the deeplinear limit needs the meanfield (μP) or ntk parameterization, got ${show(p)}`);
}

/** Check that the spec describes the model of theory/deeplinear.md#single-site (sgd allowed for the proportional scaling). */
function checkSpec(spec: Spec, proportional = false): void {
  const m = spec.model;
  if (parseActivation(m.activation, 'model.activation').family.kind !== 'identity') {
    throw new InputError('model.activation', `the deeplinear limit is for linear networks: must be "identity", got ${show(m.activation)}`);
  }
  deepLinearGamma0(spec);
  if (m.weightStd !== 1) throw new InputError('model.weightStd', `the deeplinear limit is implemented for weightStd 1, got ${show(m.weightStd)}`);
  if (m.biasStd !== 0) throw new InputError('model.biasStd', `the deeplinear limit has no biases: must be 0, got ${show(m.biasStd)}`);
  if (m.alpha !== 1) throw new InputError('model.alpha', `the deeplinear limit is implemented for alpha 1, got ${show(m.alpha)}`);
  if (m.initMean !== undefined && m.initMean !== 0) throw new InputError('model.initMean', `the deeplinear limit needs centred (mean 0) weights, got ${show(m.initMean)}`);
  const t = spec.training;
  if (t.loss !== 'mse') throw new InputError('training.loss', `the deeplinear limit is solved for the mse loss, got ${show(t.loss)}`);
  if (t.method !== 'gd' && !(proportional && t.method === 'sgd')) throw new InputError('training.method', `the deeplinear limit is solved for full-batch gradient descent ("gd"), got ${show(t.method)}`);
}

/** Steps recorded: 0, every, 2·every, …, and the last step reached. */
function recordedSteps(every: number, last: number): number[] {
  const out: number[] = [];
  for (let s = 0; s <= last; s += every) out.push(s);
  if (out[out.length - 1] !== last) out.push(last);
  return out;
}

/** f_0 on (train, test) of the network in an init file (for the lazy path-wise limit). */
function initialFunction(init: unknown, data: Dataset, centred: boolean): { train: Float64Array; test: Float64Array } | null {
  const parsed = paramsFromInitFile(init, undefined, 'init');
  const arch = architectureFromInit(parsed, undefined, 'init');
  if (arch.inputDim !== data.x.cols || arch.outputDim !== 1) {
    throw new InputError('init', `the network in the file maps ${arch.inputDim} inputs to ${arch.outputDim} outputs; the data has ${data.x.cols} inputs and 1 output`);
  }
  if (centred || arch.centred) return null;
  const scale = (m: Mat) => Float64Array.from(m.data, (v) => arch.alpha * v);
  return { train: scale(forwardRaw(arch, parsed.params, data.x)), test: scale(forwardRaw(arch, parsed.params, data.xTest)) };
}

/**
 * The network the limit describes, as layers (src/finite/layers): the trainer's MLP of the spec
 * (plain), or the residual linear network of limitOptions.residual; the limit reads its depth and
 * architecture from them (deepLinearView).
 */
function networkOf(spec: Spec, o: DeepLinearOptions, inputDim: number): DeepLinearView {
  const m = spec.model;
  if (!o.residual) return deepLinearView(networkFromModel(m, inputDim, 1));
  const parameterization = m.parameterization === 'ntk' ? 'ntk' : 'meanfield';
  return deepLinearView(deepLinearNetwork({ inputDim, width: m.width, depth: m.depth, gamma0: m.gamma0, parameterization, residual: { beta0: o.beta0 } }));
}

/** The deep-linear limit of `spec` as a result file. Bad input: InputError; numerical failure: status. */
export function runDeepLinearLimit(spec: Spec, opts: DeepLinearRunOptions = {}): RunResult {
  const t0 = performance.now();
  const o = parseDeepLinearOptions(spec.limitOptions);
  checkSpec(spec, o.scaling === 'proportional');
  if (o.scaling === 'proportional') {
    const residual = o.residual ? { beta0: o.beta0, infinite: o.depth === 'infinite', depthSteps: o.depthSteps } : undefined;
    return runProportionalLimit(spec, opts.progress, residual);
  }
  const data = opts.dataset ?? loadData(spec.data, opts.baseDir);
  if (data.y.cols !== 1) throw new InputError('data.outputs', `the deeplinear limit has one output, got ${data.y.cols}`);
  const gamma0 = deepLinearGamma0(spec);
  const view = networkOf(spec, o, data.x.cols);
  const problem: DeepLinearProblem = {
    kx: inputKernel(data.x, data.x),
    y: Float64Array.from(data.y.data),
    depth: view.depth,
    gamma0,
    lr: spec.training.lr,
    steps: spec.training.steps,
    architecture: view.architecture,
  };
  const sol = solveDeepLinear(problem, { ...o, progress: opts.progress });
  const kStar = inputKernel(data.xTest, data.x);
  let fTrain: Float64Array = Float64Array.from(sol.f);
  let fTest = predict(sol, kStar);
  let initNote = '';
  if (opts.init !== undefined) {
    if (o.residual) {
      initNote = 'init ignored: an init file describes a plain network, not the residual one';
    } else if (gamma0 === 0) {
      const f0 = initialFunction(opts.init, data, spec.model.centred);
      if (f0) ({ train: fTrain, test: fTest } = lazyFromInitial(problem, f0.train, f0.test, kStar));
      initNote = f0 ? 'lazy limit started from the init file\'s f_0' : 'centred network: f_0 = 0';
    } else {
      initNote = 'init ignored: at γ0 > 0 the initial function vanishes as N → ∞ and the limit starts from f = 0';
    }
  }
  return assemble(spec, data, sol, fTrain, fTest, problem, o, t0, initNote);
}

function assemble(spec: Spec, data: Dataset, sol: DeepLinearSolution, fTrain: Float64Array, fTest: Float64Array,
  p: DeepLinearProblem, o: DeepLinearOptions, t0: number, initNote: string): RunResult {
  const P = sol.P;
  const m = data.xTest.rows;
  const steps = recordedSteps(spec.training.recordEvery, sol.T - 1);
  const loss = (f: Float64Array, off: number, y: Float64Array, k: number) => {
    let s = 0;
    for (let i = 0; i < k; i++) { const d = f[off + i] - y[i]; s += d * d; }
    return k > 0 ? s / (2 * k) : NaN;
  };
  const yTr = Float64Array.from(data.y.data);
  const yTe = Float64Array.from(data.yTest.data);
  const kx = p.kx;
  return {
    status: sol.status,
    message: sol.message,
    times: steps.map((s) => s * spec.training.lr),
    steps,
    trainLoss: steps.map((s) => loss(fTrain, s * P, yTr, P)),
    testLoss: steps.map((s) => loss(fTest, s * m, yTe, m)),
    fTrain: steps.map((s) => Array.from(fTrain.subarray(s * P, (s + 1) * P))),
    fTest: steps.map((s) => Array.from(fTest.subarray(s * m, (s + 1) * m))),
    spec,
    meta: {
      version: VERSION,
      seed: spec.seed,
      seconds: (performance.now() - t0) / 1000,
      kind: 'limit',
      limit: 'deeplinear',
      gamma0: p.gamma0,
      architecture: o.residual ? `residual (beta0 = ${o.beta0}, ${p.depth} blocks)` : `plain (${p.depth} hidden layers)`,
      solver: String(sol.stats.solver),
      timeUnit: 'flow time lr·steps (gradient descent: exact at every step)',
      data: data.description,
      references: ['bordelon2022', 'bordelon2025', 'saxe2014'] satisfies CitationKey[],
      ...(initNote ? { init: initNote } : {}),
    },
    kernelInit: toRows(tangentKernelAt(sol, kx, 0)),
    kernelFinal: toRows(tangentKernelAt(sol, kx, sol.T - 1)),
    stats: { ...sol.stats, residual: sol.residual },
  };
}
