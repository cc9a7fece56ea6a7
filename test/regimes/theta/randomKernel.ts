/** Test fixture for the θ tests: a random n×n positive definite kernel G Gᵀ/n + 0.1 I, G with standard normal entries from the stream `seed`. */
import { type Mat, mat } from '../../../src/core/matrix.js';
import { Rng } from '../../../src/core/rng.js';

export function randomKernel(n: number, seed: string): Mat {
  const rng = new Rng(seed);
  const G = Array.from({ length: n }, () => Array.from({ length: n }, () => rng.normal()));
  const K = mat(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = i === j ? 0.1 : 0;
    for (let k = 0; k < n; k++) s += (G[i][k] * G[j][k]) / n;
    K.data[i * n + j] = s;
  }
  return K;
}
