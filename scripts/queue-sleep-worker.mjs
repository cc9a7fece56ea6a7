#!/usr/bin/env node
/**
 * A stand-in worker for scripts/queue-throughput.mjs --sleep MS: takes cell jobs from the queue like
 * `widelimit worker` (one at a time), but instead of computing a cell it sleeps MS and returns the
 * cell a local run of the same sweep saved in CELLS_DIR. Cells of a fixed cost that use no CPU, so
 * the speed-up of 2 workers measures the queue and the coordinator, not the load of the machine.
 *
 *   node scripts/queue-sleep-worker.mjs redis://127.0.0.1:PORT MS CELLS_DIR
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'bullmq';

const [url, ms, cells] = process.argv.slice(2);
const u = new URL(url);
const worker = new Worker('widelimit-cells', async (job) => {
  await new Promise((r) => setTimeout(r, Number(ms)));
  const { width, seed } = job.data.task;
  return JSON.parse(readFileSync(join(cells, `w${width}-s${seed}.json`), 'utf8'));
}, { connection: { host: u.hostname, port: Number(u.port), maxRetriesPerRequest: null }, concurrency: 1 });
await worker.waitUntilReady();
process.stderr.write('serving\n');
