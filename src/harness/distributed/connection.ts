/**
 * The Redis server of a queue sweep (README, "More than one machine"): `--queue
 * redis://host:port[/db]`, the queue's name, and the job id of a cell.
 */
import type { ConnectionOptions } from 'bullmq';
import { InputError, show } from '../../core/errors.js';
import type { CellTask } from '../cell.js';

/** The one BullMQ queue every sweep's cells go to (a job names its sweep by the spec hash). */
export const QUEUE_NAME = 'widelimit-cells';

export interface QueueAddress {
  host: string;
  port: number;
  db: number;
  /** The URL as given, for messages. */
  url: string;
}

/** Parse `redis://host:port[/db]` (InputError on `flag` otherwise). */
export function parseQueueUrl(url: string, flag = '--queue'): QueueAddress {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError(flag, `must be a URL like redis://127.0.0.1:6379 or redis://host:6379/2, got ${show(url)}`);
  }
  if (u.protocol !== 'redis:') throw new InputError(flag, `must start with redis:// (got ${show(u.protocol)}); e.g. redis://127.0.0.1:6379`);
  if (!u.hostname) throw new InputError(flag, `names no host: ${show(url)}`);
  const port = u.port === '' ? 6379 : Number(u.port);
  const path = u.pathname.replace(/^\//, '');
  if (!/^\d*$/.test(path)) throw new InputError(flag, `the path must be a database number like /2, got ${show(u.pathname)}`);
  const db = path === '' ? 0 : Number(path);
  // URL keeps the brackets of an IPv6 host
  return { host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port, db, url };
}

/**
 * ioredis options for BullMQ: commands wait for a lost connection to come back instead of failing
 * (maxRetriesPerRequest null, which BullMQ requires), reconnecting every ≤ 1 s for as long as it takes.
 */
export function connectionOf(a: QueueAddress): ConnectionOptions {
  return {
    host: a.host,
    port: a.port,
    db: a.db,
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(100 * times, 1000),
  };
}

/**
 * The job id of a cell: the spec's content hash, width and seed. A cell is a pure function of
 * these (src/harness/hash.ts), so adding a job whose id exists is a no-op and a finished cell is
 * never run twice.
 */
export function jobIdOf(t: Pick<CellTask, 'specHash' | 'width' | 'seed'>): string {
  return `${t.specHash}-w${t.width}-s${t.seed}`;
}
