/**
 * `runCompare`: a sweep over widths × seeds of a finite network against its infinite-width
 * limit (theory/harness.md#metrics; theory/harness.md). Cells run in parallel on worker threads; the main
 * thread writes each finished cell atomically, so a killed sweep resumes where it stopped, and
 * `results.json` is assembled from the saved cells only: byte-identical for any number of
 * workers and any interruption.
 */
import { requirePositiveInt, InputError, show } from '../core/errors.js';
import { writeJsonAtomic } from '../core/atomic.js';
import type { Dataset } from '../data/dataset.js';
import type { Spec } from '../spec/types.js';
import { assembleCompare } from './assemble.js';
import { CellCache, type CellTask } from './cell.js';
import { limitModules, loadData } from './deps.js';
import { type FitOptions, defaultExpectations } from './fits.js';
import { openSweepFolder, paths, readCell, readReference } from './folder.js';
import { specHash as hashSpec } from './hash.js';
import { versions } from '../spec/package.js';
import { defaultWorkers } from './pool.js';
import { type Backend, type BackendStats, runCells } from './backend.js';
import { type ProgressSink, createProgress } from './progress.js';
import { chooseLimit, computeReference } from './reference.js';
import { referencesFor } from './report/references.js';
import type { CellRecord, CompareResults, Expectation, Reference } from './types.js';
import type { Claim, Identity } from './claims.js';

export interface CompareOptions {
  /** Widths h to sweep (positive integers). */
  widths: number[];
  /** Number of seeds S: init seeds spec.seed + 0..S−1. */
  seeds: number;
  /** Output folder. */
  out: string;
  /** Worker threads (default: number of cores; 1 = in-process). */
  workers?: number;
  /** Progress on stderr (default true); false for none, or a sink of your own. */
  progress?: boolean | ProgressSink;
  /** Folder against which relative data paths in the spec are resolved. */
  baseDir?: string;
  /** Expected exponents (default: defaultExpectations of the limit). */
  expected?: Expectation[];
  /** Experiment name and claim, recorded in results.json. */
  name?: string;
  claim?: string;
  quick?: boolean;
  fit?: Omit<FitOptions, 'seed'>;
  /** Claims to judge (default: one per expected exponent, theory/harness.md#claims). */
  claims?: Claim[];
  identities?: Identity[];
  /** Where the cells run (default: worker threads of this process). */
  backend?: Backend;
}

/** Validate and sort the widths (InputError on `--widths`). */
export function checkWidths(widths: readonly unknown[], where = '--widths'): number[] {
  if (widths.length < 2) throw new InputError(where, `needs at least two widths to fit an exponent, got ${show(widths)}`);
  const out = widths.map((w) => requirePositiveInt(where, w));
  if (new Set(out).size !== out.length) throw new InputError(where, `widths must be distinct, got ${show(widths)}`);
  return out.sort((a, b) => a - b);
}

/** Estimated relative cost of a cell of width h (parameters ∝ h for one hidden layer, h² beyond). */
export function cellCost(spec: Spec, width: number): number {
  return spec.model.depth <= 1 ? width + 16 : width * width + 16 * width;
}

/** A sweep ready to run: its validated options, reference, the cells already saved and those to run. */
export interface PreparedSweep {
  spec: Spec;
  specHash: string;
  widths: number[];
  seeds: number;
  workers: number;
  reference: Reference;
  /** Saved cells by `width|seed`. */
  done: Map<string, CellRecord>;
  /** Cells to run, widest first. */
  tasks: CellTask[];
  started: number;
}

/**
 * Validate the options, open (or resume) the folder, compute or read the reference and list the
 * cells still to run. Input errors (data, limit) come before anything is written.
 */
export async function prepareSweep(spec: Spec, o: CompareOptions): Promise<PreparedSweep> {
  const widths = checkWidths(o.widths);
  const S = requirePositiveInt('--seeds', o.seeds);
  const workers = o.workers === undefined ? defaultWorkers() : requirePositiveInt('--workers', o.workers);
  const started = performance.now();
  const hash = hashSpec(spec);
  const data: Dataset = loadData(spec.data, o.baseDir);
  chooseLimit(spec);
  openSweepFolder(o.out, spec, hash);

  let reference = readReference(o.out, hash);
  if (!reference) {
    reference = await computeReference(spec, data, hash, o.baseDir);
    writeJsonAtomic(paths.reference(o.out), reference);
  }

  const done = new Map<string, CellRecord>();
  const tasks: CellTask[] = [];
  const mods = limitModules();
  for (const w of widths) {
    for (let s = 0; s < S; s++) {
      const c = readCell(o.out, w, s, hash);
      // Numerical failures are deterministic and kept; crashed cells ('failed') are retried.
      if (c && c.status !== 'failed') done.set(`${w}|${s}`, c);
      else tasks.push({ spec, specHash: hash, width: w, seed: s, reference, baseDir: o.baseDir, ...(mods.length ? { limitModules: mods } : {}) });
    }
  }
  // Widest first: the longest cells start early, so the threads finish together.
  tasks.sort((a, b) => b.width - a.width || a.seed - b.seed);
  return { spec, specHash: hash, widths, seeds: S, workers, reference, done, tasks, started };
}

/** Run (or resume) a sweep and write DIR/results.json and DIR/timing.json. */
export async function runCompare(spec: Spec, o: CompareOptions): Promise<CompareResults> {
  const sw = await prepareSweep(spec, o);
  const { tasks, done } = sw;
  const progress = makeProgress(o.progress, spec, tasks, done.size);
  const log = o.progress === false ? undefined : (line: string) => void process.stderr.write(`compare: ${line}\n`);
  const stats = await runCells(o.backend ?? { kind: 'threads' }, tasks, {
    workers: sw.workers,
    cache: new CellCache(),
    crashed: crashedCell,
    log,
    onResult: (t, cell) => {
      writeJsonAtomic(paths.cell(o.out, t.width, t.seed), cell);
      done.set(`${t.width}|${t.seed}`, cell);
      progress?.tick(cell);
    },
  });
  progress?.finish();
  return finishSweep(sw, o, stats);
}

/** Assemble results.json from the saved cells (and write timing.json). */
export function finishSweep(sw: PreparedSweep, o: CompareOptions, stats: BackendStats): CompareResults {
  const cells = [...sw.done.values()];
  const results = assembleCompare({
    spec: sw.spec, specHash: sw.specHash, reference: sw.reference, widths: sw.widths, seeds: sw.seeds, cells,
    expected: o.expected ?? defaultExpectations(sw.reference.limit, sw.spec),
    name: o.name, claim: o.claim, quick: o.quick, fit: o.fit, claims: o.claims, identities: o.identities,
    versions: versions(), references: referencesFor(sw.reference.limit, sw.spec),
  });
  writeJsonAtomic(paths.results(o.out), results);
  writeTiming(o.out, cells, sw.tasks.length, sw.workers, (performance.now() - sw.started) / 1000, stats);
  return results;
}

function makeProgress(p: CompareOptions['progress'], spec: Spec, tasks: CellTask[], skipped: number): ProgressSink | null {
  if (p === false) return null;
  if (p === undefined || p === true) {
    return createProgress({ label: 'compare', pending: tasks.map((t) => t.width), cost: (w) => cellCost(spec, w), skipped });
  }
  return p;
}

function writeTiming(dir: string, cells: CellRecord[], ran: number, workers: number, seconds: number, stats: BackendStats): void {
  const sorted = [...cells].sort((a, b) => a.width - b.width || a.seed - b.seed);
  writeJsonAtomic(paths.timing(dir), {
    seconds,
    workers,
    ...stats,
    cellsRun: ran,
    cellsReused: cells.length - ran,
    cellSeconds: sorted.map((c) => ({ width: c.width, seed: c.seed, seconds: c.seconds })),
    finished: new Date().toISOString(),
  });
}

export function crashedCell(t: CellTask, e: unknown): CellRecord {
  const msg = e instanceof Error ? e.message : String(e);
  return {
    format: 'widelimit-cell/1', specHash: t.specHash, width: t.width, seed: t.seed, initSeed: t.spec.seed + t.seed,
    status: 'failed', message: `worker crashed: ${msg}`, metrics: {},
    curves: { times: [], trainLoss: [], testLoss: [], fTrainDev: [], fTestDev: [] },
    fTestFinal: [], fTestCentred: [], seconds: 0,
  };
}
