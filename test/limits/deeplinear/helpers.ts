/** Small fixtures shared by the deep-linear tests. */
import { eigh } from '../../../src/core/eigh.js';
import { type Mat, mat } from '../../../src/core/matrix.js';
import { Rng } from '../../../src/core/rng.js';
import type { Dataset } from '../../../src/data/dataset.js';
import { type DeepLinearArchitecture, type DeepLinearProblem, inputKernel } from '../../../src/limits/deeplinear/problem.js';

/** Random inputs (P×D, N(0,1)) and targets, as a problem of the given shape. */
export function randomProblem(seed: string, P: number, D: number, o: { depth: number; gamma0: number; lr: number; steps: number; architecture?: DeepLinearArchitecture }):
  { problem: DeepLinearProblem; X: Mat } {
  const rng = new Rng(seed);
  const X = mat(P, D);
  rng.child('x').fillNormal(X.data);
  const y = rng.child('y').fillNormal(new Float64Array(P));
  return { problem: { kx: inputKernel(X, X), y, depth: o.depth, gamma0: o.gamma0, lr: o.lr, steps: o.steps, architecture: o.architecture ?? { kind: 'plain' } }, X };
}

/** A random n×n orthogonal matrix (eigenvectors of a random symmetric matrix). */
export function randomOrthogonal(n: number, rng: Rng): Mat {
  const a = mat(n, n);
  rng.fillNormal(a.data);
  const s = mat(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s.data[i * n + j] = a.data[i * n + j] + a.data[j * n + i];
  return eigh(s).vectors;
}

/** Whitened inputs X = √D Q (P = D points, XᵀX/P = I and XXᵀ/D = I) with targets y = X w (k = 1). */
export function whitenedLinearData(D: number, w: ArrayLike<number>, rng: Rng, nTest = 0): Dataset {
  const Q = randomOrthogonal(D, rng);
  const X = mat(D, D);
  for (let i = 0; i < D * D; i++) X.data[i] = Math.sqrt(D) * Q.data[i];
  const lin = (A: Mat) => {
    const y = mat(A.rows, 1);
    for (let i = 0; i < A.rows; i++) { let s = 0; for (let j = 0; j < D; j++) s += A.data[i * D + j] * w[j]; y.data[i] = s; }
    return y;
  };
  const xTest = mat(nTest, D);
  rng.child('xTest').fillNormal(xTest.data);
  return { x: X, y: lin(X), xTest, yTest: lin(xTest), description: `whitened, D = ${D}` };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`lengths ${a.length} and ${b.length} differ`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
