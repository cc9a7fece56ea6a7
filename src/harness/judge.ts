/**
 * Judging an experiment's claims (theory/harness.md#claims): find each claim's estimate, interval
 * and seed count in the run's saved data, then decide it on the interval (./decide.ts). Works the
 * same at run time and on a saved results.json (`widelimit experiment rejudge DIR`).
 *
 * Where the estimate comes from, in this order:
 * 1. `at` given: the mean over seeds of metric `quantity` at sweep value `at`, with a percentile
 *    bootstrap interval over seeds ({@link meanAt});
 * 2. a statistic the kind exported under that name (results.json `statistics`);
 * 3. the fitted exponent of metric `quantity` (results.json `fits`): its bootstrap CI, `nSeeds`.
 */
import { Rng } from '../core/rng.js';
import { quantile, sorted } from '../core/stats.js';
import type { Claim, ClaimResult, Statistic } from './claims.js';
import { DEFAULT_TOLERANCE } from './fits.js';
import { decideClaim, intervalDefect } from './decide.js';
import type { Expectation, FitRecord, LongRecord } from './types.js';

export interface ClaimSource {
  fits: readonly FitRecord[];
  records: readonly LongRecord[];
  statistics?: Readonly<Record<string, Statistic>>;
}

export const MEAN_NBOOT = 2000;

/**
 * Mean over seeds of `metric` at sweep value `x`, with a 95 % percentile bootstrap interval over
 * seeds (seeded by `seed`). Per-x rows (seed null) count as one seed: no interval.
 */
export function meanAt(records: readonly LongRecord[], metric: string, x: number, seed: string): Statistic | null {
  const rows = records.filter((r) => r.metric === metric && r.width === x);
  const v = rows.filter((r) => r.seed !== null && Number.isFinite(r.value)).map((r) => r.value);
  if (v.length === 0) {
    const one = rows.find((r) => Number.isFinite(r.value));
    return one ? { estimate: one.value, ci: [one.value, one.value], seeds: 1, note: 'one value, no seeds' } : null;
  }
  return meanInterval(v, seed);
}

/**
 * Mean of independent values (one per seed) with a 95 % percentile bootstrap interval
 * ({@link MEAN_NBOOT} resamples from `new Rng(seed).child('mean-at')`); NaN values are dropped.
 * For kinds' statistics as well as `at` claims.
 */
export function meanInterval(values: readonly number[], seed: string): Statistic {
  const v = values.filter((x) => Number.isFinite(x));
  const m = v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
  if (v.length < 2) return { estimate: m, ci: [m, m], seeds: v.length };
  const rng = new Rng(seed).child('mean-at');
  const boot = new Float64Array(MEAN_NBOOT);
  for (let b = 0; b < MEAN_NBOOT; b++) {
    let s = 0;
    for (let i = 0; i < v.length; i++) s += v[rng.int(v.length)];
    boot[b] = s / v.length;
  }
  const q = sorted(boot);
  return { estimate: m, ci: [quantile(q, 0.025), quantile(q, 0.975)], seeds: v.length };
}

/** The estimate of one claim, or why there is none. */
export function claimEstimate(c: Claim, src: ClaimSource, seed: string): Statistic | string {
  if (c.at !== undefined) return meanAt(src.records, c.quantity, c.at, `${seed}/${c.id}`) ?? `no values of ${c.quantity} at ${c.at}`;
  const s = src.statistics?.[c.quantity];
  if (s) return s;
  const f = src.fits.find((x) => x.metric === c.quantity);
  if (!f) return `no fit or statistic named ${c.quantity}`;
  if (f.status !== 'ok' || !Number.isFinite(f.exponent)) return `the fit of ${c.quantity} failed: ${f.message}`;
  return { estimate: f.exponent, ci: f.ci, seeds: f.nSeeds };
}

/** Judge every claim; `seed` seeds the bootstrap of `at` claims (same seed, same interval). */
export function judgeClaims(claims: readonly Claim[], src: ClaimSource, seed: string | number = 0): ClaimResult[] {
  return claims.map((c) => {
    const e = claimEstimate(c, src, String(seed));
    const base: ClaimResult = {
      id: c.id, paper: c.paper, statement: c.statement, quantity: c.quantity, ...(c.at !== undefined ? { at: c.at } : {}),
      prediction: c.prediction, derivation: c.derivation, tolerance: c.tolerance, toleranceReason: c.toleranceReason, rule: c.rule,
      ...(c.classes ? { classes: c.classes } : {}), ...(c.revises ? { revises: c.revises } : {}), ...(c.note ? { note: c.note } : {}),
      estimate: null, ci: null, seeds: 0, status: 'inconclusive', reason: '',
    };
    if (typeof e === 'string') return { ...base, reason: e };
    const ci: [number, number] | null = Number.isFinite(e.ci[0]) && Number.isFinite(e.ci[1]) ? [e.ci[0], e.ci[1]] : null;
    const defect = intervalDefect(e.estimate, ci);
    const d = defect ? { status: 'inconclusive' as const, reason: `${defect} (${decideClaim(c, ci, e.seeds).reason})` } : decideClaim(c, ci, e.seeds);
    return {
      ...base, estimate: Number.isFinite(e.estimate) ? e.estimate : null, ci, seeds: e.seeds, status: d.status,
      reason: e.note ? `${d.reason} (${e.note})` : d.reason, ...(d.measuredClass !== undefined ? { measuredClass: d.measuredClass } : {}),
    };
  });
}

/** Fitted-exponent expectations of a claim list (for the fits' plots): numeric rules, no `at`. */
export function expectationsOf(claims: readonly Claim[]): Expectation[] {
  const out: Expectation[] = [];
  for (const c of claims) {
    if (c.rule === 'class' || c.at !== undefined || typeof c.prediction !== 'number') continue;
    if (out.some((e) => e.metric === c.quantity)) continue; // the first claim on a metric sets its plot
    out.push({ metric: c.quantity, exponent: c.prediction, tolerance: c.tolerance, relation: c.rule });
  }
  return out;
}

/**
 * Claims of a plain expectation list (`compare` without a config, or an old config with
 * `expected` only): one claim per expected exponent, with the harness's default derivation.
 */
export function claimsOfExpectations(expected: readonly Expectation[], paper = 'default expectation of the limit'): Claim[] {
  return expected.map((e) => ({
    id: e.metric, paper, statement: `${e.metric} ∝ width^p with p ${e.relation === 'atMost' ? '≤' : e.relation === 'atLeast' ? '≥' : '='} ${e.exponent}`,
    quantity: e.metric, prediction: e.exponent, derivation: 'theory/harness.md#expected-exponents',
    tolerance: e.tolerance ?? DEFAULT_TOLERANCE, toleranceReason: e.tolerance === undefined || e.tolerance === DEFAULT_TOLERANCE ? 'default exponent tolerance (theory/harness.md#tolerance)' : 'see theory/harness.md#expected-exponents',
    rule: e.relation ?? 'equal',
  }));
}
