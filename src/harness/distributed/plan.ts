/**
 * The plan of a sweep whose cells run elsewhere (a Slurm job array): `DIR/plan.json` lists the
 * cells by index and keeps the options that shape results.json, so that `widelimit cell --sweep
 * DIR --index i` can run cell i from the folder alone and `widelimit report DIR` can assemble the
 * same results.json a local run writes.
 */
import { join } from 'node:path';
import { InputError } from '../../core/errors.js';
import { writeJsonAtomic } from '../../core/atomic.js';
import type { Spec } from '../../spec/types.js';
import { type CompareOptions, type PreparedSweep, finishSweep } from '../compare.js';
import { type Manifest, paths, readCell, readJsonIfValid, readReference } from '../folder.js';
import { defaultWorkers } from '../pool.js';
import type { CellRecord, CompareResults } from '../types.js';

/** What of CompareOptions a plan keeps: everything but where and how this process runs. */
export type PlannedOptions = Omit<CompareOptions, 'out' | 'workers' | 'progress' | 'backend'>;

export interface Plan {
  format: 'widelimit-plan/1';
  specHash: string;
  options: PlannedOptions;
  /** Cell i of the job array (widest first, so the long cells start early). */
  cells: { width: number; seed: number }[];
}

export const planPath = (dir: string) => join(dir, 'plan.json');

/** Write the plan of a prepared sweep (every cell, saved or not: the indices never change). */
export function writePlan(dir: string, sw: PreparedSweep, o: CompareOptions): Plan {
  const { out: _out, workers: _w, progress: _p, backend: _b, ...options } = o;
  const cells: Plan['cells'] = [];
  for (const width of [...sw.widths].reverse()) for (let seed = 0; seed < sw.seeds; seed++) cells.push({ width, seed });
  const plan: Plan = { format: 'widelimit-plan/1', specHash: sw.specHash, options, cells };
  writeJsonAtomic(planPath(dir), plan);
  return plan;
}

/** The plan, manifest and reference of DIR (InputError naming DIR when one is missing). */
export function readPlanned(dir: string): { plan: Plan; spec: Spec; reference: PreparedSweep['reference'] } {
  const plan = readJsonIfValid(planPath(dir)) as Plan | undefined;
  if (!plan || plan.format !== 'widelimit-plan/1') throw new InputError(dir, 'holds no plan.json: emit the sweep with --emit-slurm FILE first');
  const manifest = readJsonIfValid(paths.manifest(dir)) as Manifest | undefined;
  if (!manifest || manifest.specHash !== plan.specHash) throw new InputError(dir, 'sweep.json is missing or belongs to another spec than plan.json');
  const reference = readReference(dir, plan.specHash);
  if (!reference) throw new InputError(dir, 'reference.json is missing or belongs to another spec');
  return { plan, spec: manifest.spec, reference };
}

/** True when DIR holds a planned sweep. */
export function isPlanned(dir: string): boolean {
  return readJsonIfValid(planPath(dir)) !== undefined;
}

/**
 * Assemble results.json of a planned sweep from its saved cells (InputError listing the indices
 * still missing, to resubmit them).
 */
export function assemblePlanned(dir: string): CompareResults {
  const { plan, spec, reference } = readPlanned(dir);
  const done = new Map<string, CellRecord>();
  const missing: number[] = [];
  plan.cells.forEach(({ width, seed }, i) => {
    const c = readCell(dir, width, seed, plan.specHash);
    if (c) done.set(`${width}|${seed}`, c);
    else missing.push(i);
  });
  if (missing.length > 0) {
    throw new InputError(dir, `${missing.length} of ${plan.cells.length} cells have not run yet (indices ${compactRanges(missing)}); run them, e.g. \`sbatch --array=${compactRanges(missing)} SCRIPT\`, then report again`);
  }
  const o = plan.options;
  const sw: PreparedSweep = {
    spec, specHash: plan.specHash, widths: [...o.widths].sort((a, b) => a - b), seeds: o.seeds, workers: defaultWorkers(),
    reference, done, tasks: [], started: performance.now(),
  };
  return finishSweep(sw, { ...o, out: dir }, { backend: 'slurm' });
}

/** [0,1,2,5,7,8] → "0-2,5,7-8" (Slurm's --array syntax). */
export function compactRanges(xs: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < xs.length; ) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === xs[j] + 1) j++;
    out.push(j > i ? `${xs[i]}-${xs[j]}` : `${xs[i]}`);
    i = j + 1;
  }
  return out.join(',');
}
