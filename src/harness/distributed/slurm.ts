/**
 * Slurm job arrays (README, "More than one machine"): `--emit-slurm FILE` prepares the sweep
 * folder (manifest, reference, plan.json) and writes a job-array script whose task i runs
 * `widelimit cell --sweep DIR --index i`, writing cell i into DIR (a folder every node shares);
 * `widelimit report DIR` then assembles results.json and the report.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, show } from '../../core/errors.js';
import { writeFileAtomic, writeJsonAtomic } from '../../core/atomic.js';
import type { Spec } from '../../spec/types.js';
import { CellCache, runCell } from '../cell.js';
import { type CompareOptions, crashedCell, prepareSweep } from '../compare.js';
import { paths, readCell } from '../folder.js';
import type { CellRecord } from '../types.js';
import { readPlanned, writePlan } from './plan.js';

export interface EmittedSweep {
  script: string;
  dir: string;
  /** Cells in the array, and those not saved yet. */
  cells: number;
  pending: number;
}

/** Single-quote a word for bash. */
function sh(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The command line that runs this installation's CLI (node and dist/src/cli/main.js, absolute). */
function cliCommand(): string {
  const main = fileURLToPath(new URL('../../cli/main.js', import.meta.url));
  return `${sh(process.execPath)} ${sh(main)}`;
}

/** The job-array script of a planned sweep in `dir` with `n` cells. */
export function slurmScript(dir: string, n: number, specHash: string, script: string): string {
  const d = resolve(dir);
  return [
    '#!/bin/bash',
    `#SBATCH --job-name=widelimit-${specHash.slice(0, 8)}`,
    `#SBATCH --array=0-${n - 1}`,
    '#SBATCH --cpus-per-task=1',
    `#SBATCH --output=${d}/slurm/%A_%a.log`,
    `# widelimit sweep ${specHash}: ${n} cells into ${d} (a folder every node must share).`,
    `# Submit with \`sbatch ${script}\`; when every task has finished: \`widelimit report ${d}\`.`,
    `# Without Slurm: for i in $(seq 0 ${n - 1}); do SLURM_ARRAY_TASK_ID=$i bash ${script}; done`,
    '# Set WIDELIMIT to the command that runs widelimit on the nodes if it differs from the one below.',
    'set -euo pipefail',
    ': "${SLURM_ARRAY_TASK_ID:?run as a job array (sbatch) or set SLURM_ARRAY_TASK_ID}"',
    'if [ -n "${WIDELIMIT:-}" ]; then',
    `  exec $WIDELIMIT cell --sweep ${sh(d)} --index "$SLURM_ARRAY_TASK_ID"`,
    'fi',
    `exec ${cliCommand()} cell --sweep ${sh(d)} --index "$SLURM_ARRAY_TASK_ID"`,
    '',
  ].join('\n');
}

/** Prepare `o.out` for a Slurm array and write its script to `script` (runs no cell). */
export async function emitSlurmSweep(spec: Spec, o: CompareOptions, script: string): Promise<EmittedSweep> {
  const sw = await prepareSweep(spec, { ...o, baseDir: resolve(o.baseDir ?? '.') });
  const plan = writePlan(o.out, sw, { ...o, baseDir: resolve(o.baseDir ?? '.') });
  mkdirSync(resolve(o.out, 'slurm'), { recursive: true });
  writeFileAtomic(script, slurmScript(o.out, plan.cells.length, sw.specHash, script));
  chmodSync(script, 0o755);
  return { script, dir: o.out, cells: plan.cells.length, pending: sw.tasks.length };
}

/**
 * Run cell `index` of the planned sweep in `dir` and save it (a saved cell is kept, except a
 * crashed one, which runs again). Returns the cell and whether it ran.
 */
export function runPlannedCell(dir: string, index: number): { cell: CellRecord; ran: boolean } {
  const { plan, spec, reference } = readPlanned(dir);
  if (!Number.isInteger(index) || index < 0 || index >= plan.cells.length) {
    throw new InputError('--index', `must be 0..${plan.cells.length - 1} for this sweep, got ${show(index)}`);
  }
  const { width, seed } = plan.cells[index];
  const saved = readCell(dir, width, seed, plan.specHash);
  if (saved && saved.status !== 'failed') return { cell: saved, ran: false };
  const task = { spec, specHash: plan.specHash, width, seed, reference, baseDir: plan.options.baseDir };
  let cell: CellRecord;
  try {
    cell = runCell(task, new CellCache());
  } catch (e) {
    cell = crashedCell(task, e);
  }
  writeJsonAtomic(paths.cell(dir, width, seed), cell);
  return { cell, ran: true };
}
