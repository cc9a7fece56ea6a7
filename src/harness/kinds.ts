/**
 * Experiment kinds: the functions that run experiment configs (experiments/README.md#writing-an-experiment-kind). A kind validates its config and `run`s it into long-format records; the harness
 * fits the records against the config's `expected` exponents, writes results.json and the
 * report. The built-in kind `compare` (a finite-vs-limit width sweep) is one instance; others
 * (mean-field, deep-linear, the papers' regimes) plug in with {@link registerExperimentKind}.
 * See experiments/README.md, "Writing an experiment kind".
 */
import { InputError, show } from '../core/errors.js';
import { writeJsonAtomic } from '../core/atomic.js';
import type { Status } from '../core/errors.js';
import type { Spec } from '../spec/types.js';
import { type CompareOptions, runCompare } from './compare.js';
import type { Backend } from './backend.js';
import { parseSpec } from './deps.js';
import type { ResolvedExperiment } from './experiments.js';
import { fitRecords } from './fits.js';
import { paths } from './folder.js';
import { versions } from '../spec/package.js';
import type { ProgressSink } from './progress.js';
import type { MetricLabel, QuantityLabel } from './report/labels.js';
import { applyClaims } from './applyClaims.js';
import { claimsOfExpectations } from './judge.js';
import type { Statistic } from './claims.js';
import type { AnyResults, Axis, CurveRecord, FitRecord, GenericResults, LongRecord } from './types.js';
import type { CitationKey } from '../spec/citations.js';

export interface ExperimentContext {
  /** Output folder (created by the harness; the kind may keep resumable state in it). */
  out: string;
  /** Worker threads to use (the kind may ignore it). */
  workers?: number;
  /** Progress on stderr (true), none (false), or a sink. */
  progress: boolean | ProgressSink;
  /** Where sweep cells run (kind compare; default worker threads). */
  backend?: Backend;
}

/** What a plug-in kind returns: long-format data; the harness fits and writes it. */
export interface ExperimentOutput {
  /** One row per (x, seed, metric); seed null for per-x quantities. */
  records: LongRecord[];
  /** Curves to plot, long format (written to DIR/curves.json and curves.csv). */
  curves?: CurveRecord[];
  /** Fits of your own; by default the harness fits every metric of `records`. */
  fits?: FitRecord[];
  /** The swept variable (default {name: 'width', label: 'width h'}). */
  axis?: Axis;
  status: Status;
  message: string;
  /** The resolved spec or parameters, shown in the report. */
  spec?: unknown;
  /** Citations of the methods used (keys of src/spec/citations.ts). */
  references?: CitationKey[];
  /** Axis titles of your own metrics. */
  labels?: Record<string, MetricLabel>;
  /** Titles, axes and log scales of your own curve quantities. */
  curveLabels?: Record<string, QuantityLabel>;
  /**
   * Figures the kind drew itself (DIR/figures/<id>.svg, written before it returns): shown in the
   * report before the harness's own, and kept when `widelimit report DIR` redraws the rest.
   */
  figures?: { id: string; title: string }[];
  notes?: string[];
  /**
   * Named statistics {estimate, ci, seeds} for claims that are not fitted exponents (a claim's
   * `quantity` names one). Prefer {@link ExperimentKind.statistics}, which derives them from the
   * saved results, so that `widelimit experiment rejudge DIR` can recompute them.
   */
  statistics?: Record<string, Statistic>;
}

/** The built-in compare kind writes results.json itself (resumable cells) and hands it back. */
export interface WrittenResults {
  written: AnyResults;
}

export interface ExperimentKind<P = unknown> {
  /** The `kind` of configs it runs. */
  readonly kind: string;
  /** One line for `widelimit experiment list`. */
  readonly description: string;
  /** Validate the config (InputError naming `<name>.<field>`); returns the kind's parameters. */
  parse(config: ResolvedExperiment): P;
  run(params: P, config: ResolvedExperiment, ctx: ExperimentContext): Promise<ExperimentOutput | WrittenResults>;
  /**
   * Named statistics for claims, computed from a saved results.json (its records, fits, spec):
   * called after `run` and again by `widelimit experiment rejudge`. Merged over
   * `ExperimentOutput.statistics` (same name: this one wins).
   */
  statistics?(results: GenericResults): Record<string, Statistic>;
}

/** Compare kind: `spec` swept over `widths` × `seeds` against its limit (src/harness/compare.ts). */
export const compareKind: ExperimentKind<Spec> = {
  kind: 'compare',
  description: 'finite networks over widths and seeds against their infinite-width limit; power-law fits of the distances',
  parse(c) {
    if (!c.spec) throw new InputError(`${c.name}.spec`, 'is required for kind compare');
    return parseSpec(c.spec, `${c.name}.spec`);
  },
  async run(spec, c, ctx) {
    const results = await runCompare(spec, compareOptionsOf(c, ctx));
    return { written: results };
  },
};

/** The runCompare options of a compare-kind experiment. */
export function compareOptionsOf(c: ResolvedExperiment, ctx: ExperimentContext): CompareOptions {
  return {
    widths: c.widths, seeds: c.seeds, out: ctx.out, workers: ctx.workers, progress: ctx.progress, baseDir: c.dir,
    expected: c.expected.length > 0 ? c.expected : undefined,
    name: c.quick ? `${c.name} (quick)` : c.name, claim: c.claim, quick: c.quick,
    claims: c.claims, identities: c.identities,
    ...(ctx.backend ? { backend: ctx.backend } : {}),
  };
}

const kinds = new Map<string, ExperimentKind<unknown>>([[compareKind.kind, compareKind as ExperimentKind<unknown>]]);

/** Add a kind (another area's experiments: call this from the module that defines it). */
export function registerExperimentKind<P>(k: ExperimentKind<P>): void {
  kinds.set(k.kind, k as ExperimentKind<unknown>);
}

export function experimentKind(name: string, where = 'kind'): ExperimentKind<unknown> {
  const k = kinds.get(name);
  if (!k) throw new InputError(where, `unknown experiment kind ${show(name)} (known: ${[...kinds.keys()].join(', ')})`);
  return k;
}

/**
 * Write the results of a plug-in kind (results.json, curves.json); fits unless given; claims
 * judged from the fits and the statistics of `out` and of `kind.statistics`.
 */
export function writeGenericResults(c: ResolvedExperiment, out: ExperimentOutput, dir: string, seed: number, kind?: ExperimentKind<unknown>): GenericResults {
  const fits = out.fits ?? fitRecords(out.records, c.expected, { seed });
  const results: GenericResults & { labels?: Record<string, MetricLabel>; curveLabels?: Record<string, QuantityLabel>; figures?: { id: string; title: string }[] } = {
    format: 'widelimit-results/1',
    kind: c.kind,
    name: c.quick ? `${c.name} (quick)` : c.name,
    claim: c.claim,
    ...(c.quick ? { quick: true } : {}),
    ...(out.spec !== undefined ? { spec: out.spec } : c.spec ? { spec: c.spec } : {}),
    axis: out.axis ?? { name: 'width', label: 'width h' },
    widths: [...new Set(out.records.map((r) => r.width))].sort((a, b) => a - b),
    seeds: [...new Set(out.records.map((r) => r.seed).filter((s): s is number => s !== null))].sort((a, b) => a - b),
    records: out.records,
    fits,
    status: out.status,
    message: out.message,
    versions: versions(),
    references: out.references ?? [],
    ...(out.notes || c.notes ? { notes: [...(c.notes ?? []), ...(out.notes ?? [])] } : {}),
    ...(out.labels ? { labels: out.labels } : {}),
    ...(out.curveLabels ? { curveLabels: out.curveLabels } : {}),
    ...(out.figures ? { figures: out.figures } : {}),
  };
  const statistics = { ...(out.statistics ?? {}), ...(kind?.statistics?.(results) ?? {}) };
  // configs built in code may omit claims: then one claim per expected exponent
  const claims = c.claims ?? claimsOfExpectations(c.expected);
  const judged = applyClaims(results, results.records, { claims, identities: c.identities ?? [], statistics, expected: c.expected });
  writeJsonAtomic(paths.curves(dir), out.curves ?? []);
  writeJsonAtomic(paths.results(dir), judged);
  return judged;
}
