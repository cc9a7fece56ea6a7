import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { Rng } from '../../../src/core/rng.js';
import { loadData } from '../../../src/data/load.js';
import type { Architecture } from '../../../src/finite/architecture.js';
import { type Params, initParams } from '../../../src/finite/params.js';
import type { GenericResults } from '../../../src/harness/types.js';
import { prepareNtkLimit } from '../../../src/limits/ntk/limit.js';
import { seedDeviation } from '../../../src/regimes/finiteWidth/measure.js';
import { patternRecords, patternStatistics } from '../../../src/regimes/finiteWidth/patternStatistics.js';
import { patternChange, stackInputs } from '../../../src/regimes/finiteWidth/patterns.js';
import { architectureFromSpec } from '../../../src/spec/architecture.js';
import { parseSpec } from '../../../src/spec/validate.js';

function spec(activation = 'relu', width = 32) {
  return parseSpec({
    data: { source: 'gaussian', n: 8, nTest: 4, dim: 3, target: 'teacher-relu', seed: 3 },
    model: { depth: 2, width, activation, parameterization: 'ntk', weightStd: 1.4, biasStd: 0.1 },
    training: { loss: 'mse', method: 'gd', lr: 0.5, steps: 30, recordEvery: 5 },
    seed: 0,
  });
}

/** Hidden pre-activations written out from the layer form (independent of the fused forward pass). */
function preActivations(arch: Architecture, p: Params, x: { rows: number; cols: number; data: Float64Array }): Float64Array[] {
  const out: Float64Array[] = [];
  let a = x.data, din = x.cols;
  for (let l = 0; l < arch.layers.length - 1; l++) {
    const lay = arch.layers[l], w = lay.nOut, z = new Float64Array(x.rows * w), next = new Float64Array(x.rows * w);
    for (let i = 0; i < x.rows; i++) {
      for (let j = 0; j < w; j++) {
        let s = 0;
        for (let k = 0; k < din; k++) s += a[i * din + k] * p.W[l].data[j * din + k];
        s = lay.multiplier * s + (lay.bias && p.b[l] ? lay.bias.multiplier * p.b[l]![j] : 0);
        z[i * w + j] = s;
        next[i * w + j] = Math.max(0, s);
      }
    }
    out.push(z);
    a = next;
    din = w;
  }
  return out;
}

describe('activation-pattern change (theory/finite-width.md#motion-theory)', () => {
  const s = spec();
  const data = loadData(s.data);
  const arch = architectureFromSpec(s, data, 32);
  const x = stackInputs(data.x, data.xTest);

  it('counts flips and the net change of the active set as the written-out pre-activations do', () => {
    const p0 = initParams(arch, new Rng(5).child('init'));
    const noise = new Rng(6).child('noise');
    const p1: Params = { W: p0.W.map((w) => ({ ...w, data: w.data.map((v) => v + 0.3 * noise.normal()) })), b: p0.b.map((b) => (b ? b.map((v) => v + 0.3 * noise.normal()) : null)) };
    const got = patternChange(arch, p0, p1, x, data.x.rows);
    const z0 = preActivations(arch, p0, x), z1 = preActivations(arch, p1, x);
    for (let l = 0; l < z0.length; l++) {
      const w = z0[l].length / x.rows;
      const count = (lo: number, hi: number) => {
        let flip = 0, net = 0;
        for (let i = lo * w; i < hi * w; i++) {
          flip += (z0[l][i] > 0) !== (z1[l][i] > 0) ? 1 : 0;
          net += (z1[l][i] > 0 ? 1 : 0) - (z0[l][i] > 0 ? 1 : 0);
        }
        return [flip / ((hi - lo) * w), -net / ((hi - lo) * w)];
      };
      const [ft, dt] = count(0, data.x.rows), [fs, ds] = count(data.x.rows, x.rows);
      expect(got.slice(4 * l, 4 * l + 4)).toEqual([ft, fs, dt, ds]);
      expect(ft).toBeGreaterThan(0);
    }
    expect(patternChange(arch, p0, p0, x, data.x.rows).every((v) => v === 0)).toBe(true);
  });

  it('refuses an activation whose sign cannot be read from φ', () => {
    const e = spec('erf');
    expect(() => patternChange(architectureFromSpec(e, data, 32), initParams(architectureFromSpec(e, data, 32), new Rng(1)), initParams(architectureFromSpec(e, data, 32), new Rng(1)), x, 8)).toThrow(InputError);
  });

  it('does not change the deviations; records and the test-input share follow their definitions', () => {
    const model = prepareNtkLimit(s, data);
    const plain = seedDeviation(s, model, data, 32, 1);
    const withP = seedDeviation(s, model, data, 32, 1, false, true);
    expect(withP.train).toEqual(plain.train);
    expect(withP.test).toEqual(plain.test);
    expect(withP.patterns).toHaveLength(8);
    // Two seeds per batch; layer 1: flips 0.02 at test inputs, drop 0.01 → on 0.005, off 0.015, share 0.5.
    const rows = [[0.03, 0.02, 0.01, 0.01, 0.04, 0.02, 0.02, 0], [0.03, 0.02, 0.01, 0.01, 0.04, 0.02, 0.02, 0]];
    const m = { format: 'widelimit-finite-width-seeds/1' as const, specHash: 'x', width: 64, times: [0], train: [[0], [0]], test: [[0], [0]], patterns: [...rows, ...rows] };
    const recs = patternRecords('relu', m, 2);
    const val = (metric: string) => recs.filter((r) => r.metric === metric).map((r) => r.value);
    for (const v of val('pat.relu.onTest.L1')) expect(v).toBeCloseTo(0.005, 15);
    for (const v of val('pat.relu.offTest.L1')) expect(v).toBeCloseTo(0.015, 15);
    for (const v of val('pat.relu.onTest.L2')) expect(v).toBeCloseTo(0.01, 15);
    const r = { records: [...recs, ...patternRecords('relu', { ...m, width: 128 }, 2)], fits: [{ metric: 'pat.relu.onTest.L1' }, { metric: 'pat.relu.onTest.L2' }] } as unknown as GenericResults;
    const st = patternStatistics(r, 2);
    expect(st['patshare.relu.test.L1'].estimate).toBeCloseTo(0.5, 12);
    expect(st['patshare.relu.test.L2'].estimate).toBeCloseTo(0, 12);
    expect(st['patshare.relu.test.L1'].ci[0]).toBeCloseTo(0.5, 12);
  });

  it('trained two-layer ReLU networks lose active units at the training inputs, not at the test inputs', () => {
    // The sliding of theory/finite-width.md#motion-theory: a positive mean drop at the training
    // inputs of each hidden layer (the theory predicts its sign; measured ≈ 0.002 and 0.004 per
    // unit at h = 256), and at the test inputs a drop much smaller than the flips. 32 seeds at
    // h = 256; tolerance: the training-input mean must exceed 2.5 of its standard errors, and the
    // test-input mean drop must stay below a quarter of the training-input one in size.
    const w = spec('relu', 256);
    const model = prepareNtkLimit(w, data);
    const P = Array.from({ length: 32 }, (_, k) => seedDeviation(w, model, data, 256, k, false, true).patterns!);
    for (const l of [0, 1]) {
      const tr = P.map((p) => p[4 * l + 2]), te = P.map((p) => p[4 * l + 3]);
      const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
      const se = Math.sqrt(tr.reduce((a, b) => a + (b - mean(tr)) ** 2, 0) / (tr.length - 1) / tr.length);
      expect(mean(tr)).toBeGreaterThan(2.5 * se);
      expect(Math.abs(mean(te))).toBeLessThan(mean(tr) / 4);
    }
  });
});
