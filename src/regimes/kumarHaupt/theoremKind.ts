/**
 * Experiment kind `kumar-haupt-theorem` (experiments/kumar-haupt-theorem.json): theorem.ts run by
 * `widelimit experiment run NAME [--quick] --out DIR`; theory/kumar-haupt.md#inside-the-theorem.
 *
 * Config: `spec` = {data, seed}; `widths` are the values of 1/δ; `seeds` = independent initial
 * directions ŵ; `params` = {degrees?, width?, alpha?, threshold?, refCosine?, escapeLoss?, rtol?,
 * maxSteps?, blowUpNorm?, leakyStep?, leakyResidual?, fitDeltaMax?, claimDelta?}.
 * Named statistics for the claims (per degree p): minCosineAtScale.pP (δ ≤ claimDelta, range over
 * seeds of the smallest cosine), rankOneResidual.pP (largest residual of the rank-one conditions, range),
 * activeNeurons.pP, escapeSlopeRatio.p2 (bootstrap mean).
 */
import { InputError, requirePositive, requirePositiveInt, show } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { loadData } from '../../data/load.js';
import type { ResolvedExperiment } from '../../harness/experiments.js';
import { fitRecords } from '../../harness/fits.js';
import { readNumber } from '../../harness/types.js';
import type { ExperimentKind, ExperimentOutput } from '../../harness/kinds.js';
import type { DataSpec } from '../../spec/types.js';
import { parseSpec } from '../../spec/validate.js';
import { type SeedStatistic, bootstrapMean, seedRange } from '../common/seedStatistic.js';
import { type TheoremConfig, type TheoremResult, runTheorem } from './theorem.js';

export interface TheoremParams {
  config: TheoremConfig;
  data: DataSpec;
  claimDelta: number;
  seed: number;
}

const PARAMS = ['normClock', 'asymptoticBound', 'degrees', 'width', 'alpha', 'threshold', 'refCosine', 'escapeLoss', 'rtol', 'maxSteps', 'blowUpNorm', 'leakyStep', 'leakyResidual', 'fitDeltaMax', 'claimDelta'];

function num(where: string, v: unknown, dflt: number, max = Infinity): number {
  if (v === undefined) return dflt;
  const x = requirePositive(where, v);
  if (x >= max) throw new InputError(where, `must be below ${max}, got ${show(v)}`);
  return x;
}

function normClockOf(where: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new InputError(where, `must be true or false, got ${show(v)}`);
  return v;
}

export function parseTheorem(c: ResolvedExperiment): TheoremParams {
  const w = c.name;
  if (!c.spec) throw new InputError(`${w}.spec`, 'is required for kind kumar-haupt-theorem ({data, seed})');
  for (const k of Object.keys(c.spec)) if (!['$schema', 'data', 'seed'].includes(k)) throw new InputError(`${w}.spec.${k}`, 'unknown field for kind kumar-haupt-theorem (allowed: data, seed; the network is set by params)');
  const spec = parseSpec({ data: c.spec.data, seed: c.spec.seed }, `${w}.spec`);
  const p = c.params ?? {};
  for (const k of Object.keys(p)) if (!PARAMS.includes(k)) throw new InputError(`${w}.params.${k}`, `unknown field (allowed: ${PARAMS.join(', ')})`);
  const degrees = p.degrees === undefined ? [3, 4, 2] : p.degrees;
  if (!Array.isArray(degrees) || degrees.length === 0 || degrees.some((d) => !Number.isInteger(d) || d < 2 || d > 8)) {
    throw new InputError(`${w}.params.degrees`, `must be a non-empty list of integers in [2, 8], got ${show(degrees)}`);
  }
  const config: TheoremConfig = {
    degrees: degrees as number[],
    width: p.width === undefined ? 16 : requirePositiveInt(`${w}.params.width`, p.width),
    alpha: num(`${w}.params.alpha`, p.alpha, 0.2, 1.000001),
    deltas: c.widths.map((x) => 1 / x),
    seeds: c.seeds,
    initSeed: spec.seed,
    threshold: num(`${w}.params.threshold`, p.threshold, 0.99, 1),
    refCosine: num(`${w}.params.refCosine`, p.refCosine, 0.999, 1),
    escapeLoss: num(`${w}.params.escapeLoss`, p.escapeLoss, 0.5, 1),
    rtol: num(`${w}.params.rtol`, p.rtol, 1e-8, 1e-2),
    maxSteps: p.maxSteps === undefined ? 200_000 : requirePositiveInt(`${w}.params.maxSteps`, p.maxSteps),
    blowUpNorm: num(`${w}.params.blowUpNorm`, p.blowUpNorm, 1e5),
    leakyStep: num(`${w}.params.leakyStep`, p.leakyStep, 0.02, 1),
    leakyResidual: num(`${w}.params.leakyResidual`, p.leakyResidual, 1e-3, 1),
    fitDeltaMax: num(`${w}.params.fitDeltaMax`, p.fitDeltaMax, 1e-2),
    asymptoticBound: num(`${w}.params.asymptoticBound`, p.asymptoticBound, 0.1),
    claimDelta: num(`${w}.params.claimDelta`, p.claimDelta, 1e-3),
    // only when asked: configs without it keep their results.json byte for byte
    ...(p.normClock === undefined ? {} : { normClock: normClockOf(`${w}.params.normClock`, p.normClock) }),
  };
  if (c.widths.some((x) => x <= 1)) throw new InputError(`${w}.widths`, 'are 1/δ and must exceed 1');
  return { config, data: spec.data, claimDelta: config.claimDelta, seed: spec.seed };
}

/** The named statistics of the claims (see the module comment). */
export function theoremStatistics(r: Pick<TheoremResult, 'records' | 'seeds'>, k: Pick<TheoremParams, 'config' | 'claimDelta' | 'seed'>): Record<string, SeedStatistic> {
  const out: Record<string, SeedStatistic> = {};
  const rng = new Rng(k.seed).child('statistics');
  for (const p of k.config.degrees) {
    const seeds = r.seeds.filter((s) => s.degree === p);
    const cos = seeds.map((s) => {
      const v = r.records.filter((x) => x.metric === `cosineAtScale.p${p}` && x.seed === s.seed && 1 / x.width <= k.claimDelta * (1 + 1e-9)).map((x) => x.value);
      return v.length ? Math.min(...v) : NaN;
    });
    out[`minCosineAtScale.p${p}`] = seedRange(cos, `smallest cos(w, u*) over δ ≤ ${k.claimDelta} at t = s_ref·δ^−(p−2); interval = range over seeds`);
    out[`rankOneResidual.p${p}`] = seedRange(seeds.map((s) => Math.max(s.conditions.rank, s.conditions.direction, s.conditions.balance, s.conditions.multiplier, s.conditions.signViolations)),
      'largest residual of the rank-one KKT conditions (R, D, B, L; S counted) at u*; interval = range over seeds');
    out[`activeNeurons.p${p}`] = seedRange(seeds.map((s) => s.conditions.active), 'active neurons of u*; interval = range over seeds');
    out[`kktResidual.p${p}`] = seedRange(seeds.map((s) => s.residual), 'relative KKT residual of u*; interval = range over seeds');
    const b = k.config.asymptoticBound;
    out[`alignExponent.p${p}`] = bootstrapMean(seeds.map((s) => s.alignSlope), rng.child(`align/${p}`), 2000, `per-seed slope of ln t_align against ln(1/δ) over δ with δ·R_c ≤ ${b}; 95 % bootstrap over seeds`);
    out[`normExponent.p${p}`] = bootstrapMean(seeds.map((s) => s.normSlope), rng.child(`norm/${p}`), 2000, `per-seed slope of ln(‖w(t_align)‖/δ) against ln(1/δ) over δ with δ·R_c ≤ ${b}; 95 % bootstrap over seeds`);
    out[`minCosineAsymptotic.p${p}`] = seedRange(seeds.map((s) => s.minCosAsymptotic), `smallest cos(w, u*) at t = s_ref·δ^−(p−2) over δ ≤ ${k.claimDelta} with δ·R_ref ≤ ${b}; interval = range over seeds`);
    if (k.config.normClock) {
      out[`minCosineAtNorm.p${p}`] = seedRange(seeds.map((s) => s.minCosNormAsymptotic ?? NaN), `smallest cos(w, u*) where ‖w‖/δ first reaches R_ref, over δ ≤ ${k.claimDelta} with δ·R_ref ≤ ${b}; interval = range over seeds`);
    }
    out[`asymptoticDeltas.p${p}`] = seedRange(seeds.map((s) => s.asymptoticDeltas), `number of δ with δ·R_c ≤ ${b} per seed; interval = range over seeds`);
    if (p === 2) out['escapeSlopeRatio.p2'] = bootstrapMean(seeds.map((s) => s.escapeSlopeRatio), rng.child('escape'), 2000, '2N(u*) × slope of t_escape against ln(1/δ); 95 % bootstrap over seeds');
  }
  return out;
}

function notes(r: TheoremResult, k: TheoremParams, stats: Record<string, SeedStatistic>): string[] {
  const c = k.config;
  const out = [
    `Network: H(x; u) = Σ_j a_j σ(w_jᵀx), width ${c.width}, σ the polynomial leaky ReLU of degree r = p − 1 (σ(z) = z^r for z ≥ 0, −${c.alpha}|z|^r for z < 0), no biases: homogeneous of degree p; locally Lipschitz gradient for p ≥ 3, p = 2 (leaky ReLU) is the contrast. Gradient flow of ½‖H(X; w) − y‖² in the ORIGINAL time t from w(0) = δŵ (Dormand–Prince, rtol ${c.rtol}; p = 2: RK4 with a fixed step), no rescaling.`,
    `alignTime and normAtAlign are fitted on δ ≤ ${c.fitDeltaMax}; larger δ are run and reported through maxCosine and escapeTime (theory/kumar-haupt.md#finite-delta).`,
  ];
  for (const [name, s] of Object.entries(stats)) out.push(`${name}: ${s.estimate.toPrecision(6)} [${s.ci[0].toPrecision(6)}, ${s.ci[1].toPrecision(6)}] over ${s.seeds} seeds — ${s.note ?? ''}`);
  for (const s of r.seeds) out.push(`p = ${s.degree}, seed ${s.seed}: N(u*) = ${s.value.toPrecision(6)}, KKT residual ${s.residual.toExponential(2)}, R_c = ${s.rc.toPrecision(4)}, R_ref = ${s.rRef.toPrecision(4)}, s_ref = ${s.sRef.toPrecision(4)}, active neurons ${s.conditions.active}, rank-one residuals R ${s.conditions.rank.toExponential(1)} D ${s.conditions.direction.toExponential(1)} B ${s.conditions.balance.toExponential(1)} L ${s.conditions.multiplier.toExponential(1)} S ${s.conditions.signViolations}; align slope ${s.alignSlope.toFixed(4)} over ${s.asymptoticDeltas} δ`);
  for (const s of r.seeds) if (s.status !== 'ok') out.push(`p = ${s.degree}, seed ${s.seed}: ${s.status}: ${s.message}`);
  return out;
}

/** The statistics again from a saved results.json (its records and spec). */
export function theoremStatisticsFromResults(results: { records: TheoremResult['records']; spec?: unknown }): Record<string, SeedStatistic> {
  const spec = results.spec as { seed: number; params: TheoremConfig; claimDelta: number; seedSummaries: TheoremResult['seeds'] };
  // a value saved as null (not finite at run time) must read back as NaN, not as 0 in Math.min
  const records = results.records.map((x) => ({ ...x, value: readNumber(x.value) }));
  return theoremStatistics({ records, seeds: spec.seedSummaries }, { config: spec.params, claimDelta: spec.claimDelta, seed: spec.seed });
}

export const kumarHauptTheoremKind: ExperimentKind<TheoremParams> = {
  kind: 'kumar-haupt-theorem',
  description: 'Kumar–Haupt inside their theorem: polynomial leaky ReLU (p = 3, 4; p = 2 contrast), gradient flow in original time from δŵ, alignment time ∝ δ^-(p-2), rank-one KKT conditions',
  parse: parseTheorem,
  statistics: (results) => theoremStatisticsFromResults(results),
  async run(k, c): Promise<ExperimentOutput> {
    const data = loadData(k.data, c.dir);
    if (data.y.cols !== 1) throw new InputError(`${c.name}.spec.data`, `needs one output, got ${data.y.cols}`);
    const r = runTheorem(k.config, data.x.data, data.y.data, data.x.cols);
    const fits = fitRecords(r.records, c.expected, { seed: k.seed });
    const statistics = theoremStatistics(r, k);
    const labels: ExperimentOutput['labels'] = {};
    for (const p of k.config.degrees) {
      labels[`alignTime.p${p}`] = { title: `Alignment time, p = ${p}`, formula: `first t with cos(w(t), u*) ≥ ${k.config.threshold}`, axis: 't_align (original time)' };
      labels[`normAtAlign.p${p}`] = { title: `Weight norm at alignment, p = ${p}`, formula: '‖w(t_align)‖ / δ', axis: '‖w‖/δ' };
      labels[`cosineAtScale.p${p}`] = { title: `Cosine at the predicted time, p = ${p}`, formula: 'cos(w, u*) at t = s_ref δ^−(p−2)', axis: 'cos' };
      labels[`maxCosine.p${p}`] = { title: `Largest cosine before escape, p = ${p}`, formula: 'max_t cos(w(t), u*)', axis: 'cos' };
      labels[`escapeTime.p${p}`] = { title: `Escape time, p = ${p}`, formula: `first t with Loss ≤ ${k.config.escapeLoss} Loss(0)`, axis: 't_escape' };
    }
    return {
      records: r.records, fits, status: r.status, message: r.message,
      axis: { name: 'inverseDelta', label: '1/δ (inverse initial scale)' },
      // the per-seed summaries travel in results.json, so the statistics can be recomputed from it
      spec: { data: k.data, seed: k.seed, params: k.config, claimDelta: k.claimDelta, seedSummaries: r.seeds },
      references: ['kumar2024'], labels, notes: notes(r, k, statistics),
      statistics,
    };
  },
};
