/** `widelimit limit --finite-width / --accuracy` (theory/finite-width.md#width-needed). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capture, tempDir } from './helpers.js';

const dir = tempDir('finite-width');
function specFile(name: string, model: object): string {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify({
    data: { source: 'gaussian', n: 8, nTest: 4, dim: 3, target: 'teacher-relu', seed: 3 },
    model: { depth: 1, width: 512, activation: 'erf', parameterization: 'ntk', weightStd: 1.4, biasStd: 0.1, ...model },
    training: { loss: 'mse', method: 'gd', lr: 0.5, steps: 30, recordEvery: 10 },
  }));
  return p;
}

describe('widelimit limit --finite-width', () => {
  it('writes C(τ) and C(τ)/h at the spec\'s width into meta.finiteWidth; --accuracy prints h ≥ max_τ C(τ)/a²', async () => {
    const out = join(dir, 'r.json');
    const c = capture();
    expect(await main(['limit', '--spec', specFile('s.json', {}), '--out', out, '--accuracy', '0.05'], c.io)).toBe(0);
    const fw = JSON.parse(readFileSync(out, 'utf8')).meta.finiteWidth;
    expect(fw.width).toBe(512);
    expect(fw.times).toEqual([0, 5, 10, 15]);
    expect(fw.meanSquareTest[3]).toBeCloseTo(fw.prefactorTest[3] / 512, 14);
    const cmax = Math.max(...fw.prefactorTrain, ...fw.prefactorTest);
    expect(fw.widthNeeded).toBe(Math.ceil(cmax / 0.0025));
    expect(c.out()).toContain(`h ≥ ${fw.widthNeeded}`);
  });

  it('bad input exits 2: accuracy 0, a limit without a prediction (meanfield)', async () => {
    const out = join(dir, 'bad.json');
    const a = capture();
    expect(await main(['limit', '--spec', specFile('a.json', {}), '--out', out, '--accuracy', '0'], a.io)).toBe(2);
    expect(a.err()).toMatch(/^error: --accuracy: must be > 0/);
    const b = capture();
    expect(await main(['limit', '--spec', specFile('b.json', { parameterization: 'meanfield', activation: 'relu' }), '--out', out, '--finite-width'], b.io)).toBe(2);
    expect(b.err()).toMatch(/^error: --finite-width: /);
  });
});
