/**
 * A small convolutional network for the finite trainer (theory/finite.md#convolution), built from
 * the self-contained layers of conv2d.ts and pool.ts:
 *
 *   a⁰ = x (C₀ × H × W),  a^l = pool(φ(conv_l(a^{l−1}))) for l = 1..L (h channels each),
 *   F(x) = m_out · W_out · gap(a^L) + β b_out      (gap: global average over positions),
 *
 * NTK/Geiger scaling: weights and biases ~ N(0, 1), multipliers `σ/√(C_in·k²)` (conv) and `σ/√h`
 * (read-out), bias multiplier `biasStd` (0: no biases), so h, the number of channels, is the width.
 * Parameters are one flat Float64Array in the order of {@link convNetLayout}. This module gives the
 * forward pass, its vector–Jacobian product and the empirical tangent kernel J·Jᵀ; training with the
 * α-scaled loss is the caller's (f = α(F − F₀), Loss/α², theory/conventions.md#output-scale).
 */
import { type Mat, mat } from '../../core/matrix.js';
import type { Rng } from '../../core/rng.js';
import type { Activation } from '../activation.js';
import { type Conv2dShape, conv2dForward, conv2dVjp, convOutputSize, convWeightCount } from './conv2d.js';
import { avgPoolForward, avgPoolVjp, globalAvgPoolForward, globalAvgPoolVjp } from './pool.js';

export interface ConvNetSpec {
  /** Input channels, height, width (MNIST: 1, 28, 28). */
  readonly inChannels: number;
  readonly height: number;
  readonly width: number;
  /** h: channels of every convolution (the width). */
  readonly channels: number;
  /** L: number of convolution layers. */
  readonly convLayers: number;
  /** Odd kernel size k ('same' padding (k − 1)/2). */
  readonly kernel: number;
  /** 'avg': 2×2 average pooling after each convolution while the size is even; 'none': global pooling only. */
  readonly pool: 'avg' | 'none';
  /** k: outputs. */
  readonly outputs: number;
  readonly activation: Activation;
  /** σ of the multipliers. */
  readonly weightStd: number;
  /** Bias multiplier β (0: no biases). */
  readonly biasStd: number;
}

/** One convolution stage: its shape, multiplier, whether it pools, and parameter offsets. */
export interface ConvStage {
  shape: Conv2dShape;
  multiplier: number;
  pooled: boolean;
  /** Size after pooling. */
  outHeight: number;
  outWidth: number;
  wOffset: number;
  bOffset: number;
}

export interface ConvNetLayout {
  stages: ConvStage[];
  readout: { multiplier: number; wOffset: number; bOffset: number };
  /** Total number of parameters P. */
  total: number;
}

export function convNetLayout(s: ConvNetSpec): ConvNetLayout {
  if (s.kernel % 2 !== 1) throw new RangeError(`convNet: kernel size must be odd, got ${s.kernel}`);
  const stages: ConvStage[] = [];
  let c = s.inChannels, h = s.height, w = s.width, off = 0;
  const hasBias = s.biasStd !== 0;
  for (let l = 0; l < s.convLayers; l++) {
    const shape: Conv2dShape = { cIn: c, cOut: s.channels, height: h, width: w, kh: s.kernel, kw: s.kernel, pad: (s.kernel - 1) / 2 };
    const o = convOutputSize(shape);
    const pooled = s.pool === 'avg' && o.height % 2 === 0 && o.width % 2 === 0;
    const wOffset = off;
    off += convWeightCount(shape);
    const bOffset = hasBias ? off : -1;
    if (hasBias) off += s.channels;
    stages.push({
      shape, multiplier: s.weightStd / Math.sqrt(c * s.kernel * s.kernel), pooled,
      outHeight: pooled ? o.height / 2 : o.height, outWidth: pooled ? o.width / 2 : o.width, wOffset, bOffset,
    });
    c = s.channels; h = stages[l].outHeight; w = stages[l].outWidth;
  }
  const wOffset = off;
  off += s.outputs * c;
  const bOffset = hasBias ? off : -1;
  if (hasBias) off += s.outputs;
  return { stages, readout: { multiplier: s.weightStd / Math.sqrt(c), wOffset, bOffset }, total: off };
}

/** θ ~ N(0, 1) entrywise, from `rng` (the caller passes a named child stream). */
export function initConvNet(s: ConvNetSpec, rng: Rng): Float64Array {
  return rng.fillNormal(new Float64Array(convNetLayout(s).total), 1);
}

/** What the backward pass needs: per stage its input, pre-activations and post-activation map. */
export interface ConvCache {
  n: number;
  inputs: Float64Array[];
  pre: Float64Array[];
  post: Float64Array[];
  pooledFeatures: Float64Array;
}

/** F(x) for n samples (x: n·C₀·H·W values), n × k; with the cache for {@link convNetVjp}. */
export function convNetForward(s: ConvNetSpec, lay: ConvNetLayout, theta: Float64Array, n: number, x: Float64Array): { F: Mat; cache: ConvCache } {
  const cache: ConvCache = { n, inputs: [], pre: [], post: [], pooledFeatures: new Float64Array(0) };
  let a = x;
  const view = (o: number, len: number) => (o < 0 ? null : theta.subarray(o, o + len));
  for (const st of lay.stages) {
    const o = convOutputSize(st.shape);
    const z = new Float64Array(n * st.shape.cOut * o.height * o.width);
    conv2dForward(st.shape, n, a, view(st.wOffset, convWeightCount(st.shape))!, view(st.bOffset, st.shape.cOut), st.multiplier, s.biasStd, z);
    const act = new Float64Array(z.length);
    for (let i = 0; i < z.length; i++) act[i] = s.activation.f(z[i]);
    cache.inputs.push(a); cache.pre.push(z); cache.post.push(act);
    a = st.pooled ? avgPoolForward(n, st.shape.cOut, o.height, o.width, 2, act, new Float64Array(act.length / 4)) : act;
  }
  const last = lay.stages[lay.stages.length - 1];
  const c = last ? last.shape.cOut : s.inChannels;
  const hw = last ? last.outHeight * last.outWidth : s.height * s.width;
  const g = globalAvgPoolForward(n, c, hw, a, new Float64Array(n * c));
  cache.pooledFeatures = g;
  const F = mat(n, s.outputs);
  const { multiplier: m, wOffset, bOffset } = lay.readout;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < s.outputs; k++) {
      let acc = 0;
      for (let q = 0; q < c; q++) acc += theta[wOffset + k * c + q] * g[i * c + q];
      F.data[i * s.outputs + k] = m * acc + (bOffset >= 0 ? s.biasStd * theta[bOffset + k] : 0);
    }
  }
  return { F, cache };
}

/** ∂(Σ dF ⊙ F)/∂θ: the vector–Jacobian product of {@link convNetForward} (grad written, length P). */
export function convNetVjp(s: ConvNetSpec, lay: ConvNetLayout, theta: Float64Array, cache: ConvCache, dF: Mat, grad = new Float64Array(lay.total)): Float64Array {
  const n = cache.n;
  grad.fill(0);
  const last = lay.stages[lay.stages.length - 1];
  const c = last ? last.shape.cOut : s.inChannels;
  const hw = last ? last.outHeight * last.outWidth : s.height * s.width;
  const { multiplier: m, wOffset, bOffset } = lay.readout;
  const dg = new Float64Array(n * c);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < s.outputs; k++) {
      const d = dF.data[i * s.outputs + k];
      if (bOffset >= 0) grad[bOffset + k] += s.biasStd * d;
      for (let q = 0; q < c; q++) {
        grad[wOffset + k * c + q] += m * d * cache.pooledFeatures[i * c + q];
        dg[i * c + q] += m * d * theta[wOffset + k * c + q];
      }
    }
  }
  let da = globalAvgPoolVjp(n, c, hw, dg, new Float64Array(n * c * hw));
  for (let l = lay.stages.length - 1; l >= 0; l--) {
    const st = lay.stages[l];
    const o = convOutputSize(st.shape);
    const dact = st.pooled ? avgPoolVjp(n, st.shape.cOut, o.height, o.width, 2, da, new Float64Array(n * st.shape.cOut * o.height * o.width)) : da;
    const z = cache.pre[l];
    for (let i = 0; i < dact.length; i++) dact[i] *= s.activation.df(z[i]);
    const dx = l > 0 ? new Float64Array(cache.inputs[l].length) : null;
    conv2dVjp(
      st.shape, n, cache.inputs[l], theta.subarray(st.wOffset, st.wOffset + convWeightCount(st.shape)), st.multiplier, s.biasStd, dact,
      grad.subarray(st.wOffset, st.wOffset + convWeightCount(st.shape)), st.bOffset >= 0 ? grad.subarray(st.bOffset, st.bOffset + st.shape.cOut) : null, dx,
    );
    if (dx) da = dx;
  }
  return grad;
}

/**
 * Empirical tangent kernel Θ̂ = J Jᵀ of F on n samples, (n·k) × (n·k), rows i·k + a: one
 * vector–Jacobian product per output entry gives the Jacobian's rows.
 */
export function convNetNtk(s: ConvNetSpec, lay: ConvNetLayout, theta: Float64Array, n: number, x: Float64Array): Mat {
  const { cache } = convNetForward(s, lay, theta, n, x);
  const nk = n * s.outputs, P = lay.total;
  const J = new Float64Array(nk * P);
  const e = mat(n, s.outputs);
  for (let r = 0; r < nk; r++) {
    e.data.fill(0); e.data[r] = 1;
    J.set(convNetVjp(s, lay, theta, cache, e), r * P);
  }
  const K = mat(nk, nk);
  for (let a = 0; a < nk; a++) {
    for (let b = a; b < nk; b++) {
      let acc = 0;
      for (let p = 0; p < P; p++) acc += J[a * P + p] * J[b * P + p];
      K.data[a * nk + b] = acc; K.data[b * nk + a] = acc;
    }
  }
  return K;
}
