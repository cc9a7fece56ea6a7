/**
 * A limit added from this single file, with no other file changed: it registers itself and runs
 * through runCompare like a built-in. The toy limit is "the zero function": in the meanfield
 * parameterization a two-layer network's outputs at initialization are O(h^{−1/2}) (a mean of h
 * independent O(1) terms), so with a negligible learning rate the finite runs approach f ≡ 0 as
 * h^{−1/2}, which the toy declares as its default expectation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCompare } from '../../src/harness/compare.js';
import { type Limit, getLimit, registerLimit } from '../../src/limits/builtin.js';
import type { RunResult } from '../../src/spec/result.js';
import { parseSpec } from '../../src/spec/validate.js';

const zeroLimit: Limit = {
  name: 'toy-zero',
  pathwise: false,
  applies: (model) => model.parameterization === 'meanfield'
    ? { ok: true, reason: 'meanfield outputs vanish at initialization' }
    : { ok: false, reason: 'needs the meanfield parameterization' },
  prepare(spec, data) {
    const run = (): RunResult => {
      const { lr, steps, recordEvery } = spec.training;
      const recs = Array.from({ length: Math.floor(steps / recordEvery) + 1 }, (_, i) => i * recordEvery);
      const k = data.y.cols;
      const zeros = (n: number) => Array.from({ length: n }, () => new Array<number>(k).fill(0));
      const half = (y: Float64Array) => y.reduce((s, v) => s + v * v, 0) / (2 * Math.max(1, y.length / k));
      return {
        status: 'ok', message: '', times: recs.map((s) => lr * s), steps: recs,
        trainLoss: recs.map(() => half(data.y.data)), testLoss: recs.map(() => half(data.yTest.data)),
        fTrain: recs.map(() => zeros(data.x.rows)), fTest: recs.map(() => zeros(data.xTest.rows)),
        spec, meta: { version: 'toy', seed: spec.seed, seconds: 0, kind: 'limit' },
      };
    };
    return { run };
  },
  run: () => { throw new Error('not used here'); },
  citations: () => ['mei2018'],
  expectations: () => [{ metric: 'fTrainSup', exponent: -0.5, tolerance: 0.2 }],
};

const out = mkdtempSync(join(tmpdir(), 'widelimit-toy-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('a limit registered from one file', () => {
  it('runs in runCompare: its trajectory, citations and default expectation are used', async () => {
    registerLimit(zeroLimit);
    expect(getLimit('toy-zero')).toBe(zeroLimit);
    const spec = parseSpec({
      data: { source: 'gaussian', n: 16, nTest: 8, dim: 4, target: 'linear', seed: 0 },
      model: { depth: 1, activation: 'tanh', parameterization: 'meanfield' },
      training: { method: 'gd', lr: 1e-9, steps: 2, recordEvery: 1 },
      limit: 'toy-zero',
    });
    const r = await runCompare(spec, { widths: [64, 256, 1024, 4096], seeds: 8, out, workers: 1, progress: false });
    expect(r.limit.name).toBe('toy-zero');
    expect(r.references).toContain('mei2018');
    expect(r.cells.every((c) => c.status === 'ok')).toBe(true);
    const f = r.fits.find((x) => x.metric === 'fTrainSup')!;
    expect(f.expected).toBe(-0.5);
    // |f_0| ∝ h^{−1/2} (CLT over h units): the fitted exponent is −0.5 up to seed noise (8 seeds, 4 widths)
    expect(Math.abs(f.exponent + 0.5)).toBeLessThan(0.15);
  });
});
