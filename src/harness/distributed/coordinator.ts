/**
 * The coordinator of a queue sweep: every pending cell becomes a BullMQ job whose id is the
 * cell's hash (connection.ts), served by `widelimit worker` processes anywhere; each finished job
 * is handed back to the sweep (which writes its cell file) as queue events announce it.
 *
 * Nothing is lost when a process or the server goes away:
 * - a killed worker's job is moved back to the queue by BullMQ's stalled-job check and rerun
 *   (cells are deterministic, so the rerun gives the same bits);
 * - a killed coordinator is replaced by the same command: it re-adds the pending cells (a no-op
 *   for jobs that exist) and collects the ones that finished meanwhile;
 * - events missed while Redis or this process was away are caught by a periodic look at every
 *   pending job; a job missing from the server (a Redis restart without persistence) is added again.
 *
 * A job fails for good only on a thrown error inside the cell (worker.ts; deterministic, so it is
 * not retried) or after repeated crashes; it comes back as a cell of status 'failed' with its
 * error, reported once. A numerical failure is not a job failure: it is a result with its status.
 */
import { type Job, Queue, QueueEvents } from 'bullmq';
import type { CellTask } from '../cell.js';
import type { BackendStats, RunCellsOptions } from '../backend.js';
import type { CellRecord } from '../types.js';
import { QUEUE_NAME, connectionOf, jobIdOf, parseQueueUrl } from './connection.js';
import { type CellJob, cellJob } from './job.js';

/** How often every pending job is looked at, besides the events (ms). */
const POLL_MS = 2000;

type CellQueue = Queue<CellJob, CellRecord>;

/** Options of every job: a few attempts for crashes outside the cell, kept after it ends (the cache of finished cells). */
const JOB_OPTIONS = { attempts: 3, backoff: { type: 'fixed', delay: 1000 }, removeOnComplete: false, removeOnFail: false } as const;

/** A finished job's result as the cell it is, checked against the task it belongs to. */
function cellOf(t: CellTask, job: Job<CellJob, CellRecord>, state: string, crashed: RunCellsOptions['crashed']): CellRecord {
  if (state === 'failed') {
    const cell = crashed(t, new Error(job.failedReason || 'job failed'));
    // a thrown error inside the cell already names the cell (cell.ts); keep its message as it is
    return job.failedReason?.startsWith(`cell w${t.width}-s${t.seed} threw:`) ? { ...cell, message: job.failedReason } : cell;
  }
  const c = job.returnvalue;
  if (!c || c.format !== 'widelimit-cell/1' || c.specHash !== t.specHash || c.width !== t.width || c.seed !== t.seed) {
    throw new Error(`job ${job.id} returned something that is not its cell`);
  }
  return c;
}

/** Run `tasks` as jobs of the queue at `url`; resolves when each cell was handed to `o.onResult`. */
export async function runOnQueue(url: string, tasks: CellTask[], o: RunCellsOptions): Promise<BackendStats> {
  const connection = connectionOf(parseQueueUrl(url));
  const log = o.log ?? (() => {});
  if (tasks.length === 0) return { backend: 'queue', retried: 0 };
  const queue: CellQueue = new Queue(QUEUE_NAME, { connection });
  // events are read from the stream's present end, so none between now and the first read is missed
  const events = new QueueEvents(QUEUE_NAME, { connection, lastEventId: await lastEventId(queue) });
  const quietErrors = errorLogger(log, url);
  queue.on('error', quietErrors);
  events.on('error', quietErrors);
  const pending = new Map(tasks.map((t) => [jobIdOf(t), t]));
  let retried = 0;
  let finish!: () => void;
  let abort!: (e: unknown) => void;
  const finished = new Promise<void>((res, rej) => { finish = res; abort = rej; });

  /** Look at job `id`: hand its cell over when it ended, add it again when the server lost it. */
  const harvest = async (id: string): Promise<void> => {
    const t = pending.get(id);
    if (!t) return;
    // the state first: a job read before it ended would lack its result
    const state = await queue.getJobState(id);
    const job = state === 'unknown' ? undefined : await queue.getJob(id);
    if (!job) {
      log(`w${t.width}-s${t.seed}: its job is not on the server (Redis lost it?); adding it again`);
      await queue.add('cell', cellJob(t), { ...JOB_OPTIONS, jobId: id });
      return;
    }
    if (state !== 'completed' && state !== 'failed') return;
    if (!pending.delete(id)) return; // handed over meanwhile by another look
    if ((job.attemptsStarted ?? 0) > 1 || (job.stalledCounter ?? 0) > 0) retried++;
    o.onResult(t, cellOf(t, job, state, o.crashed));
    if (pending.size === 0) finish();
  };
  let stopped = false;
  /** After the end (or an abort) the connections close; a look still under way may then fail, harmlessly. */
  const fail = (e: unknown) => { if (!stopped) abort(e); };
  const look = (id: string) => void harvest(id).catch(fail);

  events.on('completed', ({ jobId }) => look(jobId));
  events.on('failed', ({ jobId }) => look(jobId));
  events.on('stalled', ({ jobId }) => {
    const t = pending.get(jobId);
    if (t) log(`w${t.width}-s${t.seed}: its worker stopped answering; the cell is back in the queue`);
  });

  let timer: NodeJS.Timeout | undefined;
  try {
    await events.waitUntilReady();
    await retryEarlierFailures(queue, [...pending.keys()], log);
    // existing ids are left as they are: a finished cell is collected, never rerun
    await queue.addBulk(tasks.map((t) => ({ name: 'cell', data: cellJob(t), opts: { ...JOB_OPTIONS, jobId: jobIdOf(t) } })));
    for (const id of [...pending.keys()]) await harvest(id);
    await noteWorkers(queue, pending.size, url, log);
    let busy = false;
    timer = setInterval(() => {
      if (busy) return;
      busy = true;
      (async () => { for (const id of [...pending.keys()]) await harvest(id); })().catch(fail).finally(() => { busy = false; });
    }, POLL_MS);
    if (pending.size > 0) await finished;
  } finally {
    stopped = true;
    if (timer) clearInterval(timer);
    await events.close();
    await queue.close();
  }
  return { backend: 'queue', retried };
}

/** Id of the newest entry of the queue's event stream ('0-0' when it is empty). */
async function lastEventId(queue: CellQueue): Promise<string> {
  // ioredis's XREVRANGE (BullMQ's client type lists only the commands BullMQ itself uses)
  const client = (await queue.client) as unknown as { xrevrange(...args: (string | number)[]): Promise<[string, string[]][]> };
  const last = await client.xrevrange(queue.keys.events, '+', '-', 'COUNT', 1);
  return last.length > 0 ? last[0][0] : '0-0';
}

/**
 * Jobs that failed in an earlier run of the sweep run once more, as a crashed cell saved locally
 * does on resume (looked at before this run adds anything, so a failure of this run is final).
 */
async function retryEarlierFailures(queue: CellQueue, ids: string[], log: (s: string) => void): Promise<void> {
  let n = 0;
  for (const id of ids) {
    if ((await queue.getJobState(id)) !== 'failed') continue;
    await (await queue.getJob(id))?.retry('failed');
    n++;
  }
  if (n > 0) log(`${n} cell${n > 1 ? 's' : ''} that failed in an earlier run of this sweep: running ${n > 1 ? 'them' : 'it'} once more`);
}

/** Say so when no worker is listening (the sweep would wait in silence). */
async function noteWorkers(queue: CellQueue, waiting: number, url: string, log: (s: string) => void): Promise<void> {
  if (waiting === 0) return;
  const n = await queue.getWorkersCount().catch(() => -1);
  if (n === 0) log(`${waiting} cells queued at ${url}; no worker is connected yet: start some with \`widelimit worker --queue ${url}\``);
  else if (n > 0) log(`${waiting} cells queued at ${url}; ${n} worker connection${n > 1 ? 's' : ''} listening`);
}

/** Connection errors once per kind and 10 s (ioredis reports every reconnection attempt). */
function errorLogger(log: (s: string) => void, url: string): (e: Error) => void {
  const last = new Map<string, number>();
  return (e) => {
    const key = e.message.replace(/\d+/g, '#');
    const now = Date.now();
    if ((last.get(key) ?? -Infinity) + 10_000 > now) return;
    last.set(key, now);
    log(`redis ${url}: ${e.message} (retrying)`);
  };
}
