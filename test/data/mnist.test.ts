import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { loadData } from '../../src/data/load.js';
import type { DataSpec } from '../../src/spec/types.js';

const spec = (o: Partial<DataSpec> = {}): DataSpec => ({
  source: 'mnist', n: 30, nTest: 10, dim: 784, target: 'parity', outputs: 1, seed: 7, labels: 'parity', ...o,
});

/** Independent reading of theory/data.md#mnist through the package's own digit API. */
function expectedRaw(seed: number, n: number, nTest: number): { train: number[][]; test: number[][]; trainDigits: number[]; testDigits: number[] } {
  const pkg = createRequire(import.meta.url)('mnist') as { get(i: number): number[]; length: number }[];
  const pool: [number, number][] = [];
  for (let d = 0; d < 10; d++) for (let i = 0; i < pkg[d].length; i++) pool.push([d, i]);
  const perm = new Rng(seed).child('mnist').permutation(pool.length);
  const pick = (a: number, b: number) => Array.from(perm.subarray(a, b), (p) => pool[p]);
  const tr = pick(0, n), te = pick(n, n + nTest);
  return {
    train: tr.map(([d, i]) => pkg[d].get(i)),
    test: te.map(([d, i]) => pkg[d].get(i)),
    trainDigits: tr.map(([d]) => d),
    testDigits: te.map(([d]) => d),
  };
}

describe('mnist source', () => {
  it('centres on the training mean and scales every image to norm √784 (checked against the package images)', () => {
    const ds = loadData(spec());
    const raw = expectedRaw(7, 30, 10);
    const mean = new Array(784).fill(0);
    for (const img of raw.train) img.forEach((v, p) => { mean[p] += v / 30; });
    const check = (x: Float64Array, imgs: number[][]) => {
      imgs.forEach((img, r) => {
        const c = img.map((v, p) => v - mean[p]);
        const norm = Math.sqrt(c.reduce((s, v) => s + v * v, 0));
        let maxErr = 0, sq = 0;
        for (let p = 0; p < 784; p++) {
          const v = x[r * 784 + p];
          sq += v * v;
          maxErr = Math.max(maxErr, Math.abs(v - (28 * c[p]) / norm));
        }
        expect(maxErr).toBeLessThan(1e-12); // same arithmetic up to summation order
        expect(Math.abs(Math.sqrt(sq) - 28)).toBeLessThan(1e-12);
      });
    };
    check(ds.x.data, raw.train);
    check(ds.xTest.data, raw.test);
    raw.trainDigits.forEach((d, i) => expect(ds.y.data[i]).toBe(2 * (d % 2) - 1));
    raw.testDigits.forEach((d, i) => expect(ds.yTest.data[i]).toBe(2 * (d % 2) - 1));
  });

  it('parity labels are 2(digit mod 2) − 1 of the one-hot digit labels of the same selection', () => {
    const par = loadData(spec({ n: 200, nTest: 50 }));
    const dig = loadData(spec({ n: 200, nTest: 50, labels: 'digit', outputs: 10, target: 'digit' }));
    expect([dig.y.rows, dig.y.cols, dig.yTest.cols]).toEqual([200, 10, 10]);
    expect(Array.from(dig.x.data)).toEqual(Array.from(par.x.data));
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 200; i++) {
      const row = Array.from(dig.y.data.subarray(i * 10, i * 10 + 10));
      expect(row.filter((v) => v === 1).length).toBe(1);
      expect(row.filter((v) => v === 0).length).toBe(9);
      const digit = row.indexOf(1);
      counts[digit]++;
      expect(par.y.data[i]).toBe(2 * (digit % 2) - 1);
    }
    // a uniform random selection of 200 hits every digit (P(miss one) < 10·0.9^200 ≈ 7e-9)
    expect(counts.every((c) => c > 0)).toBe(true);
  });

  it('is deterministic per seed, and train and test are disjoint', () => {
    const a = loadData(spec());
    const b = loadData(spec());
    expect(Array.from(a.x.data)).toEqual(Array.from(b.x.data));
    const c = loadData(spec({ seed: 8 }));
    expect(Array.from(c.x.data.subarray(0, 784))).not.toEqual(Array.from(a.x.data.subarray(0, 784)));
    const raw = expectedRaw(7, 30, 10);
    const keys = new Set(raw.train.map((r) => r.join(',')));
    expect(raw.test.some((r) => keys.has(r.join(',')))).toBe(false);
  });

  it('refuses more images than the package has, at data.n', () => {
    try {
      loadData(spec({ n: 9995, nTest: 10 }));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).where).toBe('data.n');
    }
  });
});
