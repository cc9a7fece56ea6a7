/**
 * Experiment kind `ntk-finite-width-prefactor` (experiments/ntk-finite-width-prefactor.json;
 * theory/finite-width.md#prefactor-fit): one-hidden-layer NTK networks over widths × seeds for
 * each listed activation, against the frozen-kernel limit started from their own f_0; the mean
 * square path-wise deviation at the claim times is fitted with the exponent and the constant the
 * finite-width theory predicts (−1 and C(τ), src/limits/ntk/finiteWidth.ts), and the report draws
 * the predicted C(τ) against h × the measured mean square at every record time.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../core/atomic.js';
import { InputError, requirePositiveInt, show } from '../../core/errors.js';
import type { ResolvedExperiment } from '../../harness/experiments.js';
import { fitRecords } from '../../harness/fits.js';
import { specHash } from '../../harness/hash.js';
import { type ExperimentKind, type ExperimentOutput, registerExperimentKind } from '../../harness/kinds.js';
import { createProgress } from '../../harness/progress.js';
import type { CurveRecord, Expectation, LongRecord } from '../../harness/types.js';
import { loadData, parseSpec } from '../../harness/deps.js';
import { type FiniteWidthPrediction, predictFiniteWidth } from '../../limits/ntk/finiteWidth.js';
import { predictFiniteWidthSampled } from '../../limits/ntk/finiteWidthSampled.js';
import { prepareNtkLimit } from '../../limits/ntk/limit.js';
import type { Spec } from '../../spec/types.js';
import { measureWidth } from './measure.js';
import { patternRecords } from './patternStatistics.js';
import { batchRecords, metricName, prefactorCurves, prefactorStatistics } from './statistics.js';
import { fluctuationKind } from './meanfieldKind.js';
import { deepLinearFluctuationKind } from './deeplinearKind.js';

export interface PrefactorParams {
  spec: Spec;
  activations: string[];
  widths: number[];
  seeds: number;
  /** Flow times of the records and fits (each must be a record time). */
  times: number[];
  /** Seeds per record row (the bootstrap resamples rows). */
  batch: number;
  /** Unit draws of the prediction's Monte Carlo (networks drawn, with `sampledWidth`). */
  unitSamples: number;
  /**
   * When set, C(τ) is sampled from whole networks of this width (any depth,
   * theory/finite-width.md#sampled-kernel) instead of averaged over units (one hidden layer).
   */
  sampledWidth?: number;
  /**
   * Also measure the kernel-motion split (linearized.ts, theory/finite-width.md#split): the
   * network's own linearization against the limit (`<set>Lin`, predicted C(τ)/h) and the trained
   * network against its linearization (`<set>Motion`, neglected by the prediction).
   */
  split?: boolean;
  /**
   * Also record the activation-pattern change between initialization and the end of training
   * (patterns.ts, theory/finite-width.md#motion-theory; relu or leaky relu only).
   */
  patterns?: boolean;
}

const PARAMS = ['activations', 'times', 'batch', 'unitSamples', 'sampledWidth', 'split', 'patterns'];

export function parsePrefactor(c: ResolvedExperiment): PrefactorParams {
  const w = c.name;
  const p = c.params ?? {};
  for (const k of Object.keys(p)) if (!PARAMS.includes(k)) throw new InputError(`${w}.params.${k}`, `unknown field (allowed: ${PARAMS.join(', ')})`);
  if (!c.spec) throw new InputError(`${w}.spec`, 'is required (the network, data and training; its activation is replaced by each of params.activations)');
  const spec = parseSpec(c.spec, `${w}.spec`);
  const acts = p.activations ?? [spec.model.activation];
  if (!Array.isArray(acts) || acts.length === 0 || acts.some((a) => typeof a !== 'string')) throw new InputError(`${w}.params.activations`, `must be a non-empty array of activation names, got ${show(acts)}`);
  const times = p.times;
  if (!Array.isArray(times) || times.length === 0 || times.some((t) => typeof t !== 'number' || !(t > 0))) throw new InputError(`${w}.params.times`, `must be a non-empty array of positive flow times, got ${show(times)}`);
  const batch = requirePositiveInt(`${w}.params.batch`, p.batch ?? 1);
  if (c.seeds % batch !== 0 || c.seeds / batch < 2) throw new InputError(`${w}.seeds`, `must be a multiple of params.batch (${batch}) with at least two batches, got ${c.seeds}`);
  for (const a of acts) parseSpec({ ...c.spec, model: { ...(c.spec.model as object), activation: a } }, `${w}.params.activations`);
  return {
    spec, activations: acts as string[], widths: [...c.widths].sort((a, b) => a - b), seeds: c.seeds, times: times as number[], batch,
    unitSamples: requirePositiveInt(`${w}.params.unitSamples`, p.unitSamples ?? 20000),
    ...(p.sampledWidth !== undefined ? { sampledWidth: requirePositiveInt(`${w}.params.sampledWidth`, p.sampledWidth) } : {}),
    ...(p.split !== undefined ? { split: parseFlag(`${w}.params.split`, p.split) } : {}),
    ...(p.patterns !== undefined ? { patterns: parseFlag(`${w}.params.patterns`, p.patterns) } : {}),
  };
}

function parseFlag(at: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new InputError(at, `must be true or false, got ${show(v)}`);
  return v;
}

/** The prediction of one activation, cached in DIR/prediction-<activation>.json. */
function prediction(dir: string, tag: string, hash: string, run: () => FiniteWidthPrediction): FiniteWidthPrediction {
  const file = join(dir, `prediction-${tag}.json`);
  if (existsSync(file)) {
    const s = JSON.parse(readFileSync(file, 'utf8')) as { specHash: string; prediction: FiniteWidthPrediction };
    if (s.specHash === hash) return s.prediction;
  }
  const p = run();
  writeJsonAtomic(file, { specHash: hash, prediction: p });
  return p;
}

async function runPrefactor(p: PrefactorParams, c: ResolvedExperiment, ctx: { out: string; progress: unknown }): Promise<ExperimentOutput> {
  const pending = p.activations.flatMap(() => p.widths.flatMap((h) => new Array<number>(p.seeds).fill(h)));
  const sink = ctx.progress === true ? createProgress({ label: c.name, pending, cost: (h) => h + 256, skipped: 0 }) : null;
  const records: LongRecord[] = [];
  const curves: CurveRecord[] = [];
  const expected: Expectation[] = [];
  const notes: string[] = [];
  for (const act of p.activations) {
    const raw = c.spec as Record<string, unknown>;
    const spec = parseSpec({ ...raw, model: { ...(raw.model as object), activation: act } }, `${c.name}.spec`);
    const hash = specHash(spec);
    const data = loadData(spec.data, c.dir);
    const model = prepareNtkLimit(spec, data);
    const at = p.times.map((t) => {
      const i = model.times.findIndex((x) => Math.abs(x - t) <= 1e-9 * Math.max(1, t));
      if (i < 0) throw new InputError(`${c.name}.params.times`, `${t} is not a record time (record times: ${model.times.join(', ')})`);
      return i;
    });
    const pred = prediction(ctx.out, act, hash, () => (p.sampledWidth !== undefined
      ? predictFiniteWidthSampled(model, { width: p.sampledWidth, samples: p.unitSamples, seed: spec.seed })
      : predictFiniteWidth(model, { samples: p.unitSamples, seed: spec.seed })));
    const all = p.widths.map((h) => measureWidth(ctx.out, act, hash, spec, model, data, h, p.seeds, (s, sec) => sink?.tick({ width: h, seed: s, status: 'ok', seconds: sec, what: `${act} h=${h} s${s}` }), p.split === true, p.patterns === true));
    for (const m of all) records.push(...batchRecords(act, m, at, p.batch), ...patternRecords(act, m, p.batch));
    curves.push(...prefactorCurves(act, all, pred));
    for (const set of ['train', 'test'] as const) {
      for (const t of at) {
        const se = set === 'train' ? pred.trainSe[t] : pred.testSe[t];
        expected.push({ metric: metricName(act, set, model.times[t]), exponent: -1, tolerance: 0.1, prefactor: pred[set][t], prefactorSe: se });
      }
    }
    if (p.split === true) {
      for (const set of ['train', 'test'] as const) {
        for (const t of at) {
          const se = set === 'train' ? pred.trainSe[t] : pred.testSe[t];
          expected.push({ metric: metricName(act, `${set}Lin`, model.times[t]), exponent: -1, tolerance: 0.1, prefactor: pred[set][t], prefactorSe: se });
        }
      }
    }
    notes.push(`${act}: predicted C(τ) at τ = ${model.times.join(', ')} — train ${pred.train.map((v) => v.toPrecision(4)).join(', ')}; test ${pred.test.map((v) => v.toPrecision(4)).join(', ')} (${pred.samples} ${p.sampledWidth !== undefined ? `networks of width ${p.sampledWidth} drawn` : 'unit draws'}, relative standard error ≤ ${(100 * Math.max(...pred.trainSe.map((s, i) => (pred.train[i] > 0 ? s / pred.train[i] : 0)), ...pred.testSe.map((s, i) => (pred.test[i] > 0 ? s / pred.test[i] : 0)))).toFixed(2)} %).`);
  }
  sink?.finish();
  const fits = fitRecords(records, expected, { seed: `${c.name}/fits` });
  return {
    records, curves, fits, status: 'ok', message: '',
    spec: { ...p, spec: c.spec },
    references: ['jacot2018', 'lee2019', 'dyer2019', 'hanin2019', 'efron1993'],
    labels: Object.fromEntries(expected.map((e) => [e.metric, { title: `Mean-square deviation ${e.metric.slice(3)}`, formula: '‖f_τ^(h) − f_τ^∞[f_0]‖²/(n k) at one flow time', axis: '‖f_τ − f_τ^∞‖²/n' }])),
    curveLabels: Object.fromEntries(p.activations.flatMap((a) => (['train', 'test'] as const).map((s) => [`C.${a}.${s}`, {
      title: `Predicted C(τ) against h × measured mean square (${a}, ${s})`, axis: 'h · E‖f_τ^(h) − f_τ^∞‖²/n', log: false,
      subtitle: 'per width: h × mean over seeds of the mean-square path-wise deviation, band ± 2 standard errors; black: the predicted C(τ) (theory/finite-width.md#prediction), band ± 2 Monte Carlo standard errors',
    }]).concat(p.split !== true ? [] : (['train', 'test'] as const).map((s) => [`C.${a}.${s}Lin`, {
      title: `Predicted C(τ) against h × the linearized network's mean square (${a}, ${s})`, axis: 'h · E‖f_τ^lin − f_τ^∞‖²/n', log: false,
      subtitle: 'per width: h × mean over seeds of ‖f^lin − f^∞‖² (the network frozen at its own initial kernel, theory/finite-width.md#split), band ± 2 standard errors; black: the predicted C(τ), band ± 2 Monte Carlo standard errors',
    }])))),
    notes,
  };
}

export const prefactorKind: ExperimentKind<PrefactorParams> = {
  kind: 'ntk-finite-width-prefactor',
  description: 'one-hidden-layer NTK networks against their frozen-kernel limit: the mean-square deviation fitted as C/h and C compared with the predicted C(τ)',
  parse: parsePrefactor,
  run: (p, c, ctx) => runPrefactor(p, c, ctx),
  statistics: prefactorStatistics,
};

export function registerFiniteWidthKinds(): void {
  registerExperimentKind(prefactorKind);
  registerExperimentKind(fluctuationKind);
  registerExperimentKind(deepLinearFluctuationKind);
}
