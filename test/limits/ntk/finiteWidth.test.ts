import { describe, expect, it } from 'vitest';
import { type Mat, fromRows, mat } from '../../../src/core/matrix.js';
import { loadData } from '../../../src/data/load.js';
import { runTrain } from '../../../src/run/train.js';
import { parseSpec } from '../../../src/spec/validate.js';
import type { Outputs } from '../../../src/spec/result.js';
import { InputError } from '../../../src/core/errors.js';
import { prepareNtkLimit } from '../../../src/limits/ntk/limit.js';
import { predictFiniteWidth } from '../../../src/limits/ntk/finiteWidth.js';

const toMat = (o: Outputs): Mat => (typeof o[0] === 'number' ? mat(o.length, 1, Float64Array.from(o as number[])) : fromRows(o as number[][]));

function spec(activation: string, width: number, model: object = {}) {
  return parseSpec({
    data: { source: 'gaussian', n: 8, nTest: 4, dim: 3, target: 'teacher-relu', seed: 3 },
    model: { depth: 1, width, activation, parameterization: 'ntk', weightStd: 1.4, biasStd: 0.1, ...model },
    training: { loss: 'mse', method: 'gd', lr: 0.5, steps: 30, recordEvery: 10 },
    seed: 0,
  });
}

const meanSe = (v: number[]): [number, number] => {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
  return [m, sd / Math.sqrt(v.length)];
};

describe('predicted finite-width deviation C(τ) (theory/finite-width.md#prediction)', () => {
  it('refuses what it does not cover (two hidden layers, meanfield) with an InputError', () => {
    for (const m of [{ depth: 2 }, { parameterization: 'meanfield' }]) {
      const s = spec('erf', 64, m);
      expect(() => predictFiniteWidth(prepareNtkLimit(s, loadData(s.data)), { samples: 10 })).toThrow(InputError);
    }
  });

  it('is zero at τ = 0, seeded (same seed → same numbers) and grows with α² through f_0', () => {
    const s = spec('erf', 64);
    const data = loadData(s.data);
    const model = prepareNtkLimit(s, data);
    const a = predictFiniteWidth(model, { samples: 2000, seed: 1 });
    expect(predictFiniteWidth(model, { samples: 2000, seed: 1 })).toEqual(a);
    expect(a.train[0]).toBe(0);
    expect(a.test[0]).toBe(0);
    const s3 = spec('erf', 64, { alpha: 3 });
    const b = predictFiniteWidth(prepareNtkLimit(s3, data), { samples: 2000, seed: 1 });
    const last = a.times.length - 1;
    expect(b.test[last]).toBeGreaterThan(a.test[last]);
  });

  // The claim of the issue at one width: h · E‖f^(h)_τ − f^∞_τ[f_0]‖²/n against C(τ), erf and ReLU,
  // h = 1024, 96 seeds. Tolerance: 2.5 combined standard errors (finite-network seeds and unit
  // draws) plus the neglected relative correction, 3 h^{−1/2} ≈ 0.094 for erf
  // (theory/finite-width.md#neglected) and h^{−1/4} ≈ 0.18 for ReLU (kernel motion h^{−3/4}).
  for (const [activation, rel] of [['erf', 3 / 32], ['relu', 1024 ** -0.25]] as const) {
    it(`matches Monte Carlo over finite networks at h = 1024 (${activation}, 96 seeds, every record time)`, () => {
      const h = 1024;
      const s = spec(activation, h);
      const data = loadData(s.data);
      const model = prepareNtkLimit(s, data);
      const pred = predictFiniteWidth(model, { samples: 20000 });
      const T = model.times.length;
      const tr: number[][] = Array.from({ length: T }, () => []);
      const te: number[][] = Array.from({ length: T }, () => []);
      for (let seed = 0; seed < 96; seed++) {
        const fin = runTrain(s, { width: h, seed, dataset: data }).result;
        const lim = model.run({ train: toMat(fin.fTrain[0]), test: toMat(fin.fTest[0]) });
        for (let t = 0; t < T; t++) {
          const sq = (a: Mat, b: Mat): number => (h * a.data.reduce((s2, v, i) => s2 + (v - b.data[i]) ** 2, 0)) / a.rows;
          tr[t].push(sq(toMat(fin.fTrain[t]), toMat(lim.fTrain[t])));
          te[t].push(sq(toMat(fin.fTest[t]), toMat(lim.fTest[t])));
        }
      }
      for (let t = 1; t < T; t++) {
        for (const [meas, p, pse] of [[tr[t], pred.train[t], pred.trainSe[t]], [te[t], pred.test[t], pred.testSe[t]]] as const) {
          const [m, se] = meanSe(meas);
          expect(Math.abs(m - p)).toBeLessThan(2.5 * Math.hypot(se, pse) + rel * p);
        }
      }
    });
  }
});
