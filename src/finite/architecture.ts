/**
 * The architecture description every reading shares (theory/conventions.md#presets).
 *
 * Layer l = 1..L+1 computes `z^l = m_l W^l a^{l−1} + β_l b^l`, `a^l = φ(z^l)` for l ≤ L, output
 * `F(x) = z^{L+1}`, with trainable `W^l_ij ~ N(μ_l, s_l²)`, `b^l_i ~ N(0, sb_l²)` and per-parameter
 * rate multipliers `r_l`, `rb_l`. The network output is `f(x) = α (F(x) − [centred] F_{θ0}(x))`,
 * and when α ≠ 1 the loss is divided by α² (Chizat–Oyallon–Bach lazy scaling).
 *
 * The finite network (`src/finite/mlp.ts`), the analytic kernels (`src/limits/ntk`) and the
 * deep-linear recursion read this one value.
 */
import type { Activation } from './activation.js';

export interface BiasParams {
  /** β_l: the bias enters as β_l · b. */
  readonly multiplier: number;
  /** sb_l: init std of b. */
  readonly initStd: number;
  /** rb_l: rate multiplier of b. */
  readonly rate: number;
}

export interface LayerParams {
  /** n_{l−1}. */
  readonly nIn: number;
  /** n_l. */
  readonly nOut: number;
  /** m_l. */
  readonly multiplier: number;
  /** s_l. */
  readonly initStd: number;
  /** μ_l: init mean of W (0 except for non-centred initializations, Hajjar–Chizat–Giraud). */
  readonly initMean: number;
  /** r_l. */
  readonly rate: number;
  /** Bias of this layer, or null for none. */
  readonly bias: BiasParams | null;
}

export interface Architecture {
  /** d = n_0. */
  readonly inputDim: number;
  /** k = n_{L+1}. */
  readonly outputDim: number;
  /** h: size of every hidden layer. */
  readonly width: number;
  /** L: number of hidden layers (L+1 weight matrices). */
  readonly depth: number;
  readonly activation: Activation;
  /** L+1 layers, input to output. */
  readonly layers: readonly LayerParams[];
  /** Output scale α. */
  readonly alpha: number;
  /** Subtract the initial function: f = α (F − F_{θ0}). */
  readonly centred: boolean;
  /**
   * Rates used for the first optimization step only (ip-llr: "large learning rate" first step),
   * one per layer for weights and biases; afterwards `layers[l].rate` applies.
   */
  readonly firstStepRates?: { readonly weights: readonly number[]; readonly biases: readonly number[] };
  /** Name of the preset that produced it (`ntk`, `meanfield`, …, or `abc`). */
  readonly parameterization: string;
}
