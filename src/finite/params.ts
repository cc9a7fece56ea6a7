/**
 * Trainable parameters of a finite network (theory/conventions.md#presets): one weight matrix `W^l` (n_l × n_{l−1},
 * the trainable values themselves, multiplier not included) and an optional bias vector `b^l`
 * (length n_l) per layer l = 0..L (0-based index into `arch.layers`).
 *
 * Every `Params` made here is *flat-backed*: all entries live in one Float64Array, layer by
 * layer (W^0 row-major, b^0, W^1, b^1, …), and `W[l].data`, `b[l]` are views into it. The trainer
 * and the ODE integrator work on that flat vector; {@link viewParams} puts the same views on any
 * flat vector of the right length (stage vectors of Runge–Kutta, gradients).
 */
import { largeFloat64Array } from '../core/gemmNative.js';
import { type Mat, mat } from '../core/matrix.js';
import type { Rng } from '../core/rng.js';
import type { Architecture } from './architecture.js';

export interface Params {
  /** W[l]: n_l × n_{l−1}, row-major. */
  W: Mat[];
  /** b[l]: length n_l, or null when layer l has no bias. */
  b: (Float64Array | null)[];
}

/** Offsets of each layer's W and b in the flat vector, and the total length P. */
export interface ParamLayout {
  wOffset: number[];
  /** −1 when the layer has no bias. */
  bOffset: number[];
  size: number;
}

export function paramLayout(arch: Architecture): ParamLayout {
  const wOffset: number[] = [];
  const bOffset: number[] = [];
  let o = 0;
  for (const l of arch.layers) {
    wOffset.push(o);
    o += l.nIn * l.nOut;
    bOffset.push(l.bias ? o : -1);
    if (l.bias) o += l.nOut;
  }
  return { wOffset, bOffset, size: o };
}

/** Params whose W and b are views into `flat` (length P, see {@link paramLayout}). */
export function viewParams(arch: Architecture, flat: Float64Array): Params {
  const lay = paramLayout(arch);
  if (flat.length !== lay.size) throw new RangeError(`viewParams: flat vector has length ${flat.length}, expected ${lay.size}`);
  const W: Mat[] = [];
  const b: (Float64Array | null)[] = [];
  arch.layers.forEach((l, i) => {
    W.push(mat(l.nOut, l.nIn, flat.subarray(lay.wOffset[i], lay.wOffset[i] + l.nIn * l.nOut)));
    b.push(l.bias ? flat.subarray(lay.bOffset[i], lay.bOffset[i] + l.nOut) : null);
  });
  return { W, b };
}

/** Zero parameters (flat-backed) and their flat vector. */
export function allocParams(arch: Architecture): { params: Params; flat: Float64Array } {
  const flat = largeFloat64Array(paramLayout(arch).size);
  return { params: viewParams(arch, flat), flat };
}

/** Copy `p` (any layout, shapes of `arch`) into a new flat-backed Params. */
export function packParams(arch: Architecture, p: Params): { params: Params; flat: Float64Array } {
  const out = allocParams(arch);
  copyParams(p, out.params);
  return out;
}

/** dst ← src (same shapes). */
export function copyParams(src: Params, dst: Params): void {
  for (let l = 0; l < src.W.length; l++) {
    dst.W[l].data.set(src.W[l].data);
    const b = src.b[l];
    if (b) (dst.b[l] as Float64Array).set(b);
  }
}

/**
 * Random initial parameters. Layer l (0-based) draws from the stream `rng.child('layer/' + l)`:
 * first the W^l entries, row-major, from N(initMean_l, s_l²), then the b^l entries from
 * N(0, sb_l²). A layer's values depend only on the seed, l and its own shape.
 */
export function initParams(arch: Architecture, rng: Rng): Params {
  const { params } = allocParams(arch);
  arch.layers.forEach((l, i) => {
    const r = rng.child('layer/' + i);
    r.fillNormal(params.W[i].data, l.initStd, l.initMean);
    const b = params.b[i];
    if (b && l.bias) r.fillNormal(b, l.bias.initStd, 0);
  });
  return params;
}

/** A deep copy (flat-backed). */
export function cloneParams(p: Params): Params {
  let size = 0;
  for (let l = 0; l < p.W.length; l++) size += p.W[l].data.length + (p.b[l]?.length ?? 0);
  const flat = largeFloat64Array(size);
  const W: Mat[] = [];
  const b: (Float64Array | null)[] = [];
  let o = 0;
  for (let l = 0; l < p.W.length; l++) {
    const w = p.W[l];
    const d = flat.subarray(o, o + w.data.length);
    d.set(w.data);
    W.push(mat(w.rows, w.cols, d));
    o += w.data.length;
    const bl = p.b[l];
    if (bl) {
      const bd = flat.subarray(o, o + bl.length);
      bd.set(bl);
      b.push(bd);
      o += bl.length;
    } else b.push(null);
  }
  return { W, b };
}

/** Euclidean norm of all parameters and of each layer's (W^l, b^l). */
export function paramNorm(p: Params): { total: number; perLayer: number[] } {
  const perLayer: number[] = [];
  let total = 0;
  for (let l = 0; l < p.W.length; l++) {
    let s = sumSq(p.W[l].data);
    const b = p.b[l];
    if (b) s += sumSq(b);
    perLayer.push(Math.sqrt(s));
    total += s;
  }
  return { total: Math.sqrt(total), perLayer };
}

/** ‖a − b‖ over all parameters and per layer (same shapes). */
export function paramDistance(a: Params, b: Params): { total: number; perLayer: number[] } {
  if (a.W.length !== b.W.length) throw new RangeError(`paramDistance: ${a.W.length} vs ${b.W.length} layers`);
  const perLayer: number[] = [];
  let total = 0;
  for (let l = 0; l < a.W.length; l++) {
    let s = distSq(a.W[l].data, b.W[l].data);
    const ab = a.b[l], bb = b.b[l];
    if (ab && bb) s += distSq(ab, bb);
    else if (ab || bb) throw new RangeError(`paramDistance: layer ${l} has a bias in one set only`);
    perLayer.push(Math.sqrt(s));
    total += s;
  }
  return { total: Math.sqrt(total), perLayer };
}

function sumSq(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s;
}

function distSq(x: Float64Array, y: Float64Array): number {
  if (x.length !== y.length) throw new RangeError(`paramDistance: lengths ${x.length} and ${y.length} differ`);
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const t = x[i] - y[i];
    s += t * t;
  }
  return s;
}
