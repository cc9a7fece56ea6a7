/**
 * The layer algebra (theory/conventions.md#layer-form; in the spirit of neural-tangents' `stax`): a
 * network is a composition of layers, and every reading of it — the finite forward and
 * vector–Jacobian product (reference.ts, and the fused trainer of src/finite through
 * {@link toArchitecture}), one NNGP/NTK recursion step per layer (kernelMap.ts), the residual
 * linear trainer and the deep-linear limit (linear.ts) — reads this one value.
 *
 * - `dense`: z = m W a + β b with W ~ N(μ, s²), b ~ N(0, sb²), rate multipliers r, rb
 *   (theory/conventions.md#presets); `exponents` records the width exponents when the layer was built
 *   from them (m = cm h^{−a}, s = cs h^{−b}, r = h^{−c}, Yang–Hu 2021, arXiv 2011.14522 §3).
 * - `activation`: a = φ(z), elementwise.
 * - `residual`: h ← skip·h + branch(h), a block whose branch is a composition of layers; `branchScale`
 *   is the factor β the preset put into the branch's multipliers (m = β/√N: depth-μP,
 *   theory/deeplinear.md#residual-kernel) — read by the maps that need β, never applied a second time.
 * - `output`: f = α (F − [centred] F_{θ0}); the loss is divided by α² (theory/conventions.md#presets).
 * - `conv2d`: z = m · conv(W, a) + β b on images (C × H × W, channel-major), stride 1, padding
 *   (k − 1)/2; W ~ N(μ, s²) of shape C_out × (C_in·k·k) (theory/finite.md#convolution).
 * - `pool`: average over p×p windows, or over all positions (`window` 0, global pooling).
 */
import type { Activation } from '../activation.js';
import type { BiasParams, LayerParams } from '../architecture.js';
import type { Conv2dShape } from '../conv/conv2d.js';

/** Width exponents of a dense layer (m = cm·h^{−a}, s = cs·h^{−b}, r = h^{−c}). */
export interface WidthExponents {
  readonly a: number;
  readonly b: number;
  readonly c: number;
}

/** A dense layer: the trainer's per-layer parameters (its multiplier m_l includes any branch scale). */
export interface DenseLayer extends LayerParams {
  readonly kind: 'dense';
  /** Width exponents, when the layer was built from them. */
  readonly exponents?: WidthExponents;
}

export interface ActivationLayer {
  readonly kind: 'activation';
  readonly activation: Activation;
}

export interface ResidualLayer {
  readonly kind: 'residual';
  /** 1: h + branch(h); 0: branch(h) alone (the plain chain, same parameters). */
  readonly skip: 0 | 1;
  /** β, already inside the branch's multipliers (see the file comment). */
  readonly branchScale: number;
  readonly branch: readonly Layer[];
  /** Depth-μP blocks: β = β0/√blocks (theory/deeplinear.md#residual-kernel); the maps that need β0 read it here. */
  readonly depthScaled?: { readonly beta0: number; readonly blocks: number };
}

export interface OutputLayer {
  readonly kind: 'output';
  /** α. */
  readonly alpha: number;
  /** f = α (F − F_{θ0}). */
  readonly centred: boolean;
}

/** A 2-D convolution: the trainer's numbers of a dense layer, on a weight of shape C_out × (C_in·kh·kw). */
export interface ConvLayer {
  readonly kind: 'conv2d';
  readonly shape: Conv2dShape;
  /** m (σ_w/√(C_in·k²) in the NTK scaling: the channels are the width). */
  readonly multiplier: number;
  readonly initStd: number;
  readonly initMean: number;
  readonly rate: number;
  readonly bias: BiasParams | null;
}

/** Average pooling of a C × H × W image over p×p windows (`window` p), or over all positions (`window` 0). */
export interface PoolLayer {
  readonly kind: 'pool';
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly window: number;
}

export type Layer = DenseLayer | ActivationLayer | ResidualLayer | OutputLayer | ConvLayer | PoolLayer;

/** A layer with trainable parameters (a weight matrix, an optional bias). */
export type ParamLayer = DenseLayer | ConvLayer;

/** Rows and columns of a parameter layer's weight matrix (dense: n_out × n_in; conv: C_out × C_in·kh·kw). */
export function weightShape(l: ParamLayer): { rows: number; cols: number } {
  return l.kind === 'dense' ? { rows: l.nOut, cols: l.nIn } : { rows: l.shape.cOut, cols: l.shape.cIn * l.shape.kh * l.shape.kw };
}

/** Length of the bias of a parameter layer (its output units or channels). */
export function biasLength(l: ParamLayer): number {
  return l.kind === 'dense' ? l.nOut : l.shape.cOut;
}

/** Parameter layers (dense and convolution) of `layers` in order, residual branches included. */
export function paramLayers(layers: readonly Layer[]): ParamLayer[] {
  return layers.flatMap((l) => (l.kind === 'dense' || l.kind === 'conv2d' ? [l] : l.kind === 'residual' ? paramLayers(l.branch) : []));
}

/** True when `layers` hold a convolution or a pooling layer. */
export function hasConvLayers(layers: readonly Layer[]): boolean {
  return layers.some((l) => l.kind === 'conv2d' || l.kind === 'pool' || (l.kind === 'residual' && hasConvLayers(l.branch)));
}

/** A network: the composition of `layers`, input dimension d, output dimension k. */
export interface Serial {
  readonly inputDim: number;
  readonly outputDim: number;
  /** h, the width the layers were built at. */
  readonly width: number;
  readonly layers: readonly Layer[];
  /** Name of the preset that built it (`ntk`, `meanfield`, …, `abc`). */
  readonly preset: string;
  /** ip-llr: rates of the first optimization step, per dense layer (weights, biases). */
  readonly firstStepRates?: { readonly weights: readonly number[]; readonly biases: readonly number[] };
}

/** Dense layers of `layers` in order, residual branches included. */
export function denseLayers(layers: readonly Layer[]): DenseLayer[] {
  return layers.flatMap((l) => (l.kind === 'dense' ? [l] : l.kind === 'residual' ? denseLayers(l.branch) : []));
}

/** The output layer of `net` (α = 1, not centred when there is none). */
export function outputOf(net: Serial): OutputLayer {
  const o = net.layers.find((l): l is OutputLayer => l.kind === 'output');
  return o ?? { kind: 'output', alpha: 1, centred: false };
}

/** The dense–φ–…–dense–output chain of an MLP with L hidden layers: dense layers 0..L, φ between. */
export function mlp(dense: readonly DenseLayer[], activation: Activation, output: OutputLayer): Layer[] {
  const out: Layer[] = [];
  dense.forEach((d, l) => {
    out.push(d);
    if (l < dense.length - 1) out.push({ kind: 'activation', activation });
  });
  out.push(output);
  return out;
}
