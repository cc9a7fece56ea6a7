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
 */
import type { Activation } from '../activation.js';
import type { LayerParams } from '../architecture.js';

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

export type Layer = DenseLayer | ActivationLayer | ResidualLayer | OutputLayer;

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
