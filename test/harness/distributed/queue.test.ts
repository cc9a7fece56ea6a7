/**
 * The queue backend in this process: a coordinator (runCompare with `backend: queue`) and a worker
 * (startQueueWorker; from TypeScript sources its cells run on this thread) against a private
 * redis-server. A numerical failure is a result; a thrown error fails its job once, without retry.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { runCompare } from '../../../src/harness/compare.js';
import { jobIdOf, parseQueueUrl } from '../../../src/harness/distributed/connection.js';
import { compactRanges } from '../../../src/harness/distributed/plan.js';
import { paths } from '../../../src/harness/folder.js';
import type { CellRecord } from '../../../src/harness/types.js';
import { TINY_SPEC_JSON, tempDir, tinySpec } from '../fixtures.js';
import { type TestRedis, findRedisServer, haveBullmq, startTestRedis } from './redisServer.js';

describe('queue addresses and array indices', () => {
  it('redis://host:port[/db] is parsed; anything else is an input error naming --queue', () => {
    expect(parseQueueUrl('redis://127.0.0.1:6390/2')).toMatchObject({ host: '127.0.0.1', port: 6390, db: 2 });
    expect(parseQueueUrl('redis://localhost')).toMatchObject({ host: 'localhost', port: 6379, db: 0 });
    for (const bad of ['127.0.0.1:6379', 'http://127.0.0.1:6379', 'redis://127.0.0.1:6379/x']) {
      expect(() => parseQueueUrl(bad)).toThrow(InputError);
      expect(() => parseQueueUrl(bad)).toThrow(/^--queue: /);
    }
  });

  it('a job id names the spec hash, width and seed; Slurm index lists are compact ranges', () => {
    expect(jobIdOf({ specHash: 'abc', width: 64, seed: 3 })).toBe('abc-w64-s3');
    expect(compactRanges([0, 1, 2, 5, 7, 8])).toBe('0-2,5,7-8');
    expect(compactRanges([4])).toBe('4');
  });
});

const REDIS = findRedisServer();
const BULLMQ = haveBullmq();

if (!REDIS || !BULLMQ) {
  const why = !REDIS ? 'redis-server not found (apt-get install -y redis-server; .ci/run installs it)' : 'bullmq not installed (run npm install)';
  if (process.env.CI) it('the queue tests can run', () => { throw new Error(why); });
  else it.skip(`queue tests skipped: ${why}`, () => {});
} else {
  describe('runCompare on a BullMQ queue (coordinator and worker in this process)', () => {
    let redis: TestRedis;
    let stopWorker: () => Promise<void>;
    beforeAll(async () => {
      redis = await startTestRedis(REDIS);
      const { startQueueWorker } = await import('../../../src/harness/distributed/worker.js');
      stopWorker = (await startQueueWorker(redis.url, { concurrency: 1, lockMs: 5000 })).close;
    });
    afterAll(async () => {
      await stopWorker?.();
      await redis?.stop();
    });

    it('gives the bytes of a local run; a second sweep of the same cells reads them from the queue, running none', async () => {
      const dir = tempDir('queue-inproc');
      const o = { widths: [16, 32], seeds: 2, workers: 1, progress: false } as const;
      await runCompare(tinySpec(), { ...o, out: join(dir, 'local') });
      await runCompare(tinySpec(), { ...o, out: join(dir, 'queue'), backend: { kind: 'queue', url: redis.url } });
      expect(readFileSync(paths.results(join(dir, 'queue'))).equals(readFileSync(paths.results(join(dir, 'local'))))).toBe(true);
      const before = JSON.parse(readFileSync(paths.cell(join(dir, 'queue'), 32, 1), 'utf8')) as CellRecord;
      await runCompare(tinySpec(), { ...o, out: join(dir, 'again'), backend: { kind: 'queue', url: redis.url } });
      const again = JSON.parse(readFileSync(paths.cell(join(dir, 'again'), 32, 1), 'utf8')) as CellRecord;
      // the very record the first sweep's worker made (its wall time included): not run a second time
      expect(again.seconds).toBe(before.seconds);
      expect(readFileSync(paths.results(join(dir, 'again'))).equals(readFileSync(paths.results(join(dir, 'local'))))).toBe(true);
    });

    it('a numerically failed cell is a result (job completed once), the same as in a local run', async () => {
      const dir = tempDir('queue-diverged');
      const spec = tinySpec({ training: { ...TINY_SPEC_JSON.training, lr: 50 } });
      const o = { widths: [16, 32], seeds: 1, workers: 1, progress: false } as const;
      const local = await runCompare(spec, { ...o, out: join(dir, 'local') });
      const queued = await runCompare(spec, { ...o, out: join(dir, 'queue'), backend: { kind: 'queue', url: redis.url } });
      expect(queued.cells.map((c) => c.status)).toEqual(['diverged', 'diverged']);
      expect(readFileSync(paths.results(join(dir, 'queue'))).equals(readFileSync(paths.results(join(dir, 'local'))))).toBe(true);
      expect(local.failed).toBe(2);
      const { Queue } = await import('bullmq');
      const q = new Queue('widelimit-cells', { connection: { host: '127.0.0.1', port: redis.port } });
      const job = await q.getJob(jobIdOf({ specHash: queued.specHash, width: 16, seed: 0 }));
      expect(await job?.getState()).toBe('completed');
      expect(job?.attemptsStarted).toBe(1);
      await q.close();
    });

    it('a cell that throws fails its job once (no retry) and comes back as status failed with its error', async () => {
      const dir = tempDir('queue-throws');
      // the data file is valid when the sweep starts, then broken: every cell's loadData throws
      const file = join(dir, 'data.json');
      const data = { x: [[0.1, 0.2], [0.3, -0.1], [-0.2, 0.4]], y: [[1], [-1], [0.5]], xTest: [[0.2, 0.2]], yTest: [[0.3]] };
      writeFileSync(file, JSON.stringify(data));
      const spec = tinySpec({ data: { source: 'file', path: file } });
      const { Queue } = await import('bullmq');
      const q = new Queue('widelimit-cells', { connection: { host: '127.0.0.1', port: redis.port } });
      const { runOnQueue } = await import('../../../src/harness/distributed/coordinator.js');
      const { prepareSweep, crashedCell } = await import('../../../src/harness/compare.js');
      const sw = await prepareSweep(spec, { widths: [16, 32], seeds: 1, out: join(dir, 'o'), workers: 1 });
      writeFileSync(file, '{ not json');
      const got: CellRecord[] = [];
      const stats = await runOnQueue(redis.url, sw.tasks, { workers: 1, cache: undefined as never, crashed: crashedCell, onResult: (_t, c) => got.push(c) });
      expect(got.map((c) => [c.width, c.status]).sort()).toEqual([[16, 'failed'], [32, 'failed']]);
      for (const c of got) expect(c.message).toMatch(new RegExp(`^cell w${c.width}-s0 threw: `));
      const job = await q.getJob(jobIdOf(sw.tasks[0]));
      expect(await job?.getState()).toBe('failed');
      expect(job?.attemptsMade).toBe(1);
      expect(stats).toEqual({ backend: 'queue', retried: 0 });
      // the same sweep again: the failed cells run once more (as a local resume reruns crashed cells), and fail again
      const again: CellRecord[] = [];
      await runOnQueue(redis.url, sw.tasks, { workers: 1, cache: undefined as never, crashed: crashedCell, onResult: (_t, c) => again.push(c) });
      expect(again.map((c) => c.status)).toEqual(['failed', 'failed']);
      expect((await q.getJob(jobIdOf(sw.tasks[0])))?.attemptsStarted).toBe(2);
      await q.close();
    });
  });
}
