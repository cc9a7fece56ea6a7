/**
 * The Limit registry (theory/harness.md#limit-registry): every infinite-width limit declares
 * itself here — its name, when it applies to a network and schedule, how to prepare and run it,
 * its citations and the exponents a compare sweep expects by default. `run/`, the harness, the
 * reports and the CLI consult the registry and never switch on limit names, so a new limit is one
 * folder plus one registration line (builtin.ts), or a single file that calls
 * {@link registerLimit} (a plug-in). Worker threads start with the built-ins only: a plug-in that
 * passes its own module URL (`registerLimit(limit, { module: import.meta.url })`) is imported by
 * each worker before its first cell ({@link limitModules}); without it, sweeps of that limit run
 * in-process (workers: 1). Distributed workers (other processes) load the built-ins only.
 */
import { InputError } from '../core/errors.js';
import type { Mat } from '../core/matrix.js';
import type { Dataset } from '../data/dataset.js';
import type { RunResult } from '../spec/result.js';
import type { CitationKey } from '../spec/citations.js';
import type { Spec } from '../spec/types.js';

/** Whether a limit describes a network: ok with the reason (reported), or not with why not. */
export type LimitApplies = { ok: true; reason: string } | { ok: false; reason: string };

/** Initial outputs of a finite network: n × k on the train inputs, nTest × k on the test inputs. */
export interface InitialOutputs {
  train: Mat;
  test: Mat;
}

/** An exponent a compare sweep expects of a metric (fits and verdicts: theory/harness.md#expected-exponents). */
export interface LimitExpectation {
  metric: string;
  exponent: number;
  tolerance?: number;
  relation?: 'equal' | 'atMost' | 'atLeast';
}

/** A limit prepared once for a spec and data set; runs trajectories at the trainer's record times. */
export interface PreparedLimit {
  /** The trajectory from f₀ (default: the limit's own start; a network's own f₀ when the limit is path-wise). */
  run(f0?: InitialOutputs): RunResult;
  /** The limit's kernel on the train inputs (n × n), when it has one: cells compare the network's initial kernel with it. */
  readonly kernelTrain?: Mat;
}

export interface LimitRunOptions {
  /** A parsed initial-weights file (`--init`). */
  init?: unknown;
  progress?: (fraction: number) => void;
  /** Use this data set instead of loading spec.data. */
  dataset?: Dataset;
  /** Directory that relative data paths are resolved against. */
  baseDir?: string;
}

export interface Limit {
  readonly name: string;
  /** Whether this limit describes the spec's network (`model`) under its schedule (`training`). */
  applies(model: Spec['model'], training: Spec['training']): LimitApplies;
  /** Prepare once for a sweep (kernels, references…); its trajectories are compared with each cell. */
  prepare(spec: Spec, data: Dataset, opts?: { baseDir?: string }): PreparedLimit;
  /** `widelimit limit`: one full run, with an initial-weights file and progress. */
  run(spec: Spec, opts: LimitRunOptions): RunResult;
  /**
   * Path-wise: every cell runs the limit from the finite network's own f₀ (and records its kernel);
   * otherwise cells are compared with the one deterministic reference of the sweep.
   */
  readonly pathwise: boolean;
  /** Keys of the citation list (src/spec/citations.ts) for a sweep of `spec`. */
  citations(spec: Spec): CitationKey[];
  /** Default expectations of a compare sweep of `spec`. */
  expectations(spec: Spec): LimitExpectation[];
}

const registry = new Map<string, Limit>();
const modules: string[] = [];

/**
 * Register a limit; inference tries limits in registration order. A name can be registered once.
 * `module`: the URL of the module whose evaluation registers it (worker threads import it).
 */
export function registerLimit(limit: Limit, opts: { module?: string } = {}): void {
  if (registry.has(limit.name)) throw new RangeError(`limit ${JSON.stringify(limit.name)} is already registered`);
  registry.set(limit.name, limit);
  if (opts.module !== undefined && !modules.includes(opts.module)) modules.push(opts.module);
}

/** Modules of the plug-in limits registered with their URL, in registration order. */
export function limitModules(): string[] {
  return [...modules];
}

/** Names of the registered limits, in registration order. */
export function limitNames(): string[] {
  return [...registry.keys()];
}

/** The registered limit `name`; InputError at `where` when there is none. */
export function getLimit(name: string, where = 'limit'): Limit {
  const l = registry.get(name);
  if (!l) throw new InputError(where, `unknown limit ${JSON.stringify(name)}; registered: ${limitNames().join(', ')}`);
  return l;
}

/** The registered limit `name`, or undefined (reports of result files written elsewhere). */
export function findLimit(name: string): Limit | undefined {
  return registry.get(name);
}

export interface LimitChoice {
  limit: string;
  /** One line: the limit, then why. */
  reason: string;
}

/**
 * The spec's limit: `spec.limit` when named, else the first registered limit that applies.
 * InputError at `limit` when none does, with every limit's reason.
 */
export function inferLimit(spec: Spec): LimitChoice {
  if (spec.limit !== undefined) {
    getLimit(spec.limit);
    return { limit: spec.limit, reason: `${spec.limit}: named in the spec` };
  }
  const why: string[] = [];
  for (const l of registry.values()) {
    const a = l.applies(spec.model, spec.training);
    if (a.ok) return { limit: l.name, reason: `${l.name}: ${a.reason}` };
    why.push(`${l.name}: ${a.reason}`);
  }
  const m = spec.model;
  const preset = typeof m.parameterization === 'string' ? m.parameterization : 'abc';
  throw new InputError(
    'limit',
    `no limit is implemented for the ${preset} parameterization with depth ${m.depth} and activation ${JSON.stringify(m.activation)} ` +
      `(${why.join('; ')}); name one with "limit": ${limitNames().map((n) => JSON.stringify(n)).join(' | ')}`,
  );
}
