/**
 * Activation-pattern change of a ReLU network between two parameter sets (initialization and the
 * end of training), the quantities of theory/finite-width.md#motion-theory: per hidden layer, on the
 * training inputs and on the test inputs, the fraction of units whose sign of the pre-activation
 * changed ("flip") and the fraction lost from the active set ("drop" = −(active after − active
 * before) / units), each averaged over the inputs of the set. The theory predicts flips ∝ h^{−1/2}
 * everywhere, a coherent drop ∝ h^{−1/2} at the training inputs (units sliding at the kink of their
 * own input) and no drop at that order at the test inputs.
 */
import { InputError } from '../../core/errors.js';
import { type Mat, mat } from '../../core/matrix.js';
import type { Architecture } from '../../finite/architecture.js';
import { createWorkspace, forwardCached, slopeFromActivation } from '../../finite/fused/forward.js';
import type { Params } from '../../finite/params.js';

/** The four statistics of one hidden layer, in this order in {@link patternChange}'s output. */
export const PATTERN_STATS = ['flipTrain', 'flipTest', 'dropTrain', 'dropTest'] as const;

/** Whether the sign of a pre-activation can be read from φ(Z) > 0 (relu, leaky relu). */
export function patternsSupported(arch: Architecture): boolean {
  return arch.activation.family.kind === 'abrelu' && slopeFromActivation(arch.activation);
}

/** [Z > 0] of every hidden layer on the rows of x, read from φ(Z) > 0 (valid when patternsSupported). */
function signs(arch: Architecture, params: Params, x: Mat): Uint8Array[] {
  const ws = createWorkspace(arch, x.rows);
  forwardCached(arch, params, x, ws, false);
  return ws.act.map((a) => Uint8Array.from(a.data, (v) => (v > 0 ? 1 : 0)));
}

/**
 * Per hidden layer l, entries 4l … 4l+3: flipTrain, flipTest, dropTrain, dropTest (see the module
 * comment) between `before` and `after`, on the first `nTrain` rows of x (training inputs) and the
 * rest (test inputs; NaN when there are none).
 */
export function patternChange(arch: Architecture, before: Params, after: Params, x: Mat, nTrain: number): number[] {
  if (!patternsSupported(arch)) throw new InputError('params.patterns', `needs a relu or leaky-relu network (got ${arch.activation.name})`);
  const s0 = signs(arch, before, x), s1 = signs(arch, after, x);
  const out: number[] = [];
  for (let l = 0; l < s0.length; l++) {
    const w = s0[l].length / x.rows;
    const part = (lo: number, hi: number): [number, number] => {
      if (hi <= lo) return [NaN, NaN];
      let flip = 0, net = 0;
      for (let i = lo * w; i < hi * w; i++) {
        flip += s0[l][i] !== s1[l][i] ? 1 : 0;
        net += s1[l][i] - s0[l][i];
      }
      const cells = (hi - lo) * w;
      return [flip / cells, -net / cells];
    };
    const [ft, dt] = part(0, nTrain), [fs, ds] = part(nTrain, x.rows);
    out.push(ft, fs, dt, ds);
  }
  return out;
}

/** The training and test inputs stacked (n + n*) × d. */
export function stackInputs(x: Mat, xTest: Mat): Mat {
  const all = mat(x.rows + xTest.rows, x.cols);
  all.data.set(x.data, 0);
  all.data.set(xTest.data, x.rows * x.cols);
  return all;
}
