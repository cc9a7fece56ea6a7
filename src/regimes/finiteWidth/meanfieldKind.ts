/**
 * Experiment kind `meanfield-finite-width-prefactor` (experiments/meanfield-finite-width-prefactor.json;
 * theory/finite-width-meanfield.md#experiment): two-layer mean-field ReLU networks trained by gradient
 * descent on the exact population risk, m-particle systems over widths × seeds; m × the seed
 * variance of f on the training and test inputs and of the population risk, against the predicted
 * C(t) of the linearized particle flow (src/limits/meanfield/fluctuation.ts). Seeds per width:
 * `seeds × (m_max/m)^seedPower` (default 2: equal cost per width, cost ∝ m²), so `seeds` is the count at the widest.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../core/atomic.js';
import { InputError, requirePositive, requirePositiveInt } from '../../core/errors.js';
import type { ResolvedExperiment } from '../../harness/experiments.js';
import { specHash } from '../../harness/hash.js';
import { type ExperimentKind, type ExperimentOutput } from '../../harness/kinds.js';
import { createProgress } from '../../harness/progress.js';
import type { LongRecord } from '../../harness/types.js';
import { loadData, parseSpec } from '../../harness/deps.js';
import { type FluctuationPrediction, predictMeanFieldFluctuation } from '../../limits/meanfield/fluctuation.js';
import { meanFieldPopulationProblem } from '../../limits/meanfield/fluctuationProblem.js';
import { exactStartPrefactor } from '../../limits/meanfield/fluctuationStart.js';
import type { Spec } from '../../spec/types.js';
import { SETS, measureMeanFieldWidth } from './meanfieldMeasure.js';
import { type PredictedTable, fluctuationCurves, fluctuationMetric, fluctuationRecords, fluctuationStatistics } from './meanfieldStatistics.js';

export interface FluctuationParams {
  spec: Spec;
  widths: number[];
  /** Seeds at each width (seeds × (m_max/m)^seedPower, rounded to a multiple of batch). */
  seedsAt: Record<string, number>;
  batch: number;
  /** The prediction: M particles per system, systems, Gaussian mass directions per system. */
  particles: number;
  systems: number;
  directions: number;
  eps: number;
  /**
   * Use the exact C(0) of f on each input set as a control variate of the prediction
   * (theory/finite-width-meanfield.md#exact-start); the risk keeps the plain estimate.
   */
  exactStart?: boolean;
}

const PARAMS = ['batch', 'particles', 'systems', 'directions', 'eps', 'seedPower', 'exactStart'];

export function parseFluctuation(c: ResolvedExperiment): FluctuationParams {
  const w = c.name;
  const p = c.params ?? {};
  for (const k of Object.keys(p)) if (!PARAMS.includes(k)) throw new InputError(`${w}.params.${k}`, `unknown field (allowed: ${PARAMS.join(', ')})`);
  if (!c.spec) throw new InputError(`${w}.spec`, 'is required (data, two-layer meanfield network, gd training, limitOptions.risk "population")');
  const spec = parseSpec(c.spec, `${w}.spec`);
  const batch = requirePositiveInt(`${w}.params.batch`, p.batch ?? 16);
  const widths = [...c.widths].sort((a, b) => a - b);
  const top = widths[widths.length - 1];
  const seedsAt: Record<string, number> = {};
  const power = p.seedPower === undefined ? 2 : requirePositive(`${w}.params.seedPower`, p.seedPower);
  for (const m of widths) seedsAt[m] = Math.max(2, Math.round((c.seeds * (top / m) ** power) / batch)) * batch;
  if (c.seeds % batch !== 0 || c.seeds / batch < 2) throw new InputError(`${w}.seeds`, `must be a multiple of params.batch (${batch}) with at least two batches, got ${c.seeds}`);
  return {
    spec, widths, seedsAt, batch,
    particles: requirePositiveInt(`${w}.params.particles`, p.particles ?? 256),
    systems: requirePositiveInt(`${w}.params.systems`, p.systems ?? 64),
    directions: requirePositiveInt(`${w}.params.directions`, p.directions ?? 8),
    eps: requirePositive(`${w}.params.eps`, p.eps ?? 1e-5),
    ...(p.exactStart !== undefined ? { exactStart: parseFlag(`${w}.params.exactStart`, p.exactStart) } : {}),
  };
}

function parseFlag(at: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new InputError(at, `must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

function cachedPrediction(dir: string, hash: string, run: () => FluctuationPrediction): FluctuationPrediction {
  const file = join(dir, 'prediction.json');
  if (existsSync(file)) {
    const s = JSON.parse(readFileSync(file, 'utf8')) as { specHash: string; prediction: FluctuationPrediction };
    if (s.specHash === hash) return s.prediction;
  }
  const p = run();
  writeJsonAtomic(file, { specHash: hash, prediction: p });
  return p;
}

async function runFluctuation(p: FluctuationParams, c: ResolvedExperiment, ctx: { out: string; progress: unknown }): Promise<ExperimentOutput> {
  const spec = p.spec;
  const data = loadData(spec.data, c.dir);
  const P = meanFieldPopulationProblem(spec, data);
  const inputs: [typeof data.x, typeof data.xTest] = [data.x, data.xTest];
  const hash = specHash(spec);
  const exact = p.exactStart === true ? inputs.map((x) => exactStartPrefactor(P.init, P.model.activation, x)) : undefined;
  const predHash = `${hash}/${p.particles}/${p.systems}/${p.directions}/${p.eps}${exact ? '/exact-start' : ''}`;
  const pred = cachedPrediction(ctx.out, predHash, () => predictMeanFieldFluctuation(P.model, P.risk, P.d, {
    times: P.times, scheme: P.scheme, init: P.init, inputs, particles: p.particles, systems: p.systems, directions: p.directions,
    eps: p.eps, seed: `${spec.seed}/fluctuation`, ...(exact ? { exactStart: [...exact, undefined] } : {}),
  }));
  if (pred.status !== 'ok') return { records: [], fits: [], status: pred.status, message: `prediction: ${pred.message}` };
  const predicted: PredictedTable = {};
  P.taus.forEach((tau, k) => {
    predicted[fluctuationMetric('train', tau)] = { C: pred.outputs[0].C[k], se: pred.outputs[0].se[k] };
    predicted[fluctuationMetric('test', tau)] = { C: pred.outputs[1].C[k], se: pred.outputs[1].se[k] };
    predicted[fluctuationMetric('risk', tau)] = { C: pred.risk.C[k], se: pred.risk.se[k] };
  });
  const pending = p.widths.flatMap((m) => new Array<number>(p.seedsAt[m]).fill(m));
  const sink = ctx.progress === true ? createProgress({ label: c.name, pending, cost: (m) => m * m, skipped: 0 }) : null;
  const all = p.widths.map((m) => measureMeanFieldWidth(ctx.out, hash, P, inputs, spec.seed, m, p.seedsAt[m], (s, sec) => sink?.tick({ width: m, seed: s, status: 'ok', seconds: sec, what: `m=${m} s${s}` })));
  sink?.finish();
  const records: LongRecord[] = all.flatMap((w) => fluctuationRecords(w, P.taus, p.batch));
  const relSe = Math.max(...Object.values(predicted).map((v) => (v.C > 0 ? v.se / v.C : 0)));
  return {
    records, fits: [], curves: fluctuationCurves(all, P.taus, predicted), status: 'ok', message: '',
    spec: { ...p, spec: c.spec, predicted },
    references: ['mei2018', 'chizat2018', 'efron1993'],
    labels: Object.fromEntries(Object.keys(predicted).map((m) => [m, { title: `Seed variance ${m.slice(4)}`, formula: 'unbiased variance over seeds (mean over inputs)', axis: 'Var' }])),
    curveLabels: Object.fromEntries(SETS.map((s) => [`C.meanfield.${s}`, {
      title: `Predicted C(t) against m × measured seed variance (${s === 'risk' ? 'population risk' : `f on ${s} inputs`})`, axis: 'm · Var', log: false,
      subtitle: 'per width: m × unbiased seed variance, band ± 2 standard errors; black: the predicted C(t) of the linearized particle flow (theory/finite-width-meanfield.md#influence), band ± 2 Monte Carlo standard errors',
    }])),
    notes: [
      `Seeds per width: ${p.widths.map((m) => `${p.seedsAt[m]} at m = ${m}`).join(', ')} (equal cost per width).`,
      ...(exact ? [`Exact C(0): train ${exact[0].toPrecision(5)}, test ${exact[1].toPrecision(5)}, used as the control variate of the prediction on those sets (theory/finite-width-meanfield.md#exact-start); the risk's C is the plain estimate.`] : []),
      `Predicted C(t) at τ = ${P.taus.join(', ')} — train ${pred.outputs[0].C.map((v) => v.toPrecision(4)).join(', ')}; test ${pred.outputs[1].C.map((v) => v.toPrecision(4)).join(', ')}; risk ${pred.risk.C.map((v) => v.toPrecision(4)).join(', ')} (${p.systems} systems of ${p.particles} particles × ${p.directions} mass directions; relative standard error ≤ ${(100 * relSe).toFixed(1)} %).`,
    ],
  };
}

export const fluctuationKind: ExperimentKind<FluctuationParams> = {
  kind: 'meanfield-finite-width-prefactor',
  description: 'two-layer mean-field ReLU networks on the population risk: m × the seed variance of f and of the risk against the predicted C(t) of the linearized particle flow',
  parse: parseFluctuation,
  run: (p, c, ctx) => runFluctuation(p, c, ctx),
  statistics: fluctuationStatistics,
};
