/**
 * Parameters of any composition of layers (layer.ts), in the trainer's {@link Params} form: W[i], b[i]
 * of the i-th parameter layer (dense or conv2d, the order of paramLayers), all entries in one flat
 * Float64Array (W^0 row-major, b^0, W^1, …) as params.ts does for MLPs. Initialization follows
 * params.ts's initParams: layer i draws from `rng.child('layer/' + i)`, first W from N(μ_i, s_i²),
 * then b from N(0, sb_i²), so an MLP's layers get the same bits either way.
 */
import { type Mat, mat } from '../../core/matrix.js';
import type { Rng } from '../../core/rng.js';
import type { Params } from '../params.js';
import { type ParamLayer, type Serial, biasLength, paramLayers, weightShape } from './layer.js';

/** Offsets of each parameter layer's W and b (−1: no bias) in the flat vector, and its length P. */
export interface SerialLayout {
  readonly layers: readonly ParamLayer[];
  readonly wOffset: readonly number[];
  readonly bOffset: readonly number[];
  readonly size: number;
}

export function serialLayout(net: Serial): SerialLayout {
  const layers = paramLayers(net.layers);
  const wOffset: number[] = [], bOffset: number[] = [];
  let o = 0;
  for (const l of layers) {
    const { rows, cols } = weightShape(l);
    wOffset.push(o);
    o += rows * cols;
    bOffset.push(l.bias ? o : -1);
    if (l.bias) o += biasLength(l);
  }
  return { layers, wOffset, bOffset, size: o };
}

/** Params whose W and b are views into `flat` (length {@link SerialLayout.size}). */
export function viewSerialParams(lay: SerialLayout, flat: Float64Array): Params {
  if (flat.length !== lay.size) throw new RangeError(`viewSerialParams: flat vector has length ${flat.length}, expected ${lay.size}`);
  const W: Mat[] = [], b: (Float64Array | null)[] = [];
  lay.layers.forEach((l, i) => {
    const { rows, cols } = weightShape(l);
    W.push(mat(rows, cols, flat.subarray(lay.wOffset[i], lay.wOffset[i] + rows * cols)));
    b.push(l.bias ? flat.subarray(lay.bOffset[i], lay.bOffset[i] + biasLength(l)) : null);
  });
  return { W, b };
}

/** Random initial parameters of `net` (see the file comment) and their flat vector. */
export function initSerialParams(net: Serial, rng: Rng): { params: Params; flat: Float64Array } {
  const lay = serialLayout(net);
  const flat = new Float64Array(lay.size);
  const params = viewSerialParams(lay, flat);
  lay.layers.forEach((l, i) => {
    const r = rng.child('layer/' + i);
    r.fillNormal(params.W[i].data, l.initStd, l.initMean);
    const b = params.b[i];
    if (b && l.bias) r.fillNormal(b, l.bias.initStd, 0);
  });
  return { params, flat };
}

/** Per-parameter values of the flat vector: `weight(l)` on W^l's entries, `bias(l)` on b^l's. */
export function perParameter(lay: SerialLayout, weight: (l: ParamLayer) => number, bias: (l: ParamLayer) => number): Float64Array {
  const out = new Float64Array(lay.size);
  lay.layers.forEach((l, i) => {
    const { rows, cols } = weightShape(l);
    out.fill(weight(l), lay.wOffset[i], lay.wOffset[i] + rows * cols);
    if (l.bias) out.fill(bias(l), lay.bOffset[i], lay.bOffset[i] + biasLength(l));
  });
  return out;
}
