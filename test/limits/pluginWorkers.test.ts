/**
 * A plug-in limit registered with its module URL reaches the worker threads of a sweep: each
 * worker imports the module before its first cell (src/limits/registry.ts, src/harness/worker.ts).
 * Run on the compiled package (dist/, as `widelimit` runs), since the TypeScript sources run
 * cells in-process. Without the URL the workers know only the built-ins and every cell crashes:
 * the control shows the test can fail.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const dist = pathToFileURL(resolve('dist/src')).href;
const dir = mkdtempSync(join(tmpdir(), 'widelimit-plugin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function plugin(withModule: boolean): string {
  return `
import { registerLimit } from '${dist}/limits/builtin.js';
const zeros = (n, k) => Array.from({ length: n }, () => new Array(k).fill(0));
registerLimit({
  name: 'toy-zero', pathwise: false,
  applies: () => ({ ok: true, reason: 'toy' }),
  prepare(spec, data) {
    const run = () => {
      const { lr, steps, recordEvery } = spec.training;
      const recs = Array.from({ length: Math.floor(steps / recordEvery) + 1 }, (_, i) => i * recordEvery);
      const k = data.y.cols;
      return { status: 'ok', message: '', times: recs.map((s) => lr * s), steps: recs, trainLoss: recs.map(() => 0), testLoss: recs.map(() => 0),
        fTrain: recs.map(() => zeros(data.x.rows, k)), fTest: recs.map(() => zeros(data.xTest.rows, k)), spec, meta: { version: 'toy', seed: 0, seconds: 0, kind: 'limit' } };
    };
    return { run };
  },
  run: () => { throw new Error('not used'); },
  citations: () => [], expectations: () => [],
}${withModule ? ', { module: import.meta.url }' : ''});
`;
}

function sweep(withModule: boolean): string[] {
  const tag = withModule ? 'with' : 'without';
  writeFileSync(join(dir, `plugin-${tag}.mjs`), plugin(withModule));
  writeFileSync(join(dir, `driver-${tag}.mjs`), `
import './plugin-${tag}.mjs';
import { runCompare } from '${dist}/harness/compare.js';
import { parseSpec } from '${dist}/spec/validate.js';
const spec = parseSpec({ data: { source: 'gaussian', n: 8, nTest: 4, dim: 3, target: 'linear', seed: 0 },
  model: { depth: 1, activation: 'tanh', parameterization: 'meanfield' }, training: { method: 'gd', lr: 0.01, steps: 2, recordEvery: 1 }, limit: 'toy-zero' });
const r = await runCompare(spec, { widths: [8, 16], seeds: 2, out: ${JSON.stringify(join(dir, `out-${tag}`))}, workers: 2, progress: false });
process.stdout.write(JSON.stringify(r.cells.map((c) => c.status)));
`);
  const p = spawnSync(process.execPath, [join(dir, `driver-${tag}.mjs`)], { encoding: 'utf8', timeout: 120_000 });
  expect(p.status, p.stderr).toBe(0);
  return JSON.parse(p.stdout) as string[];
}

describe('plug-in limits in worker threads', () => {
  it('registered with { module: import.meta.url }: every cell of a 2-thread sweep runs', () => {
    expect(sweep(true)).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('registered without it: the workers do not know the limit and the cells crash (control)', () => {
    expect(sweep(false).every((s) => s === 'failed')).toBe(true);
  });
});
