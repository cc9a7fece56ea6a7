/**
 * Synthetic data of the benchmark: Gaussian inputs `x ~ N(0, I_d)` and a teacher-ReLU target
 * `y = (1/√q) Σ_{j<q} relu(v_j·x/√d)` with q = 4 random teachers `v_j ~ N(0, I_d)`, centred
 * by its mean over the training set. Only the sizes matter for timing; the same arrays are handed
 * to the peer.
 */
import { mat, type Mat } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import type { Dataset } from '../../src/data/dataset.js';

export function gaussianInputs(n: number, d: number, rng: Rng): Mat {
  const x = mat(n, d);
  rng.fillNormal(x.data);
  return x;
}

/** Teacher-ReLU targets (n × 1) for inputs x (n × d). */
export function teacherTargets(x: Mat, teacher: Mat): Mat {
  const { rows: n, cols: d } = x;
  const q = teacher.rows;
  const y = mat(n, 1);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < q; j++) {
      let u = 0;
      for (let p = 0; p < d; p++) u += teacher.data[j * d + p] * x.data[i * d + p];
      s += Math.max(0, u / Math.sqrt(d));
    }
    y.data[i] = s / Math.sqrt(q);
  }
  return y;
}

/** A Gaussian data set with teacher-ReLU targets; `seed` names the stream. */
export function benchDataset(n: number, nTest: number, d: number, seed: string): Dataset {
  const rng = new Rng(`bench/data/${seed}`);
  const teacher = gaussianInputs(4, d, rng.child('teacher'));
  const x = gaussianInputs(n, d, rng.child('x'));
  const xTest = gaussianInputs(nTest, d, rng.child('xTest'));
  const y = teacherTargets(x, teacher);
  const yTest = teacherTargets(xTest, teacher);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y.data[i] / n;
  for (let i = 0; i < n; i++) y.data[i] -= mean;
  for (let i = 0; i < nTest; i++) yTest.data[i] -= mean;
  return { x, y, xTest, yTest, description: `bench: gaussian n=${n} nTest=${nTest} d=${d}, teacher-relu (4 neurons)` };
}
