/**
 * The NTK limit of a spec: analytic kernels and (for MSE on the eig path) their decomposition
 * computed once, then predictions from any initial outputs at the trainer's record times
 * (theory/ntk.md#predictor). The harness runs many finite widths × seeds against ONE
 * {@link NtkLimitModel}; `widelimit limit` runs it once ({@link runNtkLimit}).
 */
import { type Mat, assertShape, mat, toRows } from '../../core/matrix.js';
import type { Dataset } from '../../data/dataset.js';
import { loadData } from '../../data/load.js';
import type { Architecture } from '../../finite/architecture.js';
import { type Loss, lossAndGradient, makeLoss } from '../../finite/loss.js';
import { outputsToJson } from '../../finite/observables.js';
import type { RunResult } from '../../spec/result.js';
import { VERSION } from '../../spec/version.js';
import type { Spec } from '../../spec/types.js';
import { type EnsembleAtTime, ensemblePrediction } from './ensemble.js';
import { frozenGeneral } from './frozenLoss.js';
import type { FrozenProblem, FrozenSolution } from './frozenTypes.js';
import { initialOutputs } from './initOutputs.js';
import { type KernelOptions, analyticKernels, kernelOptionsFromArchitecture } from './kernels.js';
import { lambdaMaxBounds } from './lanczos.js';
import { frozenMse } from './mse.js';
import type { Schedule } from './schedule.js';
import { type Spectrum, spectrum } from './spectral.js';
import { type NtkLimitOptions, architectureFromSpec, parseNtkLimitOptions, scheduleFromSpec, trainerRecordSteps } from './specModel.js';
import type { CitationKey } from '../../spec/citations.js';

/** Citations of the NTK limit (src/spec/citations.ts). */
export const NTK_REFERENCES: CitationKey[] = ['jacot2018', 'lee2019', 'arora2019', 'cho2009'];

/** Initial outputs for a path-wise run: n × k on the train inputs, nTest × k on the test inputs. */
export interface InitialFunction {
  train: Mat;
  test: Mat;
}

export interface NtkLimitModel {
  readonly spec: Spec;
  readonly data: Dataset;
  readonly arch: Architecture;
  readonly kernelOptions: KernelOptions;
  /** Analytic NTK Θ(X, X), n × n (for kernel-distance metrics). */
  readonly kernelTrain: Mat;
  /** Θ(X*, X), nTest × n. */
  readonly kernelTest: Mat;
  /** NNGP Σ(X, X) and Σ(X*, X) of F (before α). */
  readonly nngpTrain: Mat;
  readonly nngpTestTrain: Mat;
  /** Record steps of the trainer and their flow times τ = lr · step. */
  readonly steps: number[];
  readonly times: number[];
  readonly schedule: Schedule;
  readonly loss: Loss;
  /** λ_max of Θ (exact on the eig path, a Lanczos upper estimate otherwise). */
  readonly lambdaMax: number;
  readonly warnings: readonly string[];
  /**
   * Predictions from f_0 (default 0, the infinite-width mean) at the record times. `meta` entries
   * are merged into the result's meta. Never throws on numerical failure (status).
   */
  run(f0?: InitialFunction, meta?: Record<string, unknown>): RunResult;
  /** Ensemble mean and covariance over initializations at `times` (default: the record times); MSE. */
  ensemble(times?: readonly number[]): EnsembleAtTime[];
}

export function prepareNtkLimit(spec: Spec, data: Dataset, opts: { arch?: Architecture } = {}): NtkLimitModel {
  const t0 = performance.now();
  const arch = opts.arch ?? architectureFromSpec(spec, data);
  const lo: NtkLimitOptions = parseNtkLimitOptions(spec.limitOptions, spec);
  const kernelOptions: KernelOptions = { ...kernelOptionsFromArchitecture(arch), quadratureNodes: lo.quadratureNodes };
  const { schedule, notes } = scheduleFromSpec(spec);
  const loss = makeLoss(spec.training.loss, spec.training.softHingeBeta);
  const steps = trainerRecordSteps(spec, data.x.rows);
  const times = steps.map((s) => spec.training.lr * s);
  const kx = analyticKernels(kernelOptions, data.x);
  const kt = analyticKernels(kernelOptions, data.xTest, data.x);
  const kernelSeconds = (performance.now() - t0) / 1000;
  const n = data.x.rows;
  const warnings = [...kx.warnings, ...notes];
  if (arch.alpha !== 1) warnings.push(`α = ${arch.alpha}: the frozen-kernel dynamics of f = α(F − [centred]F0) with the loss divided by α² do not depend on α (only f_0 does)`);
  let sp: Spectrum | undefined;
  let lambdaMax: number;
  const useEig = loss.kind === 'mse' && (lo.path === 'eig' || (lo.path === 'auto' && n <= lo.eigMaxN));
  if (useEig) {
    sp = spectrum(kx.ntk, kt.ntk);
    lambdaMax = sp.lambdaMax;
  } else {
    lambdaMax = lambdaMaxBounds(kx.ntk).upper;
  }
  const prep: Prepared = {
    spec, data, arch, lo, schedule, loss, steps, times, kx, kt, sp, lambdaMax, warnings,
    kernelSeconds, prepSeconds: (performance.now() - t0) / 1000,
  };
  let nngpTest: Mat | null = null;
  return {
    spec, data, arch, kernelOptions,
    kernelTrain: kx.ntk, kernelTest: kt.ntk, nngpTrain: kx.nngp, nngpTestTrain: kt.nngp,
    steps, times, schedule, loss, lambdaMax, warnings,
    run: (f0, meta = {}) => runPrepared(prep, f0, meta),
    ensemble(ts = times) {
      const sp2 = prep.sp ?? (prep.sp = spectrum(kx.ntk, kt.ntk));
      nngpTest ??= analyticKernels(kernelOptions, data.xTest).nngp;
      const scale = arch.centred ? 0 : arch.alpha * arch.alpha;
      return ensemblePrediction(sp2, data.y, { train: kx.nngp, testTrain: kt.nngp, test: nngpTest }, schedule, ts, scale);
    },
  };
}

/** What prepareNtkLimit computed once; `sp` is filled on first use when the eig path was not taken. */
interface Prepared {
  spec: Spec; data: Dataset; arch: Architecture; lo: NtkLimitOptions; schedule: Schedule; loss: Loss;
  steps: number[]; times: number[]; kx: { ntk: Mat; nngp: Mat }; kt: { ntk: Mat; nngp: Mat };
  sp: Spectrum | undefined; lambdaMax: number; warnings: string[]; kernelSeconds: number; prepSeconds: number;
}

/** The frozen-kernel trajectory from f0 (default 0) at the record times, as a result file. */
function runPrepared(p: Prepared, f0: InitialFunction | undefined, meta: Record<string, unknown>): RunResult {
  const { spec, data, arch, lo, schedule, loss, steps, times, kx, kt, warnings } = p;
  const r0 = performance.now();
  const n = data.x.rows;
  const k = data.y.cols;
  const init = f0 ?? { train: mat(n, k), test: mat(data.xTest.rows, k) };
  assertShape('NtkLimitModel.run(f0.train)', init.train, n, k);
  assertShape('NtkLimitModel.run(f0.test)', init.test, data.xTest.rows, k);
  const prob: FrozenProblem = { kernel: kx.ntk, kernelTest: kt.ntk, y: data.y, f0: init.train, f0Test: init.test };
  const sol: FrozenSolution = loss.kind === 'mse'
    ? frozenMse(prob, schedule, times, {
        spectrum: p.sp, lambdaMax: p.lambdaMax, path: lo.path, eigMaxN: lo.eigMaxN,
        krylov: { tol: lo.krylovTol, maxDim: lo.krylovMaxDim },
      })
    : frozenGeneral(prob, loss, schedule, times, { ode: { rtol: lo.odeRtol, atol: lo.odeRtol * 1e-3 } });
  const K = sol.times.length;
  const result: RunResult = {
    status: sol.status,
    message: sol.message,
    times: sol.times,
    steps: steps.slice(0, K),
    trainLoss: sol.fTrain.map((f) => lossAndGradient(loss, f, data.y, arch.alpha)),
    testLoss: sol.fTest.map((f) => (data.yTest.rows > 0 ? lossAndGradient(loss, f, data.yTest, arch.alpha) : NaN)),
    fTrain: sol.fTrain.map(outputsToJson),
    fTest: sol.fTest.map(outputsToJson),
    spec,
    meta: {
      version: VERSION,
      seed: spec.seed,
      seconds: p.prepSeconds + (performance.now() - r0) / 1000,
      kind: 'limit',
      limit: 'ntk',
      timeUnit: 'flow time lr·steps',
      schedule: schedule.kind === 'gd' ? `gradient descent, lr ${schedule.lr}` : 'gradient flow',
      path: sol.path,
      initialFunction: f0 ? 'given' : 'zero (infinite-width mean)',
      data: data.description,
      warnings: [...warnings, ...sol.warnings],
      references: NTK_REFERENCES,
      ...meta,
    },
    stats: { ...sol.stats, n, nTest: data.xTest.rows, kernelSeconds: p.kernelSeconds, lambdaMax: p.lambdaMax },
  };
  if (spec.training.recordKernel) result.kernelInit = toRows(kx.ntk);
  return result;
}

export interface RunNtkLimitOptions {
  /** A parsed initial-weights file: start from that network's outputs (path-wise comparison). */
  init?: unknown;
  progress?: (fraction: number) => void;
  dataset?: Dataset;
  baseDir?: string;
}

/** `widelimit limit` for the NTK limit. */
export function runNtkLimit(spec: Spec, opts: RunNtkLimitOptions = {}): RunResult {
  const t0 = performance.now();
  opts.progress?.(0);
  const data = opts.dataset ?? loadData(spec.data, opts.baseDir);
  let arch = architectureFromSpec(spec, data);
  let f0: InitialFunction | undefined;
  if (opts.init !== undefined) {
    const io = initialOutputs(opts.init, arch, data);
    arch = io.arch;
    f0 = { train: io.train, test: io.test };
  }
  const model = prepareNtkLimit(spec, data, { arch });
  opts.progress?.(0.5);
  const result = model.run(f0, opts.init !== undefined ? { init: 'from file' } : {});
  result.meta.seconds = (performance.now() - t0) / 1000;
  opts.progress?.(1);
  return result;
}
