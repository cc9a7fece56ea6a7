/**
 * The `fashion-mnist` source (theory/data.md#fashion-mnist): the 70 000 Fashion-MNIST images of
 * Debian's `dataset-fashion-mnist` package (idx files, gzip, in /usr/share/datasets/fashion-mnist;
 * another folder through WIDELIMIT_FASHION_MNIST_DIR). Pool order: the 60 000 training images, then
 * the 10 000 test images, as in the files. Selection, centring and scaling as for `mnist`
 * (src/data/mnist.ts): `new Rng(data.seed).child('fashion-mnist')` permutes the pool, the first n
 * images train, the next nTest test, every image is centred on the training mean and scaled to norm
 * √784. Labels: `parity` → y = 2(class mod 2) − 1 (Geiger et al.'s binary task: classes alternate
 * between the two labels); `digit` → one-hot over the ten classes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../core/errors.js';
import { mat } from '../core/matrix.js';
import { Rng } from '../core/rng.js';
import type { DataSpec } from '../spec/types.js';
import type { Dataset } from './dataset.js';
import { MNIST_DIM, centreOnTrainingMean, labels } from './mnist.js';

export const FASHION_MNIST_PACKAGE = 'dataset-fashion-mnist';
const DEFAULT_DIR = '/usr/share/datasets/fashion-mnist';
const FILES = [
  ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'],
  ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'],
] as const;

/** The folder holding the idx files (the package's, or WIDELIMIT_FASHION_MNIST_DIR). */
export function fashionMnistDir(): string {
  return process.env.WIDELIMIT_FASHION_MNIST_DIR || DEFAULT_DIR;
}

/** Pixels (N×784 bytes) and classes of the pool. */
export interface FashionPool { readonly pixels: Uint8Array; readonly classes: Uint8Array }

const pools = new Map<string, FashionPool>();

/** Parse one idx file (big-endian header: magic 0x0000080N with N dimensions, then the sizes). */
export function parseIdx(buf: Uint8Array, dims: number, what: string): { sizes: number[]; data: Uint8Array } {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.length < 4 + 4 * dims || view.getUint32(0) !== 0x800 + dims) {
    throw new InputError('data.source', `${what} is not an idx file of ${dims} dimension(s) of bytes; reinstall ${FASHION_MNIST_PACKAGE}`);
  }
  const sizes = Array.from({ length: dims }, (_, i) => view.getUint32(4 + 4 * i));
  const count = sizes.reduce((a, b) => a * b, 1);
  const start = 4 + 4 * dims;
  if (buf.length !== start + count) {
    throw new InputError('data.source', `${what} holds ${buf.length - start} bytes, its header says ${count}; reinstall ${FASHION_MNIST_PACKAGE}`);
  }
  return { sizes, data: buf.subarray(start) };
}

/** Load (once per folder) the pool; exit-2 error naming the package when its files are absent. */
export function fashionMnistPool(dir = fashionMnistDir()): FashionPool {
  const hit = pools.get(dir);
  if (hit) return hit;
  const parts: { px: Uint8Array; cls: Uint8Array }[] = [];
  for (const [img, lab] of FILES) {
    const pi = join(dir, img), pl = join(dir, lab);
    if (!existsSync(pi) || !existsSync(pl)) {
      throw new InputError('data.source', `"fashion-mnist" reads ${pi}, which is missing: install Debian's ${FASHION_MNIST_PACKAGE} package (apt-get install ${FASHION_MNIST_PACKAGE}) or set WIDELIMIT_FASHION_MNIST_DIR to a folder with its four idx .gz files`);
    }
    const images = parseIdx(gunzipSync(readFileSync(pi)), 3, pi);
    const classes = parseIdx(gunzipSync(readFileSync(pl)), 1, pl);
    if (images.sizes[1] * images.sizes[2] !== MNIST_DIM || images.sizes[0] !== classes.sizes[0]) {
      throw new InputError('data.source', `${pi}: expected ${classes.sizes[0]} images of 28×28, got ${images.sizes.join('×')}`);
    }
    parts.push({ px: images.data, cls: classes.data });
  }
  const total = parts.reduce((a, p) => a + p.cls.length, 0);
  const pixels = new Uint8Array(total * MNIST_DIM), classes = new Uint8Array(total);
  let row = 0;
  for (const p of parts) { pixels.set(p.px, row * MNIST_DIM); classes.set(p.cls, row); row += p.cls.length; }
  const pool = { pixels, classes };
  pools.set(dir, pool);
  return pool;
}

export function fashionMnistData(d: DataSpec): Dataset {
  const p = fashionMnistPool();
  const total = p.classes.length;
  if (d.n < 2) throw new InputError('data.n', `fashion-mnist needs at least 2 training images (the inputs are centred), got ${d.n}`);
  if (d.n + d.nTest > total) throw new InputError('data.n', `n + nTest = ${d.n + d.nTest} exceeds the ${total} images of fashion-mnist`);
  const perm = new Rng(d.seed).child('fashion-mnist').permutation(total);
  const gather = (from: number, count: number) => {
    const x = mat(count, MNIST_DIM), cls = new Uint8Array(count);
    for (let r = 0; r < count; r++) {
      const i = perm[from + r];
      for (let q = 0; q < MNIST_DIM; q++) x.data[r * MNIST_DIM + q] = p.pixels[i * MNIST_DIM + q] / 255;
      cls[r] = p.classes[i];
    }
    return { x, cls };
  };
  const train = gather(0, d.n), test = gather(d.n, d.nTest);
  centreOnTrainingMean(train.x, test.x);
  const kind = d.labels ?? 'parity';
  return {
    x: train.x, y: labels(train.cls, kind), xTest: test.x, yTest: labels(test.cls, kind),
    description: `fashion-mnist (Debian ${FASHION_MNIST_PACKAGE}): n=${d.n}, nTest=${d.nTest}, labels ${kind}, seed ${d.seed}, centred on the training mean, norm √784`,
  };
}
