/**
 * Forward pass and vector–Jacobian product of any composition of dense, φ, conv2d and pool layers
 * (layer.ts) on a batch of n inputs at once — the reading of the layers that trains a
 * convolutional network (the fused MLP trainer of src/finite/fused runs dense layers only). The
 * same maps as the one-input reference (reference.ts), batched: conv2d as one matrix product over
 * all n images (src/finite/conv/im2col.ts), pool through src/finite/conv/pool.ts, dense layers as
 * plain loops. Checked against the reference on
 * every input (test/finite/layers/conv.test.ts). Residual blocks are not read here.
 *
 * Activations are stored sample-major (n × size, images channel-major), so the n × d input matrix
 * is the first layer's input as it is.
 */
import { InputError } from '../../core/errors.js';
import { type Mat, mat } from '../../core/matrix.js';
import { convForwardGemm, convVjpGemm } from '../conv/im2col.js';
import { avgPoolForward, avgPoolVjp, globalAvgPoolForward, globalAvgPoolVjp } from '../conv/pool.js';
import type { Params } from '../params.js';
import type { DenseLayer, Serial } from './layer.js';

/** g ↦ gᵀ ∂out/∂in for the whole batch, adding the layer's parameter gradients into `grads`. */
type Pullback = (g: Float64Array, grads: Params) => Float64Array;

export interface BatchedTape {
  readonly n: number;
  readonly pullbacks: readonly Pullback[];
}

function denseBatch(lay: DenseLayer, i: number, p: Params, n: number, a: Float64Array): [Float64Array, Pullback] {
  const W = p.W[i].data, b = p.b[i], nIn = lay.nIn, nOut = lay.nOut, m = lay.multiplier;
  const beta = lay.bias && b ? lay.bias.multiplier : 0;
  const z = new Float64Array(n * nOut);
  for (let s = 0; s < n; s++) {
    for (let j = 0; j < nOut; j++) {
      let acc = 0;
      for (let q = 0; q < nIn; q++) acc += W[j * nIn + q] * a[s * nIn + q];
      z[s * nOut + j] = m * acc + (beta && b ? beta * b[j] : 0);
    }
  }
  const pullback: Pullback = (g, grads) => {
    const gW = grads.W[i].data, gb = grads.b[i], ga = new Float64Array(n * nIn);
    for (let s = 0; s < n; s++) {
      for (let j = 0; j < nOut; j++) {
        const gj = m * g[s * nOut + j];
        if (gb && beta) gb[j] += beta * g[s * nOut + j];
        for (let q = 0; q < nIn; q++) {
          gW[j * nIn + q] += gj * a[s * nIn + q];
          ga[s * nIn + q] += gj * W[j * nIn + q];
        }
      }
    }
    return ga;
  };
  return [z, pullback];
}

/** Raw output F (n × k) of `net` on the rows of `x`, and the tape for {@link batchedVjp}. */
export function batchedForward(net: Serial, p: Params, x: Mat): { F: Mat; tape: BatchedTape } {
  const n = x.rows, pullbacks: Pullback[] = [];
  let a = x.data, i = 0;
  for (const lay of net.layers) {
    if (lay.kind === 'dense') {
      const [z, pb] = denseBatch(lay, i++, p, n, a);
      pullbacks.push(pb);
      a = z;
    } else if (lay.kind === 'conv2d') {
      const li = i++, beta = lay.bias ? lay.bias.multiplier : 0;
      const { z, cols } = convForwardGemm(lay.shape, n, a, p.W[li].data, lay.bias ? p.b[li] : null, lay.multiplier, beta);
      a = z;
      pullbacks.push((g, grads) => convVjpGemm(lay.shape, n, cols, p.W[li].data, lay.multiplier, beta, g, grads.W[li].data, lay.bias ? grads.b[li] : null));
    } else if (lay.kind === 'pool') {
      const { channels: c, height: h, width: w, window: q } = lay, len = a.length;
      if (q === 0) {
        a = globalAvgPoolForward(n, c, h * w, a, new Float64Array(n * c));
        pullbacks.push((g) => globalAvgPoolVjp(n, c, h * w, g, new Float64Array(len)));
      } else {
        a = avgPoolForward(n, c, h, w, q, a, new Float64Array(len / (q * q)));
        pullbacks.push((g) => avgPoolVjp(n, c, h, w, q, g, new Float64Array(len)));
      }
    } else if (lay.kind === 'activation') {
      const z = a, { f, df } = lay.activation;
      a = new Float64Array(z.length);
      for (let j = 0; j < z.length; j++) a[j] = f(z[j]);
      pullbacks.push((g) => {
        const out = new Float64Array(g.length);
        for (let j = 0; j < g.length; j++) out[j] = g[j] * df(z[j]);
        return out;
      });
    } else if (lay.kind === 'residual') {
      throw new InputError('model', 'the batched reading runs plain chains: residual blocks are read by the linear trainer (linear.ts)');
    }
  }
  if (a.length !== n * net.outputDim) throw new RangeError(`batchedForward: the last layer gives ${a.length / n} values per input, expected ${net.outputDim}`);
  return { F: mat(n, net.outputDim, a), tape: { n, pullbacks } };
}

/** Add dFᵀ ∂F/∂θ (dF: n × k, the cotangent of F) into `grads` (zero them first for a plain gradient). */
export function batchedVjp(tape: BatchedTape, dF: Mat, grads: Params): void {
  let g = dF.data;
  for (let l = tape.pullbacks.length - 1; l >= 0; l--) g = tape.pullbacks[l](g, grads);
}
