/**
 * compare turns a non-finite computed value into a status, as train, limit and kernel do
 * (src/cli/compareStatus.ts): a network of weight scale 1e-300 has a zero kernel at
 * initialization, so the relative kernel distance of every cell is 0/0 = NaN — exit 3, one line
 * naming the field, and results.json says so. Slots empty by construction (one seed: no
 * confidence interval, no seed variance) keep an ok result ok.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capture, tempDir } from './helpers.js';

const SPEC = {
  data: { source: 'gaussian', n: 6, nTest: 3, dim: 3, target: 'teacher-relu', seed: 0 },
  model: { depth: 1, width: 8, activation: 'relu', parameterization: 'ntk', weightStd: 1.4, biasStd: 0 },
  training: { loss: 'mse', method: 'gd', lr: 0.5, steps: 4, recordEvery: 2 },
  seed: 0,
};

async function compare(spec: unknown, seeds: string) {
  const dir = tempDir('cmpstatus');
  const s = join(dir, 's.json');
  writeFileSync(s, JSON.stringify(spec));
  const out = join(dir, 'run');
  const c = capture();
  const code = await main(['compare', '--spec', s, '--widths', '4,8', '--seeds', seeds, '--out', out, '--quiet', '--no-report', '--workers', '1'], c.io);
  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  return { code, err: c.err(), results };
}

describe('compare: non-finite results are a status', () => {
  it('a NaN cell metric gives status nan, exit 3 and one error line naming cells[0].metrics.kernelInit', async () => {
    const r = await compare({ ...SPEC, model: { ...SPEC.model, weightStd: 1e-300 } }, '2');
    expect(r.code).toBe(3);
    const lines = r.err.split('\n').filter((l) => l !== '');
    expect(lines).toEqual([expect.stringMatching(/^error: nan: cells\[0\]\.metrics\.kernelInit is NaN \(written as null\)/)]);
    expect(r.results.status).toBe('nan');
    expect(r.results.message).toMatch(/^cells\[0\]\.metrics\.kernelInit is NaN/);
  });

  it('one seed (no interval, no seed variance: null by construction) stays ok with exit 0', async () => {
    const r = await compare(SPEC, '1');
    expect(r.code).toBe(0);
    expect(r.results.status).toBe('ok');
    expect(r.results.fits[0].ci).toEqual([null, null]);
  });
});
