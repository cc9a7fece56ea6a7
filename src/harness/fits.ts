/**
 * Power-law fits of long-format records against the sweep variable, with verdicts
 * (theory/harness.md#metrics: `log D = c + p log h` by least squares over widths, CI of p by a bootstrap over
 * seeds; theory/harness.md#fits). Shared by every experiment kind.
 *
 * Which rows a metric is fitted on:
 * - per-seed rows (`seed` a number): a [seed][width] table;
 * - a per-width metric M (seed null) that has companion per-seed rows `M + 'Term'` whose mean over
 *   seeds equals M (e.g. `seedVariance`, theory/harness.md#seed-variance): those rows, so the
 *   bootstrap over seeds still applies;
 * - otherwise the per-width rows as one row (the interval then carries no seed information and is
 *   reported as such).
 * Failed cells (non-finite or non-positive values) are left out: a width's mean is over the
 * seeds that have a value there (core/fit.ts), and widths without any value are dropped.
 */
import type { Status } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { Spec } from '../spec/types.js';
import { getLimit } from './deps.js';
import { fitPowerLaw } from './deps.js';
import { decideClaim } from './decide.js';
import { fitPrefactor } from './prefactor.js';
import { COMPARE_METRICS, type Expectation, type FitRecord, type LongRecord, type Relation, type Verdict } from './types.js';

export const DEFAULT_TOLERANCE = 0.1;
export const DEFAULT_NBOOT = 1000;
export const DEFAULT_LEVEL = 0.95;
export const TERM_SUFFIX = 'Term';

export interface FitOptions {
  /** Seed of the bootstrap streams (each metric draws from its own child stream). */
  seed: number | string;
  nBoot?: number;
  level?: number;
}

/**
 * Default expectations of a compare sweep: the registered limit's own (src/limits/registry.ts;
 * theory/harness.md#expected-exponents).
 */
export function defaultExpectations(limit: string, spec: Spec): Expectation[] {
  return getLimit(limit).expectations(spec);
}

/** Metrics in display order: the compare metrics first, then the others alphabetically. */
export function metricOrder(names: Iterable<string>): string[] {
  const set = new Set(names);
  const known = COMPARE_METRICS.filter((m) => set.has(m));
  const rest = [...set].filter((m) => !(COMPARE_METRICS as readonly string[]).includes(m)).sort();
  return [...known, ...rest];
}

/**
 * Fit every metric of `records` (companion `…Term` rows are not fitted on their own). A metric
 * without a single valid value (not measured, e.g. kernels of a mean-field sweep) is left out
 * unless an expectation names it.
 */
export function fitRecords(records: readonly LongRecord[], expected: readonly Expectation[], o: FitOptions): FitRecord[] {
  const names = new Set(records.map((r) => r.metric));
  const measured = new Set(records.filter((r) => Number.isFinite(r.value) && r.value > 0).map((r) => r.metric.endsWith(TERM_SUFFIX) ? r.metric.slice(0, -TERM_SUFFIX.length) : r.metric));
  const fitted = metricOrder([...names].filter((m) => !(m.endsWith(TERM_SUFFIX) && names.has(m.slice(0, -TERM_SUFFIX.length))))
    .filter((m) => measured.has(m) || expected.some((e) => e.metric === m)));
  const rng = new Rng(o.seed).child('bootstrap');
  return fitted.map((metric) => fitMetric(records, metric, expected.find((e) => e.metric === metric), rng.child(metric), o));
}

/** The [seed][width] table a metric is fitted on (see the module comment). */
export function fitTable(records: readonly LongRecord[], metric: string): { widths: number[]; values: number[][]; note: string } {
  const perSeed = records.filter((r) => r.metric === metric && r.seed !== null);
  const terms = records.filter((r) => r.metric === metric + TERM_SUFFIX && r.seed !== null);
  const rows = perSeed.length > 0 ? perSeed : terms.length > 0 ? terms : records.filter((r) => r.metric === metric);
  const oneRow = perSeed.length === 0 && terms.length === 0;
  const valid = (v: number) => Number.isFinite(v) && v > 0;
  const cell = new Map<string, number>();
  for (const r of rows) if (valid(r.value)) cell.set(`${r.width}|${oneRow ? 0 : r.seed}`, r.value);
  const seeds = oneRow ? [0] : [...new Set(rows.map((r) => r.seed as number))].sort((a, b) => a - b);
  const allWidths = [...new Set(rows.map((r) => r.width))].sort((a, b) => a - b);
  const widths = allWidths.filter((w) => seeds.some((s) => cell.has(`${w}|${s}`)));
  const values = seeds.map((s) => widths.map((w) => cell.get(`${w}|${s}`) ?? NaN));
  const missing = values.reduce((a, row) => a + row.filter((v) => Number.isNaN(v)).length, 0);
  const dropped: string[] = [];
  if (widths.length < allWidths.length) dropped.push(`widths without any valid value dropped: ${allWidths.filter((w) => !widths.includes(w)).join(', ')}`);
  if (missing > 0) dropped.push(`${missing} failed or missing cell(s) left out of the means`);
  if (oneRow) dropped.push('one value per width: no interval');
  return { widths, values, note: dropped.join('; ') };
}

function fitMetric(records: readonly LongRecord[], metric: string, e: Expectation | undefined, rng: Rng, o: FitOptions): FitRecord {
  const { widths, values, note } = fitTable(records, metric);
  const expected = e ? e.exponent : null;
  const tolerance = e ? (e.tolerance ?? DEFAULT_TOLERANCE) : null;
  const relation = e?.relation ?? 'equal';
  const base = { metric, widths, nSeeds: values.length, expected, tolerance, relation };
  if (widths.length < 2 || values.length === 0) {
    return {
      ...base, exponent: NaN, intercept: NaN, ci: [NaN, NaN], level: o.level ?? DEFAULT_LEVEL, nBoot: 0, r2: NaN,
      means: [], verdict: e ? 'inconclusive' : 'none', status: 'failed',
      message: `not enough valid values to fit (${widths.length} width(s), ${values.length} seed row(s))${note ? '; ' + note : ''}`,
    };
  }
  const f = fitPowerLaw(widths, values, { rng, nBoot: o.nBoot ?? DEFAULT_NBOOT, level: o.level ?? DEFAULT_LEVEL });
  const status: Status = f.status;
  const verdict = verdictOf(f.ci, values.length, expected, tolerance, status, relation);
  const msg = [f.message, note].filter((s) => s).join('; ');
  return {
    ...base,
    exponent: f.exponent, intercept: f.intercept, ci: [f.ci[0], f.ci[1]], level: f.level, nBoot: f.nBoot, r2: f.r2,
    means: Array.from(f.means), verdict, status, message: msg,
    ...prefactorFields(widths, values, e, rng, o),
  };
}

/** `prefactor` and `predicted` of a fit whose expectation predicts the constant (none otherwise: bits unchanged). */
function prefactorFields(widths: number[], values: number[][], e: Expectation | undefined, rng: Rng, o: FitOptions): Pick<FitRecord, 'prefactor' | 'predicted'> {
  if (!e || e.prefactor === undefined) return {};
  const p = fitPrefactor(widths, values, e.exponent, { rng: rng.child('prefactor'), nBoot: o.nBoot ?? DEFAULT_NBOOT, level: o.level ?? DEFAULT_LEVEL });
  return {
    prefactor: { estimate: p.estimate, ci: p.ci },
    predicted: { exponent: e.exponent, prefactor: e.prefactor, ...(e.prefactorSe !== undefined ? { prefactorSe: e.prefactorSe } : {}) },
  };
}

/**
 * The verdict of a fit against its expectation, on the interval (./decide.ts,
 * theory/harness.md#decision-rule): pass iff the whole CI lies in the band, fail iff wholly
 * outside, else inconclusive; fewer than 8 seed rows or a failed fit: inconclusive; 'none'
 * without an expectation. The point estimate never decides.
 */
export function verdictOf(ci: readonly [number, number], seeds: number, expected: number | null, tolerance: number | null, status: Status, relation: Relation = 'equal'): Verdict {
  if (expected === null) return 'none';
  if (status !== 'ok') return 'inconclusive';
  return decideClaim({ rule: relation, prediction: expected, tolerance: tolerance ?? DEFAULT_TOLERANCE }, [ci[0], ci[1]], seeds).status;
}

/** A fit with its expectation and verdict replaced (re-judging saved fits; no refit). */
export function withExpectation(f: FitRecord, e: Expectation | undefined): FitRecord {
  const expected = e ? e.exponent : null;
  const tolerance = e ? (e.tolerance ?? DEFAULT_TOLERANCE) : null;
  const relation = e?.relation ?? 'equal';
  return { ...f, expected, tolerance, relation, verdict: verdictOf(f.ci, f.nSeeds, expected, tolerance, f.status, relation) };
}
