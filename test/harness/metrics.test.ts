import { describe, expect, it } from 'vitest';
import { mat } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import { variance } from '../../src/core/stats.js';
import { kernelDistance } from '../../src/harness/cell.js';
import {
  absDifference, ensembleError, flattenOutputs, relativeFrobenius, resample, resampleOutputs, sameTimes, scaledDistance,
  seedVarianceTerms, supOf,
} from '../../src/harness/metrics.js';

describe('distances of a finite-vs-limit comparison', () => {
  it('scaledDistance is the Euclidean distance divided by √n, over all k outputs', () => {
    // two points with k = 2 outputs: ‖(3,0,0,4)‖ = 5, /√2
    const a = flattenOutputs([[1, 2], [3, 4]]);
    const b = flattenOutputs([[-2, 2], [3, 0]]);
    expect(scaledDistance(a, b, 2)).toBeCloseTo(5 / Math.SQRT2, 14); // √(25/2) vs 5/√2: rounding only
  });

  it('the supremum of a curve propagates NaN (a failed run is never close)', () => {
    expect(supOf([0.1, 0.3, 0.2])).toBe(0.3);
    expect(supOf([0.1, NaN, 0.2])).toBeNaN();
    expect(supOf([])).toBeNaN();
    expect(absDifference([1, 2], [3, -1])).toEqual([2, 3]);
  });

  it('relative Frobenius distance ‖A − B‖/‖B‖, NaN for a zero reference or mismatched sizes', () => {
    expect(relativeFrobenius([3, 4], [0, 0])).toBeNaN();
    expect(relativeFrobenius([1, 1], [1, 0, 0])).toBeNaN();
    expect(relativeFrobenius([1, 2, 2, 1], [1, 2, 2, 4])).toBeCloseTo(3 / 5, 15);
  });

  it('the kernel distance of k outputs compares the (nk)×(nk) empirical kernel with Θ ⊗ I_k', () => {
    const theta = mat(2, 2, Float64Array.from([2, 1, 1, 3]));
    // Θ ⊗ I_2 with index i·k + a, plus 0.1 on every entry: ‖E − Θ⊗I‖ = 0.1·4, ‖Θ⊗I‖ = √(2·(4+1+1+9))
    const full = new Float64Array(16);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) for (let a = 0; a < 2; a++) full[(i * 2 + a) * 4 + j * 2 + a] = theta.data[i * 2 + j];
    const noisy = full.map((v) => v + 0.1);
    expect(kernelDistance(noisy, theta)).toBeCloseTo(0.4 / Math.sqrt(30), 14);
    expect(kernelDistance(Float64Array.from([2, 1, 1, 3]), theta)).toBe(0);
  });

  it('seed-variance terms average to the unbiased variance over seeds, averaged over entries', () => {
    const rng = new Rng('terms');
    const g = Array.from({ length: 7 }, () => Array.from({ length: 5 }, () => rng.normal()));
    const terms = seedVarianceTerms(g);
    const mean = terms.reduce((a, b) => a + b, 0) / terms.length;
    let direct = 0;
    for (let i = 0; i < 5; i++) direct += variance(g.map((v) => v[i])) / 5;
    // same sums in a different order: agreement to rounding
    expect(mean).toBeCloseTo(direct, 13);
    expect(seedVarianceTerms([[1, 2]])).toEqual([NaN]);
  });

  it('the ensemble error is the distance of the seed mean to the limit mean', () => {
    expect(ensembleError([[1, 3], [3, 1]], [2, 2], 2)).toBe(0);
    expect(ensembleError([[1, 1], [3, 3]], [0, 0], 2)).toBe(2);
  });

  it('resampling onto the same grid copies, and interpolates a linear curve exactly in between', () => {
    const t = [0, 10, 20, 30];
    const v = t.map((x) => 2 * x + 1);
    expect(resample(t, v, t)).toEqual(v);
    expect(resample(t, v, [5, 25, 30])).toEqual([11, 51, 61]);
    expect(resample(t, v, [-5, 40])).toEqual([1, 61]); // constant beyond the ends
    const f = resampleOutputs(t, t.map((x) => [x, -x]), [15]);
    expect(Array.from(f[0])).toEqual([15, -15]);
    expect(sameTimes([0, 0.1 + 0.2], [0, 0.3])).toBe(true);
    expect(sameTimes([0, 1], [0, 1.001])).toBe(false);
  });
});
