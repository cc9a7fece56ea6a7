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

  it('deep linear μP: C(t) of theory/finite-width-deeplinear.md#delta, C(0) = mean K^x(x, x)/γ0², width needed', async () => {
    const p = join(dir, 'dl.json');
    writeFileSync(p, JSON.stringify({
      data: { source: 'gaussian', n: 8, nTest: 8, dim: 4, target: 'linear', noise: 0.5, seed: 1 },
      model: { depth: 3, width: 256, activation: 'identity', parameterization: 'meanfield', gamma0: 1, weightStd: 1, biasStd: 0 },
      training: { loss: 'mse', method: 'gd', lr: 0.1, steps: 12, recordEvery: 3 },
      limit: 'deeplinear',
    }));
    const out = join(dir, 'dl-r.json');
    const c = capture();
    expect(await main(['limit', '--spec', p, '--out', out, '--accuracy', '0.1'], c.io)).toBe(0);
    const fw = JSON.parse(readFileSync(out, 'utf8')).meta.finiteWidth;
    expect(fw.times).toEqual([0, 0.3, 0.6, 0.9, 1.2]);
    // exact at t = 0 (theory/finite-width-deeplinear.md#initial): 1.3365 / 1.0000 on this data; C(0.3) of the table there
    expect(fw.prefactorTrain[0]).toBeCloseTo(1.3365, 4);
    expect(fw.prefactorTest[0]).toBeCloseTo(1.0, 4);
    expect(fw.prefactorTrain[1]).toBeCloseTo(3.3513, 3);
    expect(fw.meanSquareTrain[1]).toBeCloseTo(fw.prefactorTrain[1] / 256, 14);
    expect(fw.widthNeeded).toBe(Math.ceil(Math.max(...fw.prefactorTrain, ...fw.prefactorTest) / 0.01));
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
