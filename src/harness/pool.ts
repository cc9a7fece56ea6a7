/**
 * Run sweep cells on worker threads (tinypool) or in-process, handing each result to the main
 * thread as it finishes. Results do not depend on where a cell ran: every cell draws its own
 * seeded streams (src/core/rng.ts), so 1 or n workers give bit-identical cells.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import Tinypool from 'tinypool';

/** Default worker count: the number of cores. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/**
 * The compiled worker (dist/src/harness/worker.js beside this module), or null when running
 * from TypeScript sources (vitest), where cells run in-process.
 */
export function compiledWorker(): URL | null {
  const here = import.meta.url;
  if (!here.endsWith('.js')) return null;
  const url = new URL('./worker.js', here);
  return existsSync(fileURLToPath(url)) ? url : null;
}

export interface PoolOptions<T, R> {
  /** Number of threads; ≤ 1 (or no compiled worker) runs in-process. */
  workers: number;
  worker: URL | null;
  /** The same computation the worker does, for in-process runs. */
  inProcess: (task: T) => R;
  /** Called on the main thread as each task finishes (in completion order). */
  onResult: (task: T, result: R) => void;
  /** Turns a crashed task (worker error) into a result. */
  onError: (task: T, error: unknown) => R;
}

/** Run every task; resolves when all have been handed to `onResult`. */
export async function runTasks<T, R>(tasks: readonly T[], o: PoolOptions<T, R>): Promise<void> {
  const threads = Math.min(o.workers, tasks.length);
  if (threads <= 1 || o.worker === null) {
    for (const t of tasks) {
      let r: R;
      try {
        r = o.inProcess(t);
      } catch (e) {
        r = o.onError(t, e);
      }
      o.onResult(t, r);
      // Let pending I/O (progress output, signals) through between cells.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return;
  }
  const pool = new Tinypool({ filename: o.worker.href, minThreads: threads, maxThreads: threads, idleTimeout: 1000 });
  try {
    await Promise.all(
      tasks.map((t) =>
        pool.run(t).then(
          (r: R) => o.onResult(t, r),
          (e: unknown) => o.onResult(t, o.onError(t, e)),
        ),
      ),
    );
  } finally {
    await pool.destroy();
  }
}
