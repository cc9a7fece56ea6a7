#!/usr/bin/env node
/**
 * Throughput of the queue backend (README, "More than one machine"): the same sweep of cells of
 * one fixed cost, served by 1 and then by 2 `widelimit worker` processes (1 thread each), against
 * a private redis-server on 127.0.0.1. Workers are started and ready before the coordinator, so the
 * wall time is the sweep's; runs alternate 1, 2, 1, 2, … to spread the drift of a shared machine.
 *
 *   node scripts/queue-throughput.mjs [--reps 2] [--width 384] [--cells 8] [--steps 300] [--same-session] [--sleep MS]
 *
 * --sleep MS: cells of MS milliseconds that use no CPU (scripts/queue-sleep-worker.mjs), results
 * checked against the local run they are copied from.
 *
 * Prints, per run, the cells' span (first job taken to last job finished, from the jobs' own
 * timestamps) and the whole sweep (timing.json: with the coordinator's reference and set-up), the
 * ratios of the medians, and the load average before and after.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, createConnection } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Queue } from 'bullmq';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const reps = arg('reps', 2);
const width = arg('width', 384);
const cells = arg('cells', 8);
const steps = arg('steps', 300);
const sameSession = process.argv.includes('--same-session');
const sleepMs = arg('sleep', 0);
const MAIN = resolve(import.meta.dirname, '../dist/src/cli/main.js');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const port = await new Promise((res) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
});
const dir = mkdtempSync(join(tmpdir(), 'widelimit-throughput-'));
const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
const ping = () => new Promise((res) => {
  const c = createConnection({ host: '127.0.0.1', port });
  c.once('error', () => res(false));
  c.once('connect', () => c.write('PING\r\n'));
  c.once('data', (d) => { c.destroy(); res(String(d).startsWith('+PONG')); });
});
while (!(await ping())) await sleep(50);
const url = `redis://127.0.0.1:${port}`;

// cells of one cost: two neighbouring widths (compare needs two), cells/2 seeds each
const spec = join(dir, 'spec.json');
writeFileSync(spec, JSON.stringify({
  data: { source: 'gaussian', n: 32, nTest: 16, dim: 8, target: 'teacher-relu', seed: 1 },
  model: { depth: 1, width, activation: 'relu', parameterization: 'ntk', weightStd: 1.4142 },
  training: { loss: 'mse', method: 'gd', lr: 0.5, steps, recordEvery: 50 },
  seed: 0,
}));

async function sweep(k, rep) {
  spawnSync('redis-cli', ['-p', String(port), 'flushall']); // no cached cells from the last run
  const workers = [];
  for (let i = 0; i < k; i++) {
    // detached: a session of its own, as a worker started on another machine or terminal has; with
    // sched_autogroup_enabled=1 Linux shares the CPU between sessions, so workers of one session
    // would split one share (measured 1.07× for 2 workers that way)
    const argv = sleepMs > 0 ? [resolve(import.meta.dirname, 'queue-sleep-worker.mjs'), url, String(sleepMs), join(dir, 'local', 'cells')]
      : [MAIN, 'worker', '--queue', url, '--concurrency', '1'];
    const w = spawn(process.execPath, argv, { stdio: ['ignore', 'ignore', 'pipe'], detached: !sameSession });
    await new Promise((res) => w.stderr.on('data', (d) => { if (String(d).includes('serving')) res(); }));
    workers.push(w);
  }
  const out = join(dir, `k${k}-r${rep}`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [MAIN, 'compare', '--spec', spec, '--widths', `${width},${width + 1}`, '--seeds', String(cells / 2),
    '--out', out, '--queue', url, '--quiet', '--no-report'], { encoding: 'utf8' });
  const wall = (performance.now() - t0) / 1000;
  for (const w of workers) w.kill('SIGKILL');
  if (r.status !== 0) throw new Error(r.stderr);
  if (sleepMs > 0 && !readFileSync(join(out, 'results.json')).equals(readFileSync(join(dir, 'local', 'results.json')))) throw new Error('results differ from the local run');
  const timing = JSON.parse(readFileSync(join(out, 'timing.json'), 'utf8'));
  const cpu = timing.cellSeconds.reduce((a, c) => a + c.seconds, 0);
  // the cells' span: first job taken to last job finished (without the coordinator's set-up and reference)
  const q = new Queue('widelimit-cells', { connection: { host: '127.0.0.1', port } });
  const jobs = await q.getJobs(['completed']);
  await q.close();
  const span = (Math.max(...jobs.map((j) => j.finishedOn)) - Math.min(...jobs.map((j) => j.processedOn))) / 1000;
  return { k, wall, sweep: timing.seconds, span, cellSeconds: cpu };
}

if (sleepMs > 0) {
  // the cells the sleeping workers hand back: a local run of the same sweep
  spawnSync(process.execPath, [MAIN, 'compare', '--spec', spec, '--widths', `${width},${width + 1}`, '--seeds', String(cells / 2),
    '--out', join(dir, 'local'), '--quiet', '--no-report'], { stdio: 'inherit' });
}
const before = loadavg();
const runs = [];
for (let rep = 0; rep < reps; rep++) for (const k of [1, 2]) {
  const r = await sweep(k, rep);
  runs.push(r);
  console.log(`workers ${k}  cells ${r.span.toFixed(1)} s  sweep ${r.sweep.toFixed(1)} s  (coordinator process ${r.wall.toFixed(1)} s; summed cell time ${r.cellSeconds.toFixed(1)} s)`);
}
const after = loadavg();
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
for (const what of ['span', 'sweep']) {
  const t1 = median(runs.filter((r) => r.k === 1).map((r) => r[what]));
  const t2 = median(runs.filter((r) => r.k === 2).map((r) => r[what]));
  console.log(`${cells} cells of width ${width}, ${steps} steps: median ${what === 'span' ? 'cell span' : 'whole sweep'} 1 worker ${t1.toFixed(1)} s, 2 workers ${t2.toFixed(1)} s, speed-up ${(t1 / t2).toFixed(2)}×`);
}
console.log(`load average before ${before.map((x) => x.toFixed(2)).join(' ')}, after ${after.map((x) => x.toFixed(2)).join(' ')}`);
redis.kill('SIGTERM');
