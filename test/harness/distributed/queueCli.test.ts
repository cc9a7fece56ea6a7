/**
 * Queue sweeps across processes, with the built CLI (dist/src/cli/main.js): one coordinator
 * (`compare --queue`) and `widelimit worker` processes against a private redis-server, killed and
 * restarted on purpose. The finished sweep must be byte-identical to a local run.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCompare } from '../../../src/harness/compare.js';
import { paths } from '../../../src/harness/folder.js';
import { parseSpec } from '../../../src/spec/validate.js';
import { TINY_SPEC_JSON, tempDir } from '../fixtures.js';
import { type TestRedis, findRedisServer, haveBullmq, startTestRedis } from './redisServer.js';

const MAIN = resolve(__dirname, '../../../dist/src/cli/main.js');
const HAVE_DIST = existsSync(MAIN) && existsSync(resolve(__dirname, '../../../dist/src/harness/distributed/worker.js'));
const REDIS = findRedisServer();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A `widelimit worker` process with a 1 s lock (a killed worker's cell is rerun about 1 s later). */
function worker(url: string): ChildProcess {
  return spawn(process.execPath, [MAIN, 'worker', '--queue', url, '--concurrency', '1', '--lock', '1000', '--quiet'], { stdio: 'ignore' });
}

function exited(c: ChildProcess): Promise<number | null> {
  return c.exitCode !== null || c.signalCode !== null ? Promise.resolve(c.exitCode) : new Promise((r) => c.once('exit', (code) => r(code)));
}

async function kill(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return;
  const e = exited(c);
  c.kill('SIGKILL');
  await e;
}

const savedCells = (out: string) => (existsSync(paths.cells(out)) ? readdirSync(paths.cells(out)).filter((f) => !f.startsWith('.')).length : 0);

const why = !REDIS ? 'redis-server not found (apt-get install -y redis-server; .ci/run installs it)'
  : !haveBullmq() ? 'bullmq not installed (run npm install)'
    : !HAVE_DIST ? 'dist/src/cli/main.js not built (run npm run build)' : null;

if (why) {
  if (process.env.CI) it('the queue CLI tests can run', () => { throw new Error(why); });
  else it.skip(`queue CLI tests skipped: ${why}`, () => {});
} else {
  describe('widelimit compare --queue with widelimit worker processes (built CLI)', () => {
    let redis: TestRedis;
    const workers: ChildProcess[] = [];
    beforeAll(async () => { redis = await startTestRedis(REDIS as string); });
    afterAll(async () => {
      for (const w of workers) await kill(w);
      await redis?.stop();
    });

    it('1 coordinator and 2 workers write results.json byte-identical to a local run', async () => {
      const dir = tempDir('qcli-same');
      const spec = join(dir, 'spec.json');
      writeFileSync(spec, JSON.stringify(TINY_SPEC_JSON));
      const base = ['compare', '--spec', spec, '--widths', '16,32,64', '--seeds', '3', '--quiet', '--no-report'];
      workers.push(worker(redis.url), worker(redis.url));
      const queued = cli([...base, '--out', join(dir, 'queue'), '--queue', redis.url]);
      expect(queued.stderr).toBe('');
      expect(queued.code).toBe(0);
      await runCompare(parseSpec(TINY_SPEC_JSON), { widths: [16, 32, 64], seeds: 3, out: join(dir, 'local'), workers: 1, progress: false });
      expect(JSON.parse(readFileSync(paths.timing(join(dir, 'queue')), 'utf8'))).toMatchObject({ backend: 'queue', cellsRun: 9 });
      expect(readFileSync(paths.results(join(dir, 'queue'))).equals(readFileSync(paths.results(join(dir, 'local'))))).toBe(true);
      for (const w of workers.splice(0)) await kill(w);
    });

    it('SIGKILL a worker mid-cell, then the coordinator, then restart Redis: the finished sweep is byte-identical', async () => {
      const dir = tempDir('qcli-faults');
      const spec = join(dir, 'spec.json');
      // cells of about 0.1–1 s, so that a worker can be caught inside one
      const json = { ...TINY_SPEC_JSON, data: { ...TINY_SPEC_JSON.data, n: 16 }, training: { ...TINY_SPEC_JSON.training, steps: 200, recordEvery: 20 } };
      writeFileSync(spec, JSON.stringify(json));
      const out = join(dir, 'queue');
      const args = [MAIN, 'compare', '--spec', spec, '--widths', '128,1024', '--seeds', '2', '--out', out, '--queue', redis.url, '--no-report'];
      let log = '';
      const coordinator = () => {
        const c = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
        c.stderr?.on('data', (d) => { log += String(d); });
        return c;
      };
      const { Queue } = await import('bullmq');
      const q = new Queue('widelimit-cells', { connection: { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null } });

      // 1. one worker; SIGKILL it while it holds a cell
      const first = coordinator();
      const doomed = worker(redis.url);
      let killedMidCell = false;
      for (let i = 0; i < 600 && !killedMidCell; i++) {
        if ((await q.getActiveCount()) > 0) {
          doomed.kill('SIGKILL');
          killedMidCell = true;
        } else await sleep(20);
      }
      expect(killedMidCell, 'no cell became active').toBe(true);
      await exited(doomed);

      // 2. a healthy worker reruns it; kill the coordinator once a cell is saved
      workers.push(worker(redis.url));
      for (let i = 0; i < 1500 && savedCells(out) < 1; i++) await sleep(20);
      expect(savedCells(out)).toBeGreaterThanOrEqual(1);
      first.kill('SIGKILL');
      await exited(first);

      // 3. restart Redis while the worker goes on; then the same command again
      await redis.stop();
      await sleep(300);
      await redis.start();
      const resumed = coordinator();
      expect(await exited(resumed)).toBe(0);
      await q.close();

      const timing = JSON.parse(readFileSync(paths.timing(out), 'utf8'));
      expect(timing.backend).toBe('queue');
      expect(timing.retried, log).toBeGreaterThanOrEqual(1);
      await runCompare(parseSpec(json), { widths: [128, 1024], seeds: 2, out: join(dir, 'local'), workers: 1, progress: false });
      expect(readFileSync(paths.results(out)).equals(readFileSync(paths.results(join(dir, 'local'))))).toBe(true);
      // eslint-disable-next-line no-console
      console.log(`faults: ${timing.retried} cell(s) retried; coordinator log:\n${log}`);
    });
  });
}
