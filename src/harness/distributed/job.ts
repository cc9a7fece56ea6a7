/**
 * What travels in a queue job: the whole cell task (spec, reference, width, seed), so a worker
 * needs no shared file system, and where its data set comes from: built from the spec's seed,
 * from the mnist package every installation has (fashion-mnist: the Debian package every worker
 * must have), or a file at a path every worker must have.
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { CellTask } from '../cell.js';
import { packageVersion } from '../../spec/package.js';

export type DataInput =
  | { kind: 'seeded'; source: string; seed: number }
  | { kind: 'package'; source: 'mnist' | 'fashion-mnist' }
  | { kind: 'path'; path: string };

export interface CellJob {
  format: 'widelimit-job/1';
  /** widelimit version of the coordinator: a worker of another version refuses the job (other code, maybe other bits). */
  version: string;
  task: CellTask;
  input: DataInput;
}

/** The job of a task; a relative data path is made absolute on the coordinator. */
export function cellJob(task: CellTask): CellJob {
  const d = task.spec.data;
  const baseDir = resolve(task.baseDir ?? '.');
  const input: DataInput =
    d.source === 'file' ? { kind: 'path', path: resolve(baseDir, d.path ?? '') }
      : d.source === 'mnist' || d.source === 'fashion-mnist' ? { kind: 'package', source: d.source }
        : { kind: 'seeded', source: d.source, seed: d.seed };
  return { format: 'widelimit-job/1', version: packageVersion(), task: { ...task, baseDir }, input };
}

/**
 * The task of a job, checked on the worker: a data file must exist here at the job's path (an
 * Error, so the queue retries the job, possibly on a machine that has the file).
 */
export function taskOfJob(job: CellJob): CellTask {
  if (job.format !== 'widelimit-job/1') throw new Error(`not a widelimit cell job (format ${String(job.format)}); is another program using this queue?`);
  if (job.version !== packageVersion()) {
    throw new Error(`the sweep runs widelimit ${job.version}, this worker (${hostname()}) ${packageVersion()}; install the same version`);
  }
  if (job.input.kind === 'path' && !existsSync(job.input.path)) {
    throw new Error(`data file ${job.input.path} is not on this machine (${hostname()}); every worker needs it at the same path`);
  }
  return job.task;
}
