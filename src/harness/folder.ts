/**
 * The output folder of a sweep (docs/interface.md#output-folder:
 *
 *   DIR/sweep.json        manifest: spec and its hash (written first; decides resume vs refuse)
 *   DIR/reference.json    the shared limit (deterministic)
 *   DIR/cells/w<h>-s<s>.json  one finished cell each, written atomically as it finishes
 *   DIR/results.json      cells + fits, time-free and sorted: byte-identical for any number of
 *                         workers and any interruption
 *   DIR/timing.json       wall times (the only place for them)
 *   DIR/report.{md,html}, DIR/figures/*.svg, DIR/data.csv, DIR/curves.csv  (the report)
 *
 * Every file is written with writeJsonAtomic / writeFileAtomic (temporary file, then rename).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { writeJsonAtomic } from '../core/atomic.js';
import type { Spec } from '../spec/types.js';
import type { CellRecord, Reference } from './types.js';

export const paths = {
  manifest: (dir: string) => join(dir, 'sweep.json'),
  reference: (dir: string) => join(dir, 'reference.json'),
  cells: (dir: string) => join(dir, 'cells'),
  cell: (dir: string, width: number, seed: number) => join(dir, 'cells', `w${width}-s${seed}.json`),
  results: (dir: string) => join(dir, 'results.json'),
  timing: (dir: string) => join(dir, 'timing.json'),
  curves: (dir: string) => join(dir, 'curves.json'),
};

export interface Manifest {
  format: 'widelimit-sweep/1';
  specHash: string;
  spec: Spec;
}

/** Parse a JSON file, or undefined when it is absent or unreadable. */
export function readJsonIfValid(path: string): unknown {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Prepare DIR for a sweep of `spec`: create it, refuse (InputError on `--out`) when it holds a
 * sweep of a different spec, remove temporary files left by an interrupted run, and write the
 * manifest.
 */
export function openSweepFolder(dir: string, spec: Spec, specHash: string): void {
  const old = readJsonIfValid(paths.manifest(dir)) as Manifest | undefined;
  if (old && old.specHash !== specHash) {
    throw new InputError('--out', `${dir} holds a sweep of a different spec (hash ${old.specHash}, this spec ${specHash}); pick a new folder`);
  }
  if (!old && existsSync(paths.cells(dir))) {
    for (const f of listCellFiles(dir)) {
      const c = readJsonIfValid(join(paths.cells(dir), f)) as CellRecord | undefined;
      if (c && c.specHash !== specHash) throw new InputError('--out', `${dir} holds cells of a different spec; pick a new folder`);
    }
  }
  mkdirSync(paths.cells(dir), { recursive: true });
  removeTemporaries(dir);
  removeTemporaries(paths.cells(dir));
  if (!old) writeJsonAtomic(paths.manifest(dir), { format: 'widelimit-sweep/1', specHash, spec } satisfies Manifest);
}

/** Delete `.<name>.<pid>.<n>.tmp` files of writeFileAtomic left by a killed process. */
export function removeTemporaries(dir: string): void {
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) {
    if (f.startsWith('.') && f.endsWith('.tmp')) {
      try { unlinkSync(join(dir, f)); } catch { /* gone already */ }
    }
  }
}

function listCellFiles(dir: string): string[] {
  if (!existsSync(paths.cells(dir))) return [];
  return readdirSync(paths.cells(dir)).filter((f) => /^w\d+-s\d+\.json$/.test(f)).sort();
}

/** The saved cell (width, seed) when it exists, is complete and belongs to `specHash`. */
export function readCell(dir: string, width: number, seed: number, specHash: string): CellRecord | undefined {
  const c = readJsonIfValid(paths.cell(dir, width, seed)) as CellRecord | undefined;
  if (!c || c.format !== 'widelimit-cell/1' || c.specHash !== specHash || c.width !== width || c.seed !== seed) return undefined;
  return c;
}

/** The saved reference when it belongs to `specHash`. */
export function readReference(dir: string, specHash: string): Reference | undefined {
  const r = readJsonIfValid(paths.reference(dir)) as Reference | undefined;
  return r && r.format === 'widelimit-reference/1' && r.specHash === specHash ? r : undefined;
}
