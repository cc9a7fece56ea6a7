/**
 * `--queue URL` and `--emit-slurm FILE` of `compare` and `experiment run` (README, "More than one
 * machine"): where the cells of a sweep run. Neither: worker threads of this process.
 */
import { InputError } from '../core/errors.js';
import type { Backend } from '../harness/backend.js';
import { parseQueueUrl } from '../harness/distributed/connection.js';
import { checkOutFile } from './outputs.js';

export interface BackendFlags {
  queue?: string;
  emitSlurm?: string;
}

export const QUEUE_HELP = 'run the cells as BullMQ jobs on this Redis server (redis://host:port[/db]), served by `widelimit worker` processes';
export const SLURM_HELP = 'write a Slurm job-array script to this file (one task per cell) instead of running; then `widelimit report DIR`';

/** The backend the flags ask for (InputError when both are given or one is malformed). */
export function backendOf(f: BackendFlags): Backend {
  if (f.queue !== undefined && f.emitSlurm !== undefined) throw new InputError('--emit-slurm', 'cannot be combined with --queue (pick one)');
  if (f.queue !== undefined) {
    parseQueueUrl(f.queue);
    return { kind: 'queue', url: f.queue };
  }
  if (f.emitSlurm !== undefined) return { kind: 'slurm', script: checkOutFile('--emit-slurm', f.emitSlurm) };
  return { kind: 'threads' };
}

/** What to print after emitting a Slurm array. */
export function emittedText(e: { script: string; dir: string; cells: number; pending: number }): string {
  return `wrote ${e.script}: a job array of ${e.cells} cells (${e.pending} not run yet) into ${e.dir}\n`
    + `  submit: sbatch ${e.script}\n  then:   widelimit report ${e.dir}\n`;
}
