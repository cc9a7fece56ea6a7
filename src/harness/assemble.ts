/**
 * From saved cells to `results.json`: per-cell metrics, the per-width metrics over seeds
 * (seed variance, ensemble error), long-format records, fits and verdicts. A pure function of
 * the cells and the reference, so results do not depend on the order cells finished in.
 */
import type { Status } from '../core/errors.js';
import type { Spec } from '../spec/types.js';
import { type FitOptions, TERM_SUFFIX, fitRecords } from './fits.js';
import { ensembleError, seedVarianceTerms } from './metrics.js';
import type { CellRecord, CompareResults, Expectation, LongRecord, Reference, ResultCell } from './types.js';
import { readNumber } from './types.js';
import { applyClaims } from './applyClaims.js';
import type { Claim, Identity } from './claims.js';
import { claimsOfExpectations } from './judge.js';

export const WIDTH_AXIS = { name: 'width', label: 'width h' };

export interface AssembleInput {
  spec: Spec;
  specHash: string;
  reference: Reference;
  widths: number[];
  seeds: number;
  cells: CellRecord[];
  expected: Expectation[];
  name?: string;
  claim?: string;
  quick?: boolean;
  fit?: Omit<FitOptions, 'seed'>;
  /** Claims to judge (default: one per expected exponent). */
  claims?: Claim[];
  identities?: Identity[];
  versions: Record<string, string>;
  references: string[];
}

/** Per-width metrics of the ok cells of one width: seed-variance terms, variance, ensemble error. */
function widthMetrics(cells: CellRecord[], reference: Reference): { terms: Map<number, number>; metrics: Record<string, number>; nSeeds: number } {
  const ok = cells.filter((c) => c.status === 'ok' && c.fTestCentred.length > 0);
  const terms = seedVarianceTerms(ok.map((c) => c.fTestCentred));
  const mu = reference.fTest.length > 0 ? reference.fTest[reference.fTest.length - 1].map(readNumber) : [];
  const variance = terms.length >= 2 ? terms.reduce((a, b) => a + b, 0) / terms.length : NaN;
  const ens = mu.length > 0 && ok.length > 0 ? ensembleError(ok.map((c) => c.fTestFinal.map(readNumber)), mu, reference.nTest) : NaN;
  return {
    terms: new Map(ok.map((c, i) => [c.seed, terms[i]])),
    metrics: { seedVariance: variance, ensembleError: ens },
    nSeeds: ok.length,
  };
}

/** Long-format records of a compare sweep (data.csv): per-cell, per-width and `…Term` rows. */
export function compareRecords(results: Pick<CompareResults, 'cells' | 'widthMetrics'>): LongRecord[] {
  const out: LongRecord[] = [];
  for (const c of results.cells) {
    for (const [metric, v] of Object.entries(c.metrics)) out.push({ width: c.width, seed: c.seed, metric, value: readNumber(v) });
  }
  for (const w of results.widthMetrics) {
    for (const [metric, v] of Object.entries(w.metrics)) out.push({ width: w.width, seed: null, metric, value: readNumber(v) });
  }
  return out;
}

export function assembleCompare(a: AssembleInput): CompareResults {
  const seeds = Array.from({ length: a.seeds }, (_x, i) => i);
  const widths = [...a.widths].sort((x, y) => x - y);
  const byKey = new Map(a.cells.map((c) => [`${c.width}|${c.seed}`, c]));
  const cells: ResultCell[] = [];
  const perWidth: CompareResults['widthMetrics'] = [];
  for (const w of widths) {
    const group = seeds.map((s) => byKey.get(`${w}|${s}`)).filter((c): c is CellRecord => c !== undefined);
    const wm = widthMetrics(group, a.reference);
    perWidth.push({ width: w, nSeeds: wm.nSeeds, metrics: wm.metrics });
    for (const c of group) {
      const metrics: Record<string, number> = {};
      for (const [k, v] of Object.entries(c.metrics)) metrics[k] = readNumber(v);
      metrics['seedVariance' + TERM_SUFFIX] = wm.terms.get(c.seed) ?? NaN;
      cells.push({ width: c.width, seed: c.seed, initSeed: c.initSeed, status: c.status, message: c.message, metrics });
    }
  }
  // Fits use the ok cells only (a failed cell's numbers may be finite but meaningless).
  const records = compareRecords({ cells: cells.filter((c) => c.status === 'ok'), widthMetrics: perWidth });
  const fits = fitRecords(records, a.expected, { seed: a.spec.seed, ...a.fit });
  const failed = cells.filter((c) => c.status !== 'ok').length;
  const missing = widths.length * seeds.length - cells.length;
  const ref = a.reference;
  let status: Status = 'ok';
  let message = '';
  if (ref.status !== 'ok') [status, message] = [ref.status, `limit: ${ref.message}`];
  else if (failed > 0 || missing > 0) {
    status = 'failed';
    message = `${failed} of ${widths.length * seeds.length} cells failed${missing ? `, ${missing} missing` : ''}; fits use the rest`;
  }
  const results: CompareResults = {
    format: 'widelimit-results/1',
    kind: 'compare',
    ...(a.name ? { name: a.name } : {}),
    ...(a.claim ? { claim: a.claim } : {}),
    ...(a.quick ? { quick: true } : {}),
    spec: a.spec,
    specHash: a.specHash,
    limit: { name: ref.limit, reason: ref.reason, status: ref.status, message: ref.message },
    axis: WIDTH_AXIS,
    widths,
    seeds,
    data: { description: ref.data, nTrain: ref.nTrain, nTest: ref.nTest, outputs: ref.outputs },
    fits,
    cells,
    widthMetrics: perWidth,
    reference: { times: ref.times, trainLoss: ref.trainLoss, testLoss: ref.testLoss },
    failed,
    status,
    message,
    versions: a.versions,
    references: a.references,
  };
  const claims = a.claims && a.claims.length > 0 ? a.claims : claimsOfExpectations(a.expected);
  return applyClaims(results, records, { claims, identities: a.identities, expected: a.expected });
}
