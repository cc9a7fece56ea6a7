/**
 * `widelimit worker --queue URL [--concurrency k]`: serve the cells of queue sweeps on this machine.
 *
 * Cells run on k worker threads (src/harness/worker.ts), so this process's event loop stays free
 * to renew the jobs' locks; a worker that dies (SIGKILL, power) stops renewing, and BullMQ's
 * stalled-job check of any other worker moves its job back to the queue after about `lockMs`.
 *
 * The result of a job is the cell record. A numerical failure is a result (status 'diverged',
 * 'nan', …); a thrown error inside the cell (status 'failed') fails the job without retry, since
 * it would throw again.
 */
import { hostname } from 'node:os';
import { UnrecoverableError, Worker } from 'bullmq';
import Tinypool from 'tinypool';
import { CellCache, runCell } from '../cell.js';
import { compiledWorker } from '../pool.js';
import type { CellRecord } from '../types.js';
import { QUEUE_NAME, connectionOf, parseQueueUrl } from './connection.js';
import { type CellJob, taskOfJob } from './job.js';

export interface QueueWorkerOptions {
  /** Cells at a time (threads). */
  concurrency: number;
  /** Lock duration and stalled-job check interval in ms (BullMQ default 30 000). */
  lockMs?: number;
  /** One line per finished cell and per problem; none when absent. */
  log?: (line: string) => void;
}

export interface RunningWorker {
  /** Finish the cells in hand, then stop. */
  close(): Promise<void>;
}

/** Start serving the queue at `url`. */
export async function startQueueWorker(url: string, o: QueueWorkerOptions): Promise<RunningWorker> {
  const address = parseQueueUrl(url);
  const log = o.log ?? (() => {});
  const file = compiledWorker();
  const k = o.concurrency;
  // from TypeScript sources (tests) there is no compiled thread entry: cells run on this thread
  const pool = file ? new Tinypool({ filename: file.href, minThreads: k, maxThreads: k, idleTimeout: 60_000 }) : null;
  const cache = new CellCache();
  const lockMs = o.lockMs ?? 30_000;
  const worker = new Worker<CellJob, CellRecord>(
    QUEUE_NAME,
    async (job) => {
      const task = taskOfJob(job.data);
      const cell: CellRecord = pool ? await pool.run(task) : runCell(task, cache);
      if (cell.status === 'failed') throw new UnrecoverableError(cell.message);
      return cell;
    },
    { connection: connectionOf(address), concurrency: k, lockDuration: lockMs, stalledInterval: lockMs, maxStalledCount: 3 },
  );
  const name = (job: { data?: CellJob; id?: string } | undefined) => (job?.data ? `w${job.data.task.width}-s${job.data.task.seed}` : String(job?.id));
  worker.on('completed', (job, cell) => log(`${name(job)} ${cell.status} (${cell.seconds.toFixed(1)} s)`));
  worker.on('failed', (job, e) => log(`${name(job)} failed: ${e.message}`));
  let lastError = '';
  worker.on('error', (e) => {
    if (e.message !== lastError) log(`redis ${url}: ${e.message} (retrying)`);
    lastError = e.message;
  });
  await worker.waitUntilReady();
  log(`serving ${url} on ${hostname()} with ${k} thread${k > 1 ? 's' : ''} (pid ${process.pid})`);
  return {
    async close() {
      await worker.close();
      await pool?.destroy();
    },
  };
}
