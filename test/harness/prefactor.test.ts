import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { fitPrefactor } from '../../src/harness/prefactor.js';
import { fitRecords } from '../../src/harness/fits.js';
import type { LongRecord } from '../../src/harness/types.js';

const widths = [64, 256, 1024, 4096];

describe('fitted prefactor with the exponent fixed (theory/finite-width.md#prefactor-fit)', () => {
  it('recovers c of c·h^p exactly from noiseless data, with a degenerate interval', () => {
    const values = Array.from({ length: 5 }, () => widths.map((h) => 0.37 * h ** -1));
    const f = fitPrefactor(widths, values, -1, { rng: new Rng('t'), nBoot: 200, level: 0.95 });
    expect(Math.abs(f.estimate - 0.37)).toBeLessThan(1e-14);
    expect(Math.abs(f.ci[0] - 0.37)).toBeLessThan(1e-14);
    expect(Math.abs(f.ci[1] - 0.37)).toBeLessThan(1e-14);
  });

  it('is the geometric mean over widths of h^{−p} × the seed mean (a correction at small h shows up)', () => {
    // 1 + 2h^{−1/2}: the fixed-exponent constant is c·geomean(1 + 2h^{−1/2}), not c
    const values = [widths.map((h) => (1 + 2 / Math.sqrt(h)) / h)];
    const f = fitPrefactor(widths, values, -1, { rng: new Rng('t'), nBoot: 0, level: 0.95 });
    const g = Math.exp(widths.reduce((a, h) => a + Math.log(1 + 2 / Math.sqrt(h)), 0) / widths.length);
    expect(Math.abs(f.estimate - g)).toBeLessThan(1e-14);
    expect(f.estimate).toBeGreaterThan(1.05);
  });

  it('its bootstrap interval covers the true constant for noisy seeds (χ² with 2 dof, 400 seeds)', () => {
    // mean-square deviations are roughly χ²-distributed: relative spread 1; the 95 % interval of the
    // geometric mean over 4 widths has half-width ≈ 2·1/√1600 = 5 %: the true 0.5 must lie inside,
    // a wrong exponent (−0.9) must move the estimate out of it.
    const rng = new Rng('noise');
    const values = Array.from({ length: 400 }, () => widths.map((h) => (0.5 / h) * -Math.log(1 - rng.uniform())));
    const f = fitPrefactor(widths, values, -1, { rng: new Rng('b'), nBoot: 500, level: 0.95 });
    expect(f.ci[0]).toBeLessThan(0.5);
    expect(f.ci[1]).toBeGreaterThan(0.5);
    expect(f.ci[1] - f.ci[0]).toBeLessThan(0.1);
    const wrong = fitPrefactor(widths, values, -0.9, { rng: new Rng('b'), nBoot: 500, level: 0.95 });
    expect(wrong.ci[1]).toBeLessThan(0.5);
  });

  it('fits get prefactor and predicted only where the expectation predicts the constant; the exponent fit is unchanged', () => {
    const rng = new Rng('rec');
    const records: LongRecord[] = [];
    for (let s = 0; s < 10; s++) for (const h of widths) records.push({ width: h, seed: s, metric: 'd', value: (0.2 / h) * (0.5 + rng.uniform()) });
    const [plain] = fitRecords(records, [{ metric: 'd', exponent: -1 }], { seed: 1 });
    const [pred] = fitRecords(records, [{ metric: 'd', exponent: -1, prefactor: 0.2, prefactorSe: 0.001 }], { seed: 1 });
    expect('prefactor' in plain).toBe(false);
    expect('predicted' in plain).toBe(false);
    expect({ ...pred, prefactor: undefined, predicted: undefined }).toEqual({ ...plain, prefactor: undefined, predicted: undefined });
    expect(pred.predicted).toEqual({ exponent: -1, prefactor: 0.2, prefactorSe: 0.001 });
    expect(pred.prefactor!.ci[0]).toBeLessThan(pred.prefactor!.estimate);
    expect(Math.abs(pred.prefactor!.estimate / 0.2 - 1)).toBeLessThan(0.1);
  });
});
