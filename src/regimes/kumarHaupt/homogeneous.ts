/**
 * The homogeneous network of Kumar & Haupt 2024 (arXiv 2403.08121, §2; theory/kumar-haupt.md):
 *
 *   H(x; w) = W^{L+1} φ(W^L ⋯ φ(W^1 x)),   no biases, multipliers 1,
 *
 * with φ positively homogeneous of degree 1 (ABReLU: leaky ReLU, ReLU, abs; or the identity),
 * so that H(x; c w) = c^p H(x; w) for c > 0 with p = L + 1, the number of weight layers
 * (theory/kumar-haupt.md#homogeneity). It is the library's explicit abc parameterization with
 * a = b = c = 0 and no bias: the trainable values *are* the weights of H.
 *
 * Weights are handled as one flat vector w (length P, layout of src/finite/params.ts: W^1
 * row-major, W^2, …), which is what the flow and the KKT search work on.
 */
import { InputError, requirePositiveInt, show } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import type { Activation } from '../../finite/activation.js';
import type { Architecture } from '../../finite/architecture.js';
import { buildArchitecture } from '../../finite/parameterization.js';
import { initParams, paramLayout } from '../../finite/params.js';

export interface HomogeneousNet {
  arch: Architecture;
  /** p: degree of homogeneity of H in all weights (= number of weight layers). */
  degree: number;
  /** P: number of weights. */
  size: number;
}

/** A bias-free, multiplier-1 network of `depth` hidden layers of width h (degree p = depth + 1). */
export function homogeneousNet(inputDim: number, outputDim: number, width: number, depth: number, activation: Activation): HomogeneousNet {
  requirePositiveInt('model.width', width);
  requirePositiveInt('model.depth', depth);
  const fam = activation.family;
  if (fam.kind !== 'abrelu' && fam.kind !== 'identity') {
    throw new InputError('model.activation', `must be positively homogeneous of degree 1 (leaky_relu:<slope>, relu, abs, identity), got ${show(activation.name)}`);
  }
  const arch = buildArchitecture({
    inputDim, outputDim, width, depth, activation, parameterization: { a: 0, b: 0, c: 0 }, biasStd: 0,
  });
  return { arch, degree: depth + 1, size: paramLayout(arch).size };
}

/**
 * A unit initial direction ŵ (‖ŵ‖ = 1): each layer drawn N(0, 1) from `rng.child('layer/' + l)`
 * (src/finite/params.ts), then rescaled to ‖W^l‖ = 1/√p, so that the layers are balanced — the
 * balance every KKT point of the NCF on the sphere has (theory/kumar-haupt.md#balance).
 */
export function balancedUnitDirection(net: HomogeneousNet, rng: Rng): Float64Array {
  const p = initParams(net.arch, rng);
  const out = new Float64Array(net.size);
  let o = 0;
  const target = 1 / Math.sqrt(p.W.length);
  for (const w of p.W) {
    let s = 0;
    for (let i = 0; i < w.data.length; i++) s += w.data[i] * w.data[i];
    const f = target / Math.sqrt(s);
    for (let i = 0; i < w.data.length; i++) out[o + i] = f * w.data[i];
    o += w.data.length;
  }
  return out;
}
