/**
 * `widelimit limit` for the mean-field limit: the m = ∞ dynamics of the spec's two-layer network
 * (depth 1, `meanfield` parameterization or any abc choice whose particle constants do not depend
 * on the width), in the result-file format of docs/interface.md#result-file.
 *
 * The network is mapped to particles (trainerMap.ts; theory/meanfield.md#trainer-map): mean-field
 * time t = (r_2 h m_2²)·τ with τ = η·steps the trainer's flow time (t = τ for `meanfield`), and the
 * reference (reference.ts) is a mean over seeds of large particle systems started from the
 * trainer's initial law. The scheme follows `training.method`:
 * - `gd`: explicit Euler with dt = η in trainer units — the exact m = ∞ limit of gradient descent;
 * - `flow`: dopri5 with tolerance `limitOptions.rtol` (default 1e-4: the reference's sampling
 *   error, ~M^{−1/2}, dominates; on data the error is controlled on F, flow.ts);
 * - `sgd`: Euler with dt = η on the full training risk (`empirical`: minibatch noise is not
 *   modelled), or on fresh batches with replacement (`online`).
 * Reported: times τ at the trainer's record steps, f = α F̄ of the seed-mean F̄ on the training and
 * test inputs (the m = ∞ function; its standard error in fTrainStdErr / fTestStdErr), and the
 * losses of that function.
 */
import { InputError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import type { Dataset } from '../../data/dataset.js';
import { loadData } from '../../data/load.js';
import { drawTarget, parseTarget } from '../../data/target.js';
import type { Architecture } from '../../finite/architecture.js';
import { paramsFromInitFile } from '../../finite/initFile.js';
import { type PointLoss, isPointLoss, makeLoss, pointLoss } from '../../finite/loss.js';
import { buildSchedule } from '../../finite/schedule.js';
import type { RunResult } from '../../spec/result.js';
import { VERSION } from '../../spec/version.js';
import { architectureFromSpec } from '../../spec/architecture.js';
import type { Spec } from '../../spec/types.js';
import type { Risk } from './field.js';
import { type MeanFieldLimitOptions, parseMeanFieldOptions } from './options.js';
import { meanFieldReference, oddReducedApplies } from './reference.js';
import type { Scheme } from './steppers.js';
import { populationTargetOf } from './targets.js';
import { type TrainerMap, trainerMap } from './trainerMap.js';
import { DEFAULT_BATCH_SIZE } from '../../finite/runDefaults.js';
import type { CitationKey } from '../../spec/citations.js';

export interface RunMeanFieldOptions {
  /** A parsed initial-weights file: checked against the spec, then not used (see below). */
  init?: unknown;
  progress?: (fraction: number) => void;
  /** Use this data set instead of loading spec.data. */
  dataset?: Dataset;
  /** Directory that relative data paths are resolved against. */
  baseDir?: string;
}

/** The result file of a mean-field limit run, with the reference's standard errors. */
export interface MeanFieldRunResult extends RunResult {
  /** Standard error of the seed-mean f on the training / test inputs, per record. */
  fTrainStdErr: number[][];
  fTestStdErr: number[][];
  /** Population risk of the reference at each record (risk `population` only). */
  populationRisk?: number[];
}

const architectureOf = (spec: Spec, data: Dataset, width: number): Architecture => architectureFromSpec(spec, data, width);

/** The map at the spec's width, after checking that its constants do not depend on the width. */
export function widthFreeMap(spec: Spec, data: Dataset): { arch: Architecture; map: TrainerMap } {
  const arch = architectureOf(spec, data, spec.model.width);
  const map = trainerMap(arch);
  const other = trainerMap(architectureOf(spec, data, 2 * spec.model.width));
  const same = (x: number, y: number) => Math.abs(x - y) <= 1e-12 * Math.max(Math.abs(x), Math.abs(y));
  const checks: [string, number, number][] = [
    ['std of a', map.init.aStd, other.init.aStd], ['std of w', map.init.wStd, other.init.wStd],
    ['time per τ', map.timePerTau, other.timePerTau], ['rate of w', map.wRate, other.wRate],
  ];
  for (const [what, x, y] of checks) {
    if (!same(x, y)) {
      throw new InputError('model.parameterization', `the ${arch.parameterization} parameterization has no mean-field limit: the particles' ${what} depends on the width (${x} at h = ${spec.model.width}, ${y} at h = ${2 * spec.model.width}); use "meanfield"`);
    }
  }
  return { arch, map };
}

export function riskOf(spec: Spec, data: Dataset, o: MeanFieldLimitOptions, loss: PointLoss): Risk {
  const y = data.y.data.slice();
  const alpha = spec.model.alpha;
  switch (o.risk) {
    case 'empirical':
      return { kind: 'empirical', x: data.x, y, loss, alpha };
    case 'online':
      return {
        kind: 'online', batchSize: o.batchSize ?? spec.training.batchSize ?? Math.min(data.x.rows, DEFAULT_BATCH_SIZE),
        sampler: { kind: 'dataset', x: data.x, y }, loss, alpha,
      };
    case 'population': {
      const d = spec.data;
      if (d.source !== 'gaussian') throw new InputError('limitOptions.risk', `the population risk needs data.source "gaussian", got ${JSON.stringify(d.source)}`);
      if (spec.training.loss !== 'mse' || alpha !== 1) throw new InputError('limitOptions.risk', 'the population risk is implemented for the mse loss with model.alpha = 1');
      if ((d.noise ?? 0) !== 0) throw new InputError('limitOptions.risk', 'the population risk has no label noise: data.noise must be 0');
      // the data module's target, drawn from its documented stream (src/data/gaussian.ts)
      const target = drawTarget(parseTarget(d.target, d.dim, d.outputs), d.dim, d.outputs, new Rng(d.seed).child('teacher'));
      const t = populationTargetOf(target, d.dim, 0);
      if (!t) throw new InputError('limitOptions.risk', `the population risk needs a linear or teacher-relu target, got ${JSON.stringify(d.target)}`);
      return { kind: 'population', variance: 1, target: t };
    }
  }
}

/** Record steps of the trainer (its schedule, finite/schedule.ts). */
export function trainerSteps(spec: Spec, n: number): number[] {
  return buildSchedule(spec.training, n).records;
}

export function runMeanFieldLimit(spec: Spec, opts: RunMeanFieldOptions = {}): MeanFieldRunResult {
  const t0 = performance.now();
  const o = parseMeanFieldOptions(spec.limitOptions);
  const data = opts.dataset ?? loadData(spec.data, opts.baseDir);
  const { arch, map } = widthFreeMap(spec, data);
  if (opts.init !== undefined) paramsFromInitFile(opts.init, arch, 'init');
  const t = spec.training;
  const loss = makeLoss(t.loss, t.softHingeBeta);
  if (!isPointLoss(loss)) throw new InputError('training.loss', 'the mean-field limit has one output per input; cross-entropy over k classes is available in the trainer and the ntk limit');
  const risk = riskOf(spec, data, o, loss);
  const model = { activation: arch.activation, wRate: map.wRate };
  const init = { ...map.init, symmetric: o.init === 'symmetric' };
  if (o.method === 'odd-reduced' && !oddReducedApplies(model, risk)) {
    throw new InputError('limitOptions.method', 'odd-reduced needs the population risk with a linear target, relu, and γ0²σ_w²/d = 1 (κ = 1)');
  }
  const steps = trainerSteps(spec, data.x.rows);
  const taus = steps.map((s) => t.lr * s);
  const dt = map.timePerTau * t.lr;
  const scheme: Scheme = t.method === 'flow' && risk.kind !== 'online'
    ? { kind: 'dopri5', rtol: o.rtol ?? 1e-4, atol: 1e-2 * (o.rtol ?? 1e-4) }
    : { kind: 'euler', dt };
  const ref = meanFieldReference(model, risk, arch.inputDim, {
    times: steps.map((s) => s * dt), particles: o.particles, seeds: o.seeds, init, scheme,
    seed: `${spec.seed}/meanfield`, inputs: [data.x, data.xTest], method: o.method, progress: opts.progress,
  });
  const K = ref.times.length;
  const alpha = spec.model.alpha;
  const scaled = (x: Float64Array) => Array.from(x, (v) => alpha * v);
  const fTrain = ref.outputs[0].map((r) => scaled(r.mean));
  const fTest = ref.outputs[1].map((r) => scaled(r.mean));
  const lossOf = (f: number[], y: Float64Array) => {
    let s = 0;
    for (let i = 0; i < f.length; i++) s += pointLoss(loss, f[i], y[i]);
    return s / (alpha * alpha * f.length);
  };
  const notes: string[] = [];
  if (t.method === 'sgd') notes.push(risk.kind === 'online' ? 'sgd: online batches with replacement from the training set' : 'sgd: reference is full-batch gradient descent with the same step (minibatch noise not modelled)');
  if (spec.model.centred) notes.push('centred: F_θ0 → 0 as h → ∞, so the limit is that of the uncentred network');
  if (opts.init !== undefined) notes.push('init file checked but not used: the m = ∞ mean-field dynamics does not depend on one draw of the weights');
  const maxSe = (rs: { se: Float64Array }[]) => rs.reduce((mx, r) => r.se.reduce((a, b) => (Number.isFinite(b) ? Math.max(a, alpha * b) : a), mx), 0);
  const result: MeanFieldRunResult = {
    status: ref.status,
    message: [ref.message, ...notes].filter((s) => s !== '').join('; '),
    times: taus.slice(0, K),
    steps: steps.slice(0, K),
    trainLoss: fTrain.map((f) => lossOf(f, data.y.data)),
    testLoss: fTest.map((f) => lossOf(f, data.yTest.data)),
    fTrain,
    fTest,
    fTrainStdErr: ref.outputs[0].map((r) => scaled(r.se)),
    fTestStdErr: ref.outputs[1].map((r) => scaled(r.se)),
    spec,
    meta: {
      version: VERSION, seed: spec.seed, seconds: (performance.now() - t0) / 1000, kind: 'limit', limit: 'meanfield',
      timeUnit: 'flow time lr·steps (trainer units); mean-field time = timePerTau · τ',
      data: data.description, reference: ref.method, references: ['mei2018', 'chizat2018'] satisfies CitationKey[],
    },
    stats: {
      method: ref.method, scheme: scheme.kind, risk: risk.kind, init: o.init, particles: o.particles, seeds: o.seeds,
      runs: ref.runs, timePerTau: map.timePerTau, wRate: map.wRate, steps: ref.stats.steps,
      rejected: ref.stats.rejected, evaluations: ref.stats.evaluations,
      maxStdErrTrain: maxSe(ref.outputs[0]), maxStdErrTest: maxSe(ref.outputs[1]),
    },
  };
  if (risk.kind === 'population') result.populationRisk = Array.from(ref.risk.mean);
  return result;
}
