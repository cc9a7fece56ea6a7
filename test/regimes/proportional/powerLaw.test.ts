import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { trainProportionalNetwork } from '../../../src/finite/deepLinearProportional.js';
import { halfLossTime, powerLawExponents, timeExponent } from '../../../src/regimes/proportional/powerLaw.js';

describe('power-law exponents (theory/proportional.md#power-law)', () => {
  it('lazy χ = (a+c−1)/a; rich χ(L+1)/(1+Lχ) below 1, equal to χ from 1 on', () => {
    expect(powerLawExponents(1.5, 0.5, 1).lazy).toBeCloseTo(2 / 3, 12);
    expect(powerLawExponents(1.5, 0.5, 1).rich).toBeCloseTo(0.8, 12);
    expect(powerLawExponents(2, 0, 3).rich).toBeCloseTo((0.5 * 4) / 2.5, 12);
    expect(powerLawExponents(1.5, 2, 2).rich).toBe(powerLawExponents(1.5, 2, 2).lazy);
  });

  it('the fit recovers an exact power law in t − t½, and the offset matters', () => {
    const T = 2000;
    const loss = new Float64Array(T + 1);
    // flat at 1 until t = 99, then (t − 98)^−0.7 / 2: t½ = 99 exactly.
    for (let t = 0; t <= T; t++) loss[t] = t < 99 ? 1 : 0.5 * (t - 98) ** -0.7;
    expect(halfLossTime(loss)).toBe(99);
    // L(t½ + s) = ½(s + 1)^−0.7: slope against log s is 0.7 up to the +1 (≤ 0.7/64 at s ≥ 64).
    const e = timeExponent(loss, [64, 512]);
    expect(Math.abs(e - 0.7)).toBeLessThan(0.7 / 64);
    expect(Math.abs(e - 0.7)).toBeGreaterThan(1e-4);
    expect(timeExponent(loss, [64, 1950])).toBeNaN();
  });

  it('the lazy network on power-law data follows the closed form of the least-squares sum', () => {
    // γ̄ → 0, centered: the rate is that of the initial kernel; with N ≫ D, K0 ≈ 2I (L = 1).
    const D = 64;
    const lambda = new Float64Array(D);
    const tv = new Float64Array(D);
    for (let k = 0; k < D; k++) { lambda[k] = (k + 1) ** -1.5; tv[k] = (k + 1) ** -0.5; }
    const r = trainProportionalNetwork({ dim: D, width: 64 * D, depth: 1, gammaBar: 1e-4, eta: 0.1, sigma: 0, steps: 40, data: { kind: 'population' }, lambda, teacherVar: tv, centered: true, teacherSigns: true }, new Rng('pl-lazy'));
    for (const t of [0, 10, 40]) {
      let closed = 0;
      for (let k = 0; k < D; k++) closed += lambda[k] * tv[k] * (1 - 2 * 0.1 * lambda[k]) ** (2 * t);
      closed /= 2 * D;
      // K0 = (|w|²/N)I + W0ᵀW0/N fluctuates by O(√(D/N)) = 1/8 around 2I: a 0.2 relative band at t = 40.
      expect(Math.abs(r.testLoss[t] / closed - 1)).toBeLessThan(t === 0 ? 1e-12 : 0.2);
    }
  });

  it('centering removes the initial function; the default teacher is unchanged', () => {
    const D = 32;
    const base = { dim: D, width: 32, depth: 1, gammaBar: 0.5, eta: 0.1, sigma: 0, steps: 2, data: { kind: 'population' as const } };
    const plain = trainProportionalNetwork(base, new Rng('c'));
    const cent = trainProportionalNetwork({ ...base, centered: true }, new Rng('c'));
    const t0 = new Rng('c').child('teacher').fillNormal(new Float64Array(D));
    const teacherOnly = t0.reduce((s, b) => s + b * b, 0) / (2 * D);
    expect(cent.testLoss[0]).toBeCloseTo(teacherOnly, 12);
    expect(plain.testLoss[0]).toBeGreaterThan(teacherOnly * 1.5); // the initial function adds 1/(γ̄²ν) = 4 per coordinate
  });
});
