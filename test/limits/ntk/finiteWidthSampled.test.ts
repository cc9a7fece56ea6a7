import { describe, expect, it } from 'vitest';
import { loadData } from '../../../src/data/load.js';
import { parseSpec } from '../../../src/spec/validate.js';
import { prepareNtkLimit } from '../../../src/limits/ntk/limit.js';
import { predictFiniteWidth } from '../../../src/limits/ntk/finiteWidth.js';
import { predictFiniteWidthSampled } from '../../../src/limits/ntk/finiteWidthSampled.js';
import { SAMPLED_WIDTH, finiteWidthReport } from '../../../src/limits/ntk/finiteWidthReport.js';

function spec(activation: string, depth: number, width: number) {
  return parseSpec({
    data: { source: 'gaussian', n: 8, nTest: 4, dim: 3, target: 'teacher-relu', seed: 3 },
    model: { depth, width, activation, parameterization: 'ntk', weightStd: 1.4, biasStd: 0.1 },
    training: { loss: 'mse', method: 'gd', lr: 0.5, steps: 30, recordEvery: 10 },
    seed: 0,
  });
}

describe('C(τ) from sampled initializations (theory/finite-width.md#sampled-kernel)', () => {
  for (const activation of ['erf', 'relu']) {
    it(`equals the unit average for one hidden layer (${activation}, h0 = 128, 1500 networks against 40000 units)`, () => {
      // Two methods of the same expectation: the sampled one draws whole networks and takes
      // h0‖L[Θ̂ − Θ]r_0‖², the unit one averages one unit's kernel (theory/finite-width.md#prediction).
      // For one hidden layer h0·Cov(Θ̂) is exact; the only bias is f_0's share of its own units,
      // O(1/h0). Tolerance: 3 combined Monte Carlo standard errors + 2/h0 relative.
      const s = spec(activation, 1, 128);
      const model = prepareNtkLimit(s, loadData(s.data));
      const a = predictFiniteWidthSampled(model, { width: 128, samples: 1500, seed: 1 });
      const b = predictFiniteWidth(model, { samples: 40000, seed: 1 });
      for (let t = 1; t < a.times.length; t++) {
        expect(Math.abs(a.train[t] - b.train[t])).toBeLessThan(3 * Math.hypot(a.trainSe[t], b.trainSe[t]) + (2 / 128) * b.train[t]);
        expect(Math.abs(a.test[t] - b.test[t])).toBeLessThan(3 * Math.hypot(a.testSe[t], b.testSe[t]) + (2 / 128) * b.test[t]);
        // the Monte Carlo errors are small enough for the comparison to mean something (≤ 8 %)
        expect(a.trainSe[t]).toBeLessThan(0.08 * a.train[t]);
      }
      expect(a.train[0]).toBe(0);
    });
  }

  it('the --finite-width report of a two-hidden-layer spec samples networks of width 256 and says so', () => {
    const s = spec('relu', 2, 1024);
    const r = finiteWidthReport(s, loadData(s.data), { samples: 40, accuracy: 0.05 });
    expect(r.sampledWidth).toBe(SAMPLED_WIDTH);
    expect(r.unitSamples).toBe(40);
    expect(r.prefactorTrain[0]).toBe(0);
    expect(r.prefactorTest.slice(1).every((v) => v > 0 && Number.isFinite(v))).toBe(true);
    expect(r.meanSquareTest[1]).toBeCloseTo(r.prefactorTest[1] / 1024, 14);
    expect('sampledWidth' in finiteWidthReport(spec('relu', 1, 64), loadData(s.data), { samples: 50 })).toBe(false);
  });
});
