/**
 * `widelimit experiment rejudge DIR`: decide a saved run's claims again from its saved data,
 * without rerunning anything (theory/harness.md#claims). The claims are those of the
 * experiment's current config (experiments/<name>.json) when the folder is a built-in
 * experiment's, else the ones already in results.json, else one per expected exponent of its
 * fits. Fits are not refitted: their numbers stay, their expectations and verdicts follow the
 * claims. The named statistics are those saved in results.json unless the caller passes fresh
 * ones (src/regimes/rejudge.ts asks the kind's `statistics` hook, which needs the registered kinds).
 */
import { applyClaims } from './applyClaims.js';
import { compareRecords } from './assemble.js';
import type { Claim, Identity, Statistic } from './claims.js';
import { type ExperimentConfig, experimentNames, loadExperiment } from './experiments.js';
import { claimsOfExpectations } from './judge.js';
import type { AnyResults, CompareResults, Expectation, GenericResults, LongRecord } from './types.js';
import { readNumber } from './types.js';

/** The built-in experiment a results file belongs to (its name without " (quick)"), if any. */
export function configOf(r: AnyResults): ExperimentConfig | undefined {
  const name = (r.name ?? '').replace(/ \(quick\)$/, '');
  return name && experimentNames().includes(name) ? loadExperiment(name) : undefined;
}

/** Long-format records of a saved results file (compare: ok cells and per-width metrics). */
export function savedRecords(r: AnyResults): LongRecord[] {
  if (r.kind === 'compare') {
    const c = r as CompareResults;
    return compareRecords({ cells: c.cells.filter((x) => x.status === 'ok'), widthMetrics: c.widthMetrics });
  }
  return (r as GenericResults).records.map((x) => ({ ...x, value: readNumber(x.value) }));
}

/** The saved results re-judged (pure: nothing written). */
export function rejudgeResults(r: AnyResults, config = configOf(r), statistics: Record<string, Statistic> = r.statistics ?? {}): AnyResults {
  const fitted: Expectation[] = r.fits.filter((f) => f.expected !== null).map((f) => ({ metric: f.metric, exponent: f.expected as number, tolerance: f.tolerance ?? undefined, relation: f.relation }));
  const claims: Claim[] = config ? config.claims : r.claims ? (r.claims as Claim[]) : claimsOfExpectations(fitted);
  const identities: Identity[] = config ? config.identities : (r.identities ?? []);
  const expected = config ? config.expected : fitted;
  return applyClaims(r, savedRecords(r), { claims, identities, statistics, expected });
}

