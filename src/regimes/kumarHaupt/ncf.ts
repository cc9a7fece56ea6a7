/**
 * The neural correlation function (NCF) of Kumar & Haupt 2024 (arXiv 2403.08121, Eq. (3);
 * theory/kumar-haupt.md) and the square loss, on a fixed data set (X: n×d, y: n×k):
 *
 *   N(u) = yᵀ H(X; u) = Σ_i Σ_a y_ia H_a(x_i; u),      Loss(w) = ½ ‖H(X; w) − y‖²,
 *
 * both through the trainer's forward and backward passes (src/finite/fused/forward.ts, backward.ts):
 * ∇N is one backward pass seeded with ∂N/∂F = y, ∇Loss one seeded with ∂Loss/∂F = H − y.
 * Vectors are flat weight vectors (homogeneous.ts). Buffers are allocated once per instance; a
 * method's result is valid until the next call.
 */
import { type Mat, mat } from '../../core/matrix.js';
import { backward } from '../../finite/fused/backward.js';
import { type ForwardWorkspace, createWorkspace, forwardCached } from '../../finite/fused/forward.js';
import { type Params, viewParams } from '../../finite/params.js';
import type { HomogeneousNet } from './homogeneous.js';

export interface CorrelationProblem {
  readonly net: HomogeneousNet;
  /** N(u). */
  value(u: Float64Array): number;
  /** ∇N(u) into `out` (length P); returns N(u). */
  gradient(u: Float64Array, out: Float64Array): number;
  /** H(X; w), n×k (a view into the workspace). */
  outputs(w: Float64Array): Mat;
  /**
   * Gradient of ½‖H(X; δ v) − y‖² in the rescaled variables of flow.ts: writes
   * g = J(v)ᵀ(δ^p H(X; v) − y) into `out` (so ∇_w Loss(δv) = δ^{p−1} g); returns ½‖δ^p H(v) − y‖².
   */
  scaledLossGradient(v: Float64Array, delta: number, out: Float64Array): number;
}

export function correlationProblem(net: HomogeneousNet, x: Mat, y: Mat): CorrelationProblem {
  const { arch } = net;
  if (x.cols !== arch.inputDim || y.cols !== arch.outputDim || x.rows !== y.rows) {
    throw new RangeError(`correlationProblem: data ${x.rows}×${x.cols} → ${y.rows}×${y.cols} does not fit the network ${arch.inputDim} → ${arch.outputDim}`);
  }
  const ws: ForwardWorkspace = createWorkspace(arch, x.rows);
  const seed = ws.delta[arch.layers.length - 1].data;
  const view = (w: Float64Array): Params => viewParams(arch, w);
  const forward = (w: Float64Array, deriv: boolean) => forwardCached(arch, view(w), x, ws, deriv);
  const grad = (w: Float64Array, out: Float64Array) => {
    backward(arch, view(w), x, ws, viewParams(arch, out));
  };
  return {
    net,
    value(u) {
      const F = forward(u, false);
      return dot(F.data, y.data);
    },
    gradient(u, out) {
      const F = forward(u, true);
      seed.set(y.data);
      grad(u, out);
      return dot(F.data, y.data);
    },
    outputs(w) {
      const F = forward(w, false);
      return mat(F.rows, F.cols, F.data);
    },
    scaledLossGradient(v, delta, out) {
      const F = forward(v, true);
      const dp = Math.pow(delta, net.degree);
      let loss = 0;
      for (let i = 0; i < seed.length; i++) {
        const r = dp * F.data[i] - y.data[i];
        seed[i] = r;
        loss += r * r;
      }
      grad(v, out);
      return 0.5 * loss;
    },
  };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
