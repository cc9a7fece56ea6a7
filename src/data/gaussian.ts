/**
 * The `gaussian` source (theory/data.md#gaussian): inputs x ~ N(0, I_d), targets from
 * `target.ts`, optional label noise on the training targets.
 *
 * Streams of `new Rng(data.seed)`: `x` (training inputs, row-major), `xTest` (test inputs),
 * `teacher` (the target's random parts; output j from `teacher/j`), `noise` (training label
 * noise). Each stream is independent of the others, so e.g. changing n does not change the
 * teacher, and changing nTest does not change the training set.
 */
import { requireNonNegative } from '../core/errors.js';
import { mat } from '../core/matrix.js';
import { Rng } from '../core/rng.js';
import type { DataSpec } from '../spec/types.js';
import type { Dataset } from './dataset.js';
import { drawTarget, evaluateTarget, parseTarget } from './target.js';

export function gaussianData(d: DataSpec): Dataset {
  const rng = new Rng(d.seed);
  const dim = d.dim;
  const k = d.outputs;
  const kind = parseTarget(d.target, dim, k);
  const x = mat(d.n, dim);
  rng.child('x').fillNormal(x.data);
  const xTest = mat(d.nTest, dim);
  rng.child('xTest').fillNormal(xTest.data);
  const target = drawTarget(kind, dim, k, rng.child('teacher'));
  const y = evaluateTarget(target, x);
  const yTest = evaluateTarget(target, xTest);
  const noise = requireNonNegative('data.noise', d.noise ?? 0);
  if (noise > 0) {
    const nr = rng.child('noise');
    for (let i = 0; i < y.data.length; i++) y.data[i] += noise * nr.normal();
  }
  const noiseText = noise > 0 ? `, label noise std ${noise} (train only)` : '';
  return {
    x,
    y,
    xTest,
    yTest,
    description: `gaussian: x ~ N(0, I_${dim}), n=${d.n}, nTest=${d.nTest}, target ${d.target}, k=${k}, seed ${d.seed}${noiseText}`,
  };
}
