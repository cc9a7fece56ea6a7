/**
 * Claims as data (theory/harness.md#claims): what an experiment config predicts before it runs,
 * and what results.json records after it ran. One claim names the paper, says what it states in
 * the project's words, names the measured quantity (a fitted exponent, a mean at one sweep value,
 * or a named statistic the experiment kind exports), the prediction with a link to its derivation
 * in theory/, the tolerance with its reason, and the decision rule. The decision itself is
 * `decideClaim` (./decide.ts); `judgeClaims` (./judge.ts) finds the estimate.
 */
import { InputError, requireFinite, show } from '../core/errors.js';

/** How a claim is decided on the confidence interval (theory/harness.md#decision-rule). */
export type ClaimRule = 'equal' | 'atMost' | 'atLeast' | 'class';
export const CLAIM_RULES: readonly ClaimRule[] = ['equal', 'atMost', 'atLeast', 'class'];

/** Status of a judged claim. `not attempted` appears only in the scorecard. */
export type ClaimStatus = 'pass' | 'fail' | 'inconclusive';

/** Fewer seeds than this: inconclusive whatever the interval (theory/harness.md#decision-rule). */
export const MIN_SEEDS = 8;

/** One regime class of a `class` claim: the interval [min, max] of the quantity (open ends: null). */
export interface ClaimClass {
  name: string;
  min: number | null;
  max: number | null;
}

/** A claim in an experiment config (`claims: [...]`, experiments/README.md#claims). */
export interface Claim {
  /** Unique within the experiment; the scorecard refers to `<experiment>:<id>`. */
  id: string;
  /** Citation key and place: `geiger2020 §3.1 Fig. 3`. */
  paper: string;
  /** What is claimed, in the project's words. */
  statement: string;
  /**
   * What is measured: the name of a fitted metric (its exponent), or of a statistic the kind
   * exports (results.json `statistics`). With `at`, the mean over seeds of the metric at that
   * sweep value instead of its exponent.
   */
  quantity: string;
  at?: number;
  /** A number (equal, atMost, atLeast) or the name of a class (class). */
  prediction: number | string;
  /** Link to the derivation in theory/ (`theory/geiger.md#rules`). */
  derivation: string;
  tolerance: number;
  toleranceReason: string;
  rule: ClaimRule;
  /** Class boundaries (rule `class` only). */
  classes?: ClaimClass[];
  /** Id of the claim this one revises (the original keeps its row and status). */
  revises?: string;
  /** Why the claim is tested as it is (shown in the report). */
  note?: string;
}

/** Something the method makes exact by construction: listed, never judged as a claim. */
export interface Identity {
  id: string;
  statement: string;
  /** Why it holds by construction (link to theory/ when there is one). */
  why: string;
  /** Optional measured quantity that shows the code satisfies it. */
  quantity?: string;
}

/** A statistic a kind exports for claims that are not fitted exponents. */
export interface Statistic {
  estimate: number;
  /** Confidence interval (95 % unless `note` says otherwise); [x, x] only for exact values. */
  ci: [number, number];
  /** Independent seeds behind the interval. */
  seeds: number;
  note?: string;
}

/** A judged claim in results.json (`claims: [...]`): the config's claim and its decision. */
export interface ClaimResult extends Claim {
  estimate: number | null;
  ci: [number, number] | null;
  seeds: number;
  status: ClaimStatus;
  /** Why this status, in one sentence (e.g. "3 seeds (fewer than 8)"). */
  reason: string;
  /** For class claims: the class holding the whole interval, if one does. */
  measuredClass?: string | null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(at: string, v: unknown): string {
  if (typeof v !== 'string' || v.trim() === '') throw new InputError(at, `must be a non-empty string, got ${show(v)}`);
  return v;
}

const CLAIM_FIELDS = ['id', 'paper', 'statement', 'quantity', 'at', 'prediction', 'derivation', 'tolerance', 'toleranceReason', 'rule', 'classes', 'revises', 'note'];

function parseClasses(at: string, v: unknown): ClaimClass[] {
  if (!Array.isArray(v) || v.length < 2) throw new InputError(at, `must list at least two classes {name, min, max}, got ${show(v)}`);
  return v.map((c, i) => {
    const w = `${at}[${i}]`;
    if (!isObject(c)) throw new InputError(w, `must be {name, min, max}, got ${show(c)}`);
    const bound = (k: 'min' | 'max') => (c[k] === null || c[k] === undefined ? null : requireFinite(`${w}.${k}`, c[k]));
    const out = { name: str(`${w}.name`, c.name), min: bound('min'), max: bound('max') };
    if (out.min !== null && out.max !== null && out.min > out.max) throw new InputError(w, `min ${out.min} is above max ${out.max}`);
    return out;
  });
}

/** Check one claim of a config (InputError naming `<where>.<field>`). */
export function parseClaim(raw: unknown, where: string): Claim {
  if (!isObject(raw)) throw new InputError(where, `must be a claim object, got ${show(raw)}`);
  for (const k of Object.keys(raw)) if (!CLAIM_FIELDS.includes(k)) throw new InputError(`${where}.${k}`, `unknown field (allowed: ${CLAIM_FIELDS.join(', ')})`);
  const rule = raw.rule;
  if (typeof rule !== 'string' || !(CLAIM_RULES as readonly string[]).includes(rule)) throw new InputError(`${where}.rule`, `must be one of ${CLAIM_RULES.join(', ')}, got ${show(rule)}`);
  const tolerance = requireFinite(`${where}.tolerance`, raw.tolerance);
  if (tolerance < 0) throw new InputError(`${where}.tolerance`, `must be ≥ 0, got ${tolerance}`);
  const c: Claim = {
    id: str(`${where}.id`, raw.id), paper: str(`${where}.paper`, raw.paper), statement: str(`${where}.statement`, raw.statement),
    quantity: str(`${where}.quantity`, raw.quantity), prediction: 0, derivation: str(`${where}.derivation`, raw.derivation),
    tolerance, toleranceReason: str(`${where}.toleranceReason`, raw.toleranceReason), rule: rule as ClaimRule,
  };
  if (!/^theory\/[\w.-]+\.md(#[\w.-]+)?$/.test(c.derivation)) throw new InputError(`${where}.derivation`, `must link to theory/<file>.md#<anchor>, got ${show(c.derivation)}`);
  if (raw.at !== undefined) c.at = requireFinite(`${where}.at`, raw.at);
  if (c.rule === 'class') {
    c.classes = parseClasses(`${where}.classes`, raw.classes);
    const p = str(`${where}.prediction`, raw.prediction);
    if (!c.classes.some((k) => k.name === p)) throw new InputError(`${where}.prediction`, `must name one of the classes (${c.classes.map((k) => k.name).join(', ')}), got ${show(p)}`);
    c.prediction = p;
  } else {
    if (raw.classes !== undefined) throw new InputError(`${where}.classes`, 'only for rule "class"');
    c.prediction = requireFinite(`${where}.prediction`, raw.prediction);
  }
  if (raw.revises !== undefined) c.revises = str(`${where}.revises`, raw.revises);
  if (raw.note !== undefined) c.note = str(`${where}.note`, raw.note);
  return c;
}

/** Check a config's `claims` list: unique ids, revisions name an earlier claim. */
export function parseClaims(raw: unknown, where: string): Claim[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new InputError(where, `must be an array of claims, got ${show(raw)}`);
  const out = raw.map((c, i) => parseClaim(c, `${where}[${i}]`));
  const ids = new Set<string>();
  out.forEach((c, i) => {
    if (ids.has(c.id)) throw new InputError(`${where}[${i}].id`, `duplicate claim id ${show(c.id)}`);
    if (c.revises !== undefined && !ids.has(c.revises)) throw new InputError(`${where}[${i}].revises`, `must name an earlier claim of this list, got ${show(c.revises)}`);
    ids.add(c.id);
  });
  return out;
}

/** Check a config's `identities` list. */
export function parseIdentities(raw: unknown, where: string): Identity[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new InputError(where, `must be an array, got ${show(raw)}`);
  return raw.map((v, i) => {
    const at = `${where}[${i}]`;
    if (!isObject(v)) throw new InputError(at, `must be {id, statement, why, quantity?}, got ${show(v)}`);
    for (const k of Object.keys(v)) if (!['id', 'statement', 'why', 'quantity'].includes(k)) throw new InputError(`${at}.${k}`, 'unknown field (allowed: id, statement, why, quantity)');
    return { id: str(`${at}.id`, v.id), statement: str(`${at}.statement`, v.statement), why: str(`${at}.why`, v.why), ...(v.quantity !== undefined ? { quantity: str(`${at}.quantity`, v.quantity) } : {}) };
  });
}
