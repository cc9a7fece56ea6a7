/**
 * Putting a run's claims into its results (theory/harness.md#claims): the fits get the
 * expectations of the claims (for the plots; verdicts on the interval), every claim is judged,
 * identities are listed. The same function serves a fresh run and a re-judged saved folder.
 */
import type { Claim, Identity, Statistic } from './claims.js';
import { withExpectation } from './fits.js';
import { expectationsOf, judgeClaims } from './judge.js';
import type { AnyResults, Expectation, LongRecord } from './types.js';

/** Seed of the bootstrap of `at` claims: fixed, so re-judging gives the same intervals. */
export const CLAIMS_SEED = 'claims';

export interface ClaimInput {
  claims: readonly Claim[];
  identities?: readonly Identity[];
  statistics?: Record<string, Statistic>;
  /** Expectations of fits that no claim names (kept as they are). */
  expected?: readonly Expectation[];
}

/** `r` with fits re-stamped and `claims`, `identities`, `statistics` set (a new object). */
export function applyClaims<R extends AnyResults>(r: R, records: readonly LongRecord[], k: ClaimInput): R {
  const fromClaims = expectationsOf(k.claims);
  const expectation = (m: string) => fromClaims.find((e) => e.metric === m) ?? k.expected?.find((e) => e.metric === m);
  // a fit with a predicted prefactor keeps the exponent its kind predicted when no claim names it
  // (its predicted exponent, default tolerance: theory/finite-width.md#prefactor-fit)
  const own = (f: (typeof r.fits)[number]): Expectation | undefined => (f.predicted ? { metric: f.metric, exponent: f.predicted.exponent } : undefined);
  const fits = r.fits.map((f) => withExpectation(f, expectation(f.metric) ?? own(f)));
  const statistics = k.statistics && Object.keys(k.statistics).length > 0 ? k.statistics : undefined;
  const claims = judgeClaims(k.claims, { fits, records, statistics }, CLAIMS_SEED);
  return {
    ...r, fits, claims, identities: [...(k.identities ?? [])],
    ...(statistics ? { statistics } : {}),
  };
}
