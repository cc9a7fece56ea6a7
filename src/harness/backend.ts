/**
 * Where the cells of a sweep run (README, "More than one machine"): worker threads of this
 * process (the default), jobs of a BullMQ queue on Redis served by `widelimit worker` processes on
 * any machine, or a Slurm job array (emitted as a script, src/harness/distributed/slurm.ts).
 *
 * The backend only decides where `runCell` executes; the coordinator (src/harness/compare.ts)
 * writes every finished cell into the sweep folder and assembles results.json from the saved
 * cells alone, so every backend gives the same bytes.
 */
import { InputError, show } from '../core/errors.js';
import { type CellCache, type CellTask, runCell } from './cell.js';
import { compiledWorker, runTasks } from './pool.js';
import type { CellRecord } from './types.js';

export type Backend =
  /** Worker threads of this process (tinypool); 1 thread = in-process. */
  | { kind: 'threads' }
  /** BullMQ jobs on the Redis server at `url` (redis://host:port[/db]). */
  | { kind: 'queue'; url: string }
  /** Write a Slurm job-array script to `script` instead of running the cells. */
  | { kind: 'slurm'; script: string };

/** What a backend reports about a finished run (recorded in timing.json). */
export interface BackendStats {
  backend: Backend['kind'];
  /** Cells whose job was started more than once (a killed worker, a lost lock). */
  retried?: number;
}

export interface RunCellsOptions {
  workers: number;
  cache: CellCache;
  /** Turns an exception outside `runCell` (a crashed thread) into a cell. */
  crashed: (t: CellTask, e: unknown) => CellRecord;
  /** Called on this process's main thread as each cell finishes, in completion order. */
  onResult: (t: CellTask, cell: CellRecord) => void;
  /** Lines about the run besides the per-cell progress (retries, lost connections); none when absent. */
  log?: (line: string) => void;
}

/** Run every task on `backend` (threads or queue); resolves when each cell was handed to onResult. */
export async function runCells(backend: Backend, tasks: CellTask[], o: RunCellsOptions): Promise<BackendStats> {
  switch (backend.kind) {
    case 'threads':
      await runTasks(tasks, {
        workers: o.workers, worker: compiledWorker(), inProcess: (t) => runCell(t, o.cache), onError: o.crashed, onResult: o.onResult,
      });
      return { backend: 'threads' };
    case 'queue': {
      // loaded on demand: a local run never loads bullmq
      const { runOnQueue } = await import('./distributed/coordinator.js');
      return runOnQueue(backend.url, tasks, o);
    }
    case 'slurm':
      throw new InputError('--emit-slurm', 'a Slurm sweep is emitted as a script, not run here (emitSlurmSweep)');
    default: {
      const never: never = backend;
      throw new InputError('backend', `unknown backend ${show(never)}`);
    }
  }
}
