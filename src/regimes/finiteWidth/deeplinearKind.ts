/**
 * Experiment kind `deeplinear-finite-width-prefactor` (experiments/deeplinear-finite-width-prefactor.json;
 * theory/finite-width-deeplinear.md#experiment): plain deep linear μP networks of the project's
 * trainer over widths × seeds; N × the seed variance of f on the training and test inputs and of
 * the training loss at every record time, against the predicted C(t) of the delta method on the
 * reduced recursion (src/limits/deeplinear/fluctuation.ts). Statistics, records and figures are the
 * mean-field experiment's (meanfieldStatistics.ts; its set `risk` is the training loss here).
 * Seeds per width `seeds × (N_max/N)^seedPower` (default 1), `seeds` being the count at the widest.
 */
import { InputError, requirePositive, requirePositiveInt, show } from '../../core/errors.js';
import type { ResolvedExperiment } from '../../harness/experiments.js';
import { specHash } from '../../harness/hash.js';
import type { ExperimentKind, ExperimentOutput } from '../../harness/kinds.js';
import { createProgress } from '../../harness/progress.js';
import type { LongRecord } from '../../harness/types.js';
import { loadData, parseSpec } from '../../harness/deps.js';
import { fluctuationOnInputs, predictDeepLinearFluctuation } from '../../limits/deeplinear/fluctuation.js';
import type { Spec } from '../../spec/types.js';
import { measureDeepLinearWidth } from './deeplinearMeasure.js';
import { SETS } from './meanfieldMeasure.js';
import { type PredictedTable, fluctuationCurves, fluctuationMetric, fluctuationRecords, fluctuationStatistics } from './meanfieldStatistics.js';

export interface DeepLinearFluctuationParams {
  spec: Spec;
  widths: number[];
  seedsAt: Record<string, number>;
  batch: number;
  eps: number;
}

const PARAMS = ['batch', 'seedPower', 'eps'];

export function parseDeepLinearFluctuation(c: ResolvedExperiment): DeepLinearFluctuationParams {
  const w = c.name;
  const p = c.params ?? {};
  for (const k of Object.keys(p)) if (!PARAMS.includes(k)) throw new InputError(`${w}.params.${k}`, `unknown field (allowed: ${PARAMS.join(', ')})`);
  if (!c.spec) throw new InputError(`${w}.spec`, 'is required (data, plain deep linear meanfield network, gd training)');
  const spec = parseSpec(c.spec, `${w}.spec`);
  const m = spec.model;
  const ok = m.activation === 'identity' && m.parameterization === 'meanfield' && m.weightStd === 1 && m.biasStd === 0 && Number(m.gamma0) > 0
    && spec.training.method === 'gd' && spec.training.loss === 'mse' && !spec.limitOptions;
  if (!ok) throw new InputError(`${w}.spec`, `must be a plain deep linear μP network (activation identity, parameterization meanfield, gamma0 > 0, weightStd 1, biasStd 0, gd, mse, no limitOptions), got ${show(m)}`);
  const batch = requirePositiveInt(`${w}.params.batch`, p.batch ?? 16);
  if (c.seeds % batch !== 0 || c.seeds / batch < 2) throw new InputError(`${w}.seeds`, `must be a multiple of params.batch (${batch}) with at least two batches, got ${c.seeds}`);
  const widths = [...c.widths].sort((a, b) => a - b);
  const top = widths[widths.length - 1];
  const power = p.seedPower === undefined ? 1 : requirePositive(`${w}.params.seedPower`, p.seedPower);
  const seedsAt: Record<string, number> = {};
  for (const N of widths) seedsAt[N] = Math.max(2, Math.round((c.seeds * (top / N) ** power) / batch)) * batch;
  return { spec, widths, seedsAt, batch, eps: requirePositive(`${w}.params.eps`, p.eps ?? 1e-5) };
}

/** Steps recorded by the trainer: 0, every, 2·every, …, and the last. */
function recordSteps(every: number, last: number): number[] {
  const out: number[] = [];
  for (let s = 0; s <= last; s += every) out.push(s);
  if (out[out.length - 1] !== last) out.push(last);
  return out;
}

async function runDeepLinearFluctuation(p: DeepLinearFluctuationParams, c: ResolvedExperiment, ctx: { out: string; progress: unknown }): Promise<ExperimentOutput> {
  const spec = p.spec;
  const data = loadData(spec.data, c.dir);
  const tr = spec.training;
  const problem = { x: data.x, y: Float64Array.from(data.y.data), depth: spec.model.depth, gamma0: Number(spec.model.gamma0), lr: tr.lr, steps: tr.steps };
  const fl = predictDeepLinearFluctuation(problem, p.eps);
  if (fl.status !== 'ok') return { records: [], fits: [], status: 'failed', message: 'prediction: a Gram matrix of the reduced recursion was not positive definite' };
  const steps = recordSteps(tr.recordEvery, tr.steps);
  const taus = steps.map((s) => Number((s * tr.lr).toPrecision(12)));
  const cTrain = fluctuationOnInputs(fl, data.x);
  const cTest = fluctuationOnInputs(fl, data.xTest);
  const P = data.x.rows;
  const mTest = data.xTest.rows;
  const predicted: PredictedTable = {};
  steps.forEach((s, k) => {
    const mean = (c: Float64Array, m: number) => c.subarray(s * m, (s + 1) * m).reduce((a, b) => a + b, 0) / m;
    predicted[fluctuationMetric('train', taus[k])] = { C: mean(cTrain, P), se: 0 };
    predicted[fluctuationMetric('test', taus[k])] = { C: mean(cTest, mTest), se: 0 };
    // training loss: N · Var → gᵀ cov g, g = Xᵀ(Xβ − y)/P (the loss is smooth in β)
    const D = fl.D;
    const g = new Float64Array(D);
    for (let mu = 0; mu < P; mu++) {
      let f = 0;
      for (let j = 0; j < D; j++) f += data.x.data[mu * D + j] * fl.beta[s * D + j];
      for (let j = 0; j < D; j++) g[j] += ((f - problem.y[mu]) * data.x.data[mu * D + j]) / P;
    }
    let v = 0;
    for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) v += g[a] * fl.cov[(s * D + a) * D + b] * g[b];
    predicted[fluctuationMetric('risk', taus[k])] = { C: v, se: 0 };
  });
  const hash = specHash(spec);
  const pending = p.widths.flatMap((N) => new Array<number>(p.seedsAt[N]).fill(N));
  const sink = ctx.progress === true ? createProgress({ label: c.name, pending, cost: (N) => N * N, skipped: 0 }) : null;
  const all = p.widths.map((N) => measureDeepLinearWidth(ctx.out, hash, spec, data, N, p.seedsAt[N], (s, sec) => sink?.tick({ width: N, seed: s, status: 'ok', seconds: sec, what: `N=${N} s${s}` })));
  sink?.finish();
  const records: LongRecord[] = all.flatMap((w) => fluctuationRecords(w, taus, p.batch));
  const show4 = (set: string) => taus.map((t) => predicted[fluctuationMetric(set as 'train', t)].C.toPrecision(4)).join(', ');
  return {
    records, fits: [], curves: fluctuationCurves(all, taus, predicted, 'deeplinear'), status: 'ok', message: '',
    spec: { ...p, spec: c.spec, predicted },
    references: ['bordelon2022', 'bordelon2025'],
    labels: Object.fromEntries(Object.keys(predicted).map((m) => [m, { title: `Seed variance ${m.slice(4).replace('risk', 'train loss')}`, formula: 'unbiased variance over seeds (mean over inputs)', axis: 'Var' }])),
    curveLabels: Object.fromEntries(SETS.map((s) => [`C.deeplinear.${s}`, {
      title: `Predicted C(t) against N × measured seed variance (${s === 'risk' ? 'training loss' : `f on ${s} inputs`})`, axis: 'N · Var', log: false,
      subtitle: 'per width: N × unbiased seed variance, band ± 2 standard errors; black: the predicted C(t), delta method on the reduced recursion (theory/finite-width-deeplinear.md#delta)',
    }])),
    notes: [
      `Seeds per width: ${p.widths.map((N) => `${p.seedsAt[N]} at N = ${N}`).join(', ')}. The set called "risk" in metric names is the training loss.`,
      `Predicted C(t) at t = ${taus.join(', ')} — train ${show4('train')}; test ${show4('test')}; training loss ${show4('risk')} (${fl.directions} Gram directions, central differences with step ${fl.eps}).`,
    ],
  };
}

export const deepLinearFluctuationKind: ExperimentKind<DeepLinearFluctuationParams> = {
  kind: 'deeplinear-finite-width-prefactor',
  description: 'plain deep linear μP networks: N × the seed variance of f and of the training loss against the predicted C(t) of the reduced recursion',
  parse: parseDeepLinearFluctuation,
  run: (p, c, ctx) => runDeepLinearFluctuation(p, c, ctx),
  statistics: fluctuationStatistics,
};
