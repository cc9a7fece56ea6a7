import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { fashionMnistPool } from '../../src/data/fashionMnist.js';
import { loadData } from '../../src/data/load.js';
import { parseSpec } from '../../src/spec/validate.js';
import type { DataSpec } from '../../src/spec/types.js';

const spec = (o: Partial<DataSpec> = {}): DataSpec => ({
  source: 'fashion-mnist', n: 12, nTest: 5, dim: 784, target: 'parity', outputs: 1, seed: 3, labels: 'parity', ...o,
});

/** idx bytes written from the format's definition: magic 0x0000080N, big-endian sizes, data. */
function idx(sizes: number[], data: Uint8Array): Buffer {
  const head = Buffer.alloc(4 + 4 * sizes.length);
  head.writeUInt32BE(0x800 + sizes.length, 0);
  sizes.forEach((s, i) => head.writeUInt32BE(s, 4 + 4 * i));
  return gzipSync(Buffer.concat([head, Buffer.from(data)]));
}

/** A fake package folder: nTrain + nTest images with pixel (i, p) = (7i + p) mod 256, class i mod 10. */
function fakeFolder(nTrain: number, nTest: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'fashion-'));
  const write = (prefix: string, from: number, count: number) => {
    const px = new Uint8Array(count * 784), cls = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      cls[i] = (from + i) % 10;
      for (let p = 0; p < 784; p++) px[i * 784 + p] = (7 * (from + i) + p) % 256;
    }
    writeFileSync(join(dir, `${prefix}-images-idx3-ubyte.gz`), idx([count, 28, 28], px));
    writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte.gz`), idx([count], cls));
  };
  write('train', 0, nTrain);
  write('t10k', nTrain, nTest);
  return dir;
}

const saved = process.env.WIDELIMIT_FASHION_MNIST_DIR;
afterEach(() => {
  if (saved === undefined) delete process.env.WIDELIMIT_FASHION_MNIST_DIR;
  else process.env.WIDELIMIT_FASHION_MNIST_DIR = saved;
});

describe('fashion-mnist source', () => {
  it('selects by the seeded permutation of the pool (train files, then test files), centres and scales like mnist', () => {
    process.env.WIDELIMIT_FASHION_MNIST_DIR = fakeFolder(30, 10);
    const ds = loadData(spec());
    const perm = new Rng(3).child('fashion-mnist').permutation(40);
    const raw = (i: number) => Array.from({ length: 784 }, (_, p) => ((7 * i + p) % 256) / 255);
    const tr = Array.from(perm.subarray(0, 12)), te = Array.from(perm.subarray(12, 17));
    const mean = new Array(784).fill(0);
    for (const i of tr) raw(i).forEach((v, p) => { mean[p] += v / 12; });
    const check = (x: Float64Array, ids: number[]) => ids.forEach((id, r) => {
      const c = raw(id).map((v, p) => v - mean[p]);
      const norm = Math.sqrt(c.reduce((s, v) => s + v * v, 0));
      for (let p = 0; p < 784; p++) expect(Math.abs(x[r * 784 + p] - (28 * c[p]) / norm)).toBeLessThan(1e-12);
    });
    check(ds.x.data, tr);
    check(ds.xTest.data, te);
    tr.forEach((id, r) => expect(ds.y.data[r]).toBe(2 * ((id % 10) % 2) - 1));
    const digits = loadData(spec({ labels: 'digit', outputs: 10 }));
    te.forEach((id, r) => expect(Array.from(digits.yTest.data.subarray(r * 10, r * 10 + 10))).toEqual(Array.from({ length: 10 }, (_, a) => (a === id % 10 ? 1 : 0))));
  });

  it('refuses with an input error naming the Debian package when its files are absent', () => {
    process.env.WIDELIMIT_FASHION_MNIST_DIR = mkdtempSync(join(tmpdir(), 'fashion-none-'));
    expect(() => loadData(spec())).toThrow(InputError);
    expect(() => loadData(spec())).toThrow(/data\.source.*dataset-fashion-mnist/);
  });

  it('refuses a corrupt idx file and a set too small for n + nTest', () => {
    const dir = fakeFolder(10, 5);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), gzipSync(Buffer.from([0, 0, 8, 3, 0, 0, 0, 1, 0])));
    expect(() => fashionMnistPool(dir)).toThrow(/not an idx file/);
    process.env.WIDELIMIT_FASHION_MNIST_DIR = fakeFolder(10, 5);
    expect(() => loadData(spec({ n: 12, nTest: 5 }))).toThrow(/exceeds the 15 images/);
  });

  it('is a spec source with parity (k = 1) or digit (k = 10) labels, forbidding targets', () => {
    expect(parseSpec({ data: { source: 'fashion-mnist', labels: 'digit' } }).data.outputs).toBe(10);
    expect(() => parseSpec({ data: { source: 'fashion-mnist', target: 'sign' } })).toThrow(/data\.target/);
  });

  // The real package (installed by .ci/run; skipped on a machine without it unless CI is set).
  const installed = existsSync('/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz');
  it.skipIf(!installed && process.env.CI !== 'true')('reads the 70 000 images of Debian\'s dataset-fashion-mnist, 7000 per class', () => {
    const pool = fashionMnistPool('/usr/share/datasets/fashion-mnist');
    expect(pool.classes.length).toBe(70000);
    const counts = new Array(10).fill(0);
    pool.classes.forEach((c) => counts[c]++);
    expect(counts).toEqual(new Array(10).fill(7000));
    // the first labels of the two files, as published with the data set (9 = ankle boot)
    expect(Array.from(pool.classes.subarray(0, 4))).toEqual([9, 0, 0, 3]);
    expect(Array.from(pool.classes.subarray(60000, 60004))).toEqual([9, 2, 1, 1]);
  });
});
