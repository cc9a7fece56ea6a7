/**
 * What a parameterization preset is (theory/conventions.md#presets): a function from the network's sizes and
 * the model options to its dense layers (m_l, s_l, μ_l, r_l, bias), plus what the other readings
 * need to know about it. A new preset is one file in this folder and one line in index.ts.
 */
import type { Activation } from '../../activation.js';
import type { BiasParams } from '../../architecture.js';
import type { DenseLayer, WidthExponents } from '../layer.js';

/** Explicit width exponents; each entry is a number (all layers) or an array of L+1 numbers. */
export interface AbcParameterization {
  a: number | number[];
  b: number | number[];
  c: number | number[];
  /** c^m_l (default 1). */
  cm?: number | number[];
  /** c^s_l (default 1). */
  cs?: number | number[];
}

/** Exponents of the `theta` preset: β_1 = m^{−p1}, β_2 = m^{−p2}, α = m^{q} (Luo et al. 2021). */
export interface ThetaExponents {
  p1: number;
  p2: number;
  q: number;
  /** Depth ≥ 2 only: hidden-to-hidden init std β_h = m^{−ph} (default ½; theory/theta.md#multilayer). */
  ph?: number;
}

/**
 * A convolutional network (theory/finite.md#convolution): depth = number of convolutions, width =
 * channels h. Input pooling p×p, then `depth` × (k×k convolution, 'same' padding, φ, 2×2 average
 * pooling while the size is even and `pool`), global average pooling and a dense read-out.
 */
export interface ConvOptions {
  /** Input image: channels, height, width (C·H·W = the input dimension). */
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  /** Odd kernel size k. */
  readonly kernel: number;
  /** 2×2 average pooling after each convolution while the size is even. */
  readonly pool: boolean;
  /** Average pooling of the input over p×p windows before the first convolution (1: none). */
  readonly inputPool: number;
}

export interface ArchitectureOptions {
  inputDim: number;
  outputDim: number;
  width: number;
  depth: number;
  activation: Activation;
  /** A registered preset's name (presets/index.ts) or an abc object. */
  parameterization: string | AbcParameterization;
  /** σ_w (default 1). */
  weightStd?: number;
  /** σ_b (default 0: no biases, except where the preset has its own). */
  biasStd?: number;
  /** Output scale α (default 1). */
  alpha?: number;
  /** f = α(F − F_{θ0}) (default: the preset's, {@link PresetDefinition.centredByDefault}). */
  centred?: boolean;
  /** γ0 of the meanfield preset (default 1). */
  gamma0?: number;
  /** Exponents of the theta preset. */
  theta?: ThetaExponents;
  /** ip variants: init mean of every weight (non-centred init, e.g. 1), and biases in all layers unscaled. */
  initMean?: number;
  ipUnscaledBiases?: boolean;
  /** A convolutional network instead of an MLP (presets ntk and geiger). */
  conv?: ConvOptions;
}

/** Sizes and options a preset builds its layers from. */
export interface PresetContext {
  readonly o: ArchitectureOptions;
  /** d, h, L, k. */
  readonly d: number;
  readonly h: number;
  readonly L: number;
  readonly k: number;
  /** σ_w and σ_b with their defaults (1, 0). */
  readonly sw: number;
  readonly sb: number;
}

/** The dense layers a preset builds, and what it sets besides them. */
export interface PresetBuild {
  readonly dense: DenseLayer[];
  readonly firstStepRates?: { readonly weights: readonly number[]; readonly biases: readonly number[] };
}

/** What the kernel readings say of a preset at width h: a note carried into results, or a refusal. */
export type PresetKernelNote = { readonly note: string } | { readonly refuse: string };

export interface PresetDefinition {
  readonly name: string;
  /** Paper and equation the preset follows. */
  readonly source: string;
  /** Default of model.centred (false when absent). */
  readonly centredByDefault?: boolean;
  /** Default of model.weightStd for this preset and activation (1 when absent). */
  defaultWeightStd?(activation: Activation): number;
  build(c: PresetContext): PresetBuild;
  /** See {@link PresetKernelNote}; no entry: the kernel needs no note. */
  kernel?(width: number): PresetKernelNote;
}

/** n_{l−1} of dense layer l (0-based) of an MLP. */
export function nIn(c: PresetContext, l: number): number {
  return l === 0 ? c.d : c.h;
}

/** n_l of dense layer l (0-based) of an MLP. */
export function nOut(c: PresetContext, l: number): number {
  return l === c.L ? c.k : c.h;
}

/** Dense layer l of an MLP with multiplier m, init std s, rate r, bias and init mean μ. */
export function dense(
  c: PresetContext, l: number, multiplier: number, initStd: number, rate: number, bias: BiasParams | null,
  initMean = 0, exponents?: WidthExponents,
): DenseLayer {
  return {
    kind: 'dense', nIn: nIn(c, l), nOut: nOut(c, l), multiplier, initStd, initMean, rate, bias,
    ...(exponents ? { exponents } : {}),
  };
}
