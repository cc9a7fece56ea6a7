/**
 * The experiment registry: one JSON config per claim in `experiments/` at the package root
 * (found from this module's URL, so it works from sources and from dist). A config is
 *
 *   {name, claim, kind, spec?, widths, seeds, claims: [{id, paper, statement, quantity, prediction,
 *    derivation, tolerance, toleranceReason, rule}], identities?, expected?: [{metric, exponent, tolerance}],
 *    quick: {widths?, seeds?, spec?: <partial spec, deep-merged>}, params?: {...kind-specific}}
 *
 * `kind` selects the function that runs it (src/harness/kinds.ts); see experiments/README.md.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, requireFinite, requirePositive, requirePositiveInt, show } from '../core/errors.js';
import { packageRoot } from '../spec/package.js';
import { type Claim, type Identity, parseClaims, parseIdentities } from './claims.js';
import { claimsOfExpectations, expectationsOf } from './judge.js';
import type { Expectation } from './types.js';

export interface ExperimentConfig {
  name: string;
  claim: string;
  kind: string;
  /** The spec (raw JSON; kinds validate it), absent for kinds that need none. */
  spec?: Record<string, unknown>;
  widths: number[];
  seeds: number;
  /**
   * Expected exponents of the fits (for the plots): those of `claims` (numeric rules on fitted
   * metrics), then any listed under `expected` in the file.
   */
  expected: Expectation[];
  /** The claims, decided on the interval (src/harness/claims.ts; experiments/README.md#claims). */
  claims: Claim[];
  /** Statements exact by construction: listed in the report, never judged. */
  identities: Identity[];
  quick?: { widths?: number[]; seeds?: number; spec?: Record<string, unknown>; params?: Record<string, unknown> };
  /** Kind-specific settings. */
  params?: Record<string, unknown>;
  /** Free-form notes for the report. */
  notes?: string[];
}

/** An experiment after `--quick` was applied: `quick` true when the small version was chosen. */
export interface ResolvedExperiment extends Omit<ExperimentConfig, 'quick'> {
  quick: boolean;
  /** The folder of the config (base of relative data paths). */
  dir: string;
}

const FIELDS = ['$schema', 'name', 'claim', 'kind', 'spec', 'widths', 'seeds', 'expected', 'claims', 'identities', 'quick', 'params', 'notes'];

/** experiments/papers.json: the reference papers' abstract claims (src/harness/scorecard.ts), not a config. */
export const PAPERS_FILE = 'papers.json';

/** The experiments folder of the package. */
export function experimentsDir(): string {
  return join(packageRoot(), 'experiments');
}

/** Names of the experiments (file stems of experiments/*.json), sorted. */
export function experimentNames(dir = experimentsDir()): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.json') && f !== PAPERS_FILE).map((f) => f.slice(0, -5)).sort();
}

/** Read and check one experiment config (InputError naming the file and field). */
export function loadExperiment(name: string, dir = experimentsDir()): ExperimentConfig {
  const names = experimentNames(dir);
  if (!names.includes(name)) throw new InputError('experiment', `unknown experiment ${show(name)} (known: ${names.join(', ') || 'none'})`);
  const file = join(dir, `${name}.json`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(file, `is not valid JSON: ${(e as Error).message}`);
  }
  return checkConfig(raw, name);
}

export function listExperiments(dir = experimentsDir()): ExperimentConfig[] {
  return experimentNames(dir).map((n) => loadExperiment(n, dir));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function widthList(where: string, v: unknown): number[] {
  if (!Array.isArray(v) || v.length < 2) throw new InputError(where, `must be an array of at least two positive integers, got ${show(v)}`);
  return v.map((w, i) => requirePositiveInt(`${where}[${i}]`, w));
}

/** Validate the shape of a config; `name` must match the file name. */
export function checkConfig(raw: unknown, name: string): ExperimentConfig {
  const w = name;
  if (!isObject(raw)) throw new InputError(w, `must be a JSON object, got ${show(raw)}`);
  for (const k of Object.keys(raw)) if (!FIELDS.includes(k)) throw new InputError(`${w}.${k}`, `unknown field (allowed: ${FIELDS.slice(1).join(', ')})`);
  if (raw.name !== name) throw new InputError(`${w}.name`, `must equal the file name ${show(name)}, got ${show(raw.name)}`);
  if (typeof raw.claim !== 'string' || raw.claim === '') throw new InputError(`${w}.claim`, 'must be a non-empty string');
  if (typeof raw.kind !== 'string') throw new InputError(`${w}.kind`, `must be a string, got ${show(raw.kind)}`);
  if (raw.spec !== undefined && !isObject(raw.spec)) throw new InputError(`${w}.spec`, `must be an object, got ${show(raw.spec)}`);
  const expected = raw.expected ?? [];
  if (!Array.isArray(expected)) throw new InputError(`${w}.expected`, `must be an array, got ${show(expected)}`);
  const exp: Expectation[] = expected.map((e, i) => {
    const at = `${w}.expected[${i}]`;
    if (!isObject(e) || typeof e.metric !== 'string') throw new InputError(at, `must be {metric, exponent, tolerance?}, got ${show(e)}`);
    const out: Expectation = { metric: e.metric, exponent: requireFinite(`${at}.exponent`, e.exponent) };
    if (e.tolerance !== undefined) out.tolerance = requirePositive(`${at}.tolerance`, e.tolerance);
    if (e.relation !== undefined) {
      if (e.relation !== 'equal' && e.relation !== 'atMost' && e.relation !== 'atLeast') throw new InputError(`${at}.relation`, `must be "equal", "atMost" or "atLeast", got ${show(e.relation)}`);
      out.relation = e.relation;
    }
    return out;
  });
  const claims = parseClaims(raw.claims, `${w}.claims`);
  // an `expected` exponent without a claim on its metric becomes a claim with the default words
  const uncovered = exp.filter((e) => !claims.some((c) => c.quantity === e.metric));
  claims.push(...claimsOfExpectations(uncovered, `${name} (expected exponent)`));
  const identities = parseIdentities(raw.identities, `${w}.identities`);
  const quick = raw.quick;
  if (quick !== undefined) {
    if (!isObject(quick)) throw new InputError(`${w}.quick`, `must be an object, got ${show(quick)}`);
    for (const k of Object.keys(quick)) if (!['widths', 'seeds', 'spec', 'params'].includes(k)) throw new InputError(`${w}.quick.${k}`, 'unknown field (allowed: widths, seeds, spec, params)');
    if (quick.widths !== undefined) widthList(`${w}.quick.widths`, quick.widths);
    if (quick.seeds !== undefined) requirePositiveInt(`${w}.quick.seeds`, quick.seeds);
    if (quick.spec !== undefined && !isObject(quick.spec)) throw new InputError(`${w}.quick.spec`, 'must be an object');
    if (quick.params !== undefined && !isObject(quick.params)) throw new InputError(`${w}.quick.params`, 'must be an object');
  }
  if (raw.params !== undefined && !isObject(raw.params)) throw new InputError(`${w}.params`, 'must be an object');
  if (raw.notes !== undefined && (!Array.isArray(raw.notes) || raw.notes.some((n) => typeof n !== 'string'))) throw new InputError(`${w}.notes`, 'must be an array of strings');
  return {
    name, claim: raw.claim, kind: raw.kind,
    ...(raw.spec ? { spec: raw.spec as Record<string, unknown> } : {}),
    widths: widthList(`${w}.widths`, raw.widths),
    seeds: requirePositiveInt(`${w}.seeds`, raw.seeds),
    expected: [...expectationsOf(claims), ...exp.filter((e) => !expectationsOf(claims).some((x) => x.metric === e.metric))],
    claims,
    identities,
    ...(quick ? { quick: quick as ExperimentConfig['quick'] } : {}),
    ...(raw.params ? { params: raw.params as Record<string, unknown> } : {}),
    ...(raw.notes ? { notes: raw.notes as string[] } : {}),
  };
}

/** Objects merged key by key (b wins; arrays and scalars replaced). */
export function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isObject(v) && isObject(a[k]) ? deepMerge(a[k] as Record<string, unknown>, v) : v;
  return out;
}

/** The full or the quick version of an experiment. */
export function resolveExperiment(c: ExperimentConfig, quick: boolean, dir = experimentsDir()): ResolvedExperiment {
  const { quick: q, ...rest } = c;
  if (!quick || !q) return { ...rest, quick: false, dir };
  return {
    ...rest,
    quick: true,
    dir,
    widths: q.widths ?? c.widths,
    seeds: q.seeds ?? c.seeds,
    ...(c.spec ? { spec: q.spec ? deepMerge(c.spec, q.spec) : c.spec } : {}),
    ...(c.params || q.params ? { params: deepMerge(c.params ?? {}, q.params ?? {}) } : {}),
  };
}
