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
import { CellCache, type CellTask, runCell } from './cell.js';
import { loadData } from './deps.js';
import { type FitOptions, defaultExpectations } from './fits.js';
import { openSweepFolder, paths, readCell, readReference } from './folder.js';
import { specHash as hashSpec } from './hash.js';
import { versions } from '../spec/package.js';
import { compiledWorker, defaultWorkers, runTasks } from './pool.js';
import { type ProgressSink, createProgress } from './progress.js';
import { chooseLimit, computeReference } from './reference.js';
import { referencesFor } from './report/references.js';
import type { CellRecord, CompareResults, Expectation } from './types.js';
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

/** Run (or resume) a sweep and write DIR/results.json and DIR/timing.json. */
export async function runCompare(spec: Spec, o: CompareOptions): Promise<CompareResults> {
  const widths = checkWidths(o.widths);
  const S = requirePositiveInt('--seeds', o.seeds);
  const workers = o.workers === undefined ? defaultWorkers() : requirePositiveInt('--workers', o.workers);
  const started = performance.now();
  const hash = hashSpec(spec);
  // Input errors (data, limit) before anything is written.
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
  for (const w of widths) {
    for (let s = 0; s < S; s++) {
      const c = readCell(o.out, w, s, hash);
      // Numerical failures are deterministic and kept; crashed cells ('failed') are retried.
      if (c && c.status !== 'failed') done.set(`${w}|${s}`, c);
      else tasks.push({ spec, specHash: hash, width: w, seed: s, reference, baseDir: o.baseDir });
    }
  }
  // Widest first: the longest cells start early, so the threads finish together.
  tasks.sort((a, b) => b.width - a.width || a.seed - b.seed);

  const progress = makeProgress(o.progress, spec, tasks, done.size);
  const cache = new CellCache();
  await runTasks(tasks, {
    workers,
    worker: compiledWorker(),
    inProcess: (t) => runCell(t, cache),
    onError: (t, e) => crashedCell(t, e),
    onResult: (t, cell) => {
      writeJsonAtomic(paths.cell(o.out, t.width, t.seed), cell);
      done.set(`${t.width}|${t.seed}`, cell);
      progress?.tick(cell);
    },
  });
  progress?.finish();

  const cells = [...done.values()];
  const results = assembleCompare({
    spec, specHash: hash, reference, widths, seeds: S, cells,
    expected: o.expected ?? defaultExpectations(reference.limit, spec),
    name: o.name, claim: o.claim, quick: o.quick, fit: o.fit, claims: o.claims, identities: o.identities,
    versions: versions(), references: referencesFor(reference.limit, spec),
  });
  writeJsonAtomic(paths.results(o.out), results);
  writeTiming(o.out, cells, tasks.length, workers, (performance.now() - started) / 1000);
  return results;
}

function makeProgress(p: CompareOptions['progress'], spec: Spec, tasks: CellTask[], skipped: number): ProgressSink | null {
  if (p === false) return null;
  if (p === undefined || p === true) {
    return createProgress({ label: 'compare', pending: tasks.map((t) => t.width), cost: (w) => cellCost(spec, w), skipped });
  }
  return p;
}

function writeTiming(dir: string, cells: CellRecord[], ran: number, workers: number, seconds: number): void {
  const sorted = [...cells].sort((a, b) => a.width - b.width || a.seed - b.seed);
  writeJsonAtomic(paths.timing(dir), {
    seconds,
    workers,
    cellsRun: ran,
    cellsReused: cells.length - ran,
    cellSeconds: sorted.map((c) => ({ width: c.width, seed: c.seed, seconds: c.seconds })),
    finished: new Date().toISOString(),
  });
}

function crashedCell(t: CellTask, e: unknown): CellRecord {
  const msg = e instanceof Error ? e.message : String(e);
  return {
    format: 'widelimit-cell/1', specHash: t.specHash, width: t.width, seed: t.seed, initSeed: t.spec.seed + t.seed,
    status: 'failed', message: `worker crashed: ${msg}`, metrics: {},
    curves: { times: [], trainLoss: [], testLoss: [], fTrainDev: [], fTestDev: [] },
    fTestFinal: [], fTestCentred: [], seconds: 0,
  };
}
