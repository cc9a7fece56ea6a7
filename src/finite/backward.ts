/**
 * Reverse mode through the cached forward pass (forward.ts), written out by hand.
 *
 * For a scalar S whose gradient with respect to the output, G = ∂S/∂F (n×k), is placed in
 * `ws.delta[L]`, with Δ^l = ∂S/∂Z^l (n × n_l) and layers 0..L:
 *
 *   ∂S/∂W^l = m_l (Δ^l)ᵀ A^{l−1}            (n_l × n_{l−1}, gemm TN)
 *   ∂S/∂b^l = β_l Σ_i Δ^l_{i,:}              (n_l)
 *   Δ^{l−1} = (m_l Δ^l W^l) ∘ φ'(Z^{l−1})    (n × n_{l−1}, gemm NN)
 *
 * which is the chain rule applied to `Z^l = m_l A^{l−1} (W^l)ᵀ + β_l 1 (b^l)ᵀ`, `A = φ(Z)`.
 * No allocation: all buffers are in the workspace and in `grads`.
 */
import { gemm } from '../core/gemm.js';
import type { Mat } from '../core/matrix.js';
import type { Architecture } from './architecture.js';
import type { ForwardWorkspace } from './forward.js';
import type { Params } from './params.js';

/**
 * Backpropagate the seed in `ws.delta[L]` through the pass cached in `ws` (run
 * `forwardCached(…, withDerivative = true)` on the same `params` and `x` first). Fills
 * `ws.delta[l]` for every layer and, when `grads` is given, writes ∂S/∂W^l and ∂S/∂b^l into it.
 */
export function backward(
  arch: Architecture,
  params: Params,
  x: Mat,
  ws: ForwardWorkspace,
  grads?: Params,
): void {
  const L = arch.layers.length - 1;
  for (let l = L; l >= 0; l--) {
    const lay = arch.layers[l];
    const delta = ws.delta[l];
    if (grads) {
      const prev = l === 0 ? x : ws.act[l - 1];
      gemm(true, false, lay.multiplier, delta, prev, 0, grads.W[l]);
      const gb = grads.b[l];
      if (gb && lay.bias) columnSums(delta, lay.bias.multiplier, gb);
    }
    if (l > 0) {
      const below = ws.delta[l - 1];
      if (lay.nOut <= 4) {
        narrowDelta(delta, params.W[l], lay.multiplier, ws.dphi[l - 1], below);
      } else {
        gemm(false, false, lay.multiplier, delta, params.W[l], 0, below);
        const d = below.data, phi = ws.dphi[l - 1].data;
        for (let i = 0; i < d.length; i++) d[i] *= phi[i];
      }
    }
  }
}

/**
 * below = (m Δ W) ∘ φ' for a layer with few outputs (Δ is n×k, k ≤ 4, typically the output
 * layer): one fused pass instead of a product and a multiply.
 */
function narrowDelta(delta: Mat, w: Mat, m: number, phi: Mat, below: Mat): void {
  const { rows: n, cols: k } = delta;
  const h = w.cols, dd = delta.data, wd = w.data, pd = phi.data, out = below.data;
  for (let i = 0; i < n; i++) {
    const o = i * h;
    if (k === 1) {
      const c = m * dd[i];
      for (let j = 0; j < h; j++) out[o + j] = c * wd[j] * pd[o + j];
    } else {
      for (let j = 0; j < h; j++) {
        let s = 0;
        for (let a = 0; a < k; a++) s += dd[i * k + a] * wd[a * h + j];
        out[o + j] = m * s * pd[o + j];
      }
    }
  }
}

/** out[j] = s Σ_i M[i, j]. */
function columnSums(m: Mat, s: number, out: Float64Array): void {
  out.fill(0);
  const { rows, cols, data } = m;
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) out[j] += data[o + j];
  }
  if (s !== 1) for (let j = 0; j < cols; j++) out[j] *= s;
}
