/**
 * A resumable sweep of independent runs for the regime experiments (used by the Geiger α-scan
 * and the θ phase diagram): each finished run is written atomically to
 * `DIR/cells/<key>.json` together with the hash of its task (cellHash: not of where the config
 * lies), so re-running the same command resumes and a changed config recomputes. Runs go to worker threads (tinypool, through the
 * harness's `runTasks`) when a compiled worker exists, else run in-process; a run's result never
 * depends on where it ran (each draws its own seeded streams).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeJsonAtomic } from '../../core/atomic.js';
import type { Status } from '../../core/errors.js';
import { readJsonIfValid, removeTemporaries } from '../../harness/folder.js';
import { specHash } from '../../harness/hash.js';
import { defaultWorkers, runTasks } from '../../harness/pool.js';
import { type ProgressSink, createProgress } from '../../harness/progress.js';

export interface SweepOptions<T, R> {
  /** Output folder (cells go to DIR/cells). */
  out: string;
  /** File stem of a task's cell (unique within the sweep). */
  key: (t: T) => string;
  /** The run itself (in-process, or in `worker`). */
  run: (t: T) => R;
  /** Compiled worker module whose default export runs a task (null: in-process). */
  worker: URL | null;
  workers?: number;
  /** Turns a crash into a result (status 'failed'); crashed cells are re-run on resume. */
  onError: (t: T, e: unknown) => R;
  progress: boolean | ProgressSink;
  label: string;
  /** Width of a task (progress lines) and its estimated cost (ETA). */
  width: (t: T) => number;
  cost: (t: T) => number;
}

interface SavedCell<R> {
  format: 'widelimit-regime-cell/1';
  hash: string;
  result: R;
}

/**
 * The hash saved with a cell, which decides its reuse: of the task without `baseDir` (the folder
 * of the config, used only to resolve relative data paths, which the spec keeps as written), so
 * that a config moved with its project folder still resumes; everything that changes the result
 * (spec, width, seed, scan settings) is hashed.
 */
export function cellHash(task: object): string {
  return specHash({ ...task, baseDir: undefined });
}

/** The compiled `worker.js` beside the module at `moduleUrl`, or null when running from sources. */
export function siblingWorker(moduleUrl: string): URL | null {
  if (!moduleUrl.endsWith('.js')) return null;
  const url = new URL('./worker.js', moduleUrl);
  return existsSync(fileURLToPath(url)) ? url : null;
}

/** Run every task (reusing saved cells); results in the order of `tasks`. */
export async function runSweep<T extends object, R extends { status: Status; seconds?: number; seed?: number }>(tasks: readonly T[], o: SweepOptions<T, R>): Promise<R[]> {
  const dir = join(o.out, 'cells');
  mkdirSync(dir, { recursive: true });
  removeTemporaries(dir);
  const results = new Map<string, R>();
  const todo: T[] = [];
  for (const t of tasks) {
    const saved = readJsonIfValid(join(dir, `${o.key(t)}.json`)) as SavedCell<R> | undefined;
    if (saved && saved.format === 'widelimit-regime-cell/1' && saved.hash === cellHash(t) && saved.result.status !== 'failed') {
      results.set(o.key(t), saved.result);
    } else todo.push(t);
  }
  // Costliest first: the threads finish together.
  todo.sort((a, b) => o.cost(b) - o.cost(a));
  const sink = o.progress === false ? null
    : o.progress === true ? createProgress({ label: o.label, pending: todo.map(o.width), cost: (w) => w, skipped: results.size })
      : o.progress;
  await runTasks(todo, {
    workers: o.workers ?? defaultWorkers(),
    worker: o.worker,
    inProcess: o.run,
    onError: o.onError,
    onResult: (t, r) => {
      writeJsonAtomic(join(dir, `${o.key(t)}.json`), { format: 'widelimit-regime-cell/1', hash: cellHash(t), result: r } satisfies SavedCell<R>);
      results.set(o.key(t), r);
      sink?.tick({ width: o.width(t), seed: r.seed ?? 0, status: r.status, seconds: r.seconds ?? 0 });
    },
  });
  sink?.finish();
  return tasks.map((t) => results.get(o.key(t)) as R);
}
