/**
 * The spec file (docs/interface.md#spec-file, after validation and defaults.
 * `src/spec/validate.ts` turns untrusted JSON into a {@link Spec} or throws an InputError naming
 * the field.
 */
import type { AbcParameterization, ConvOptions, Preset, ThetaExponents } from '../finite/parameterization.js';

export type DataSource = 'gaussian' | 'mnist' | 'fashion-mnist' | 'file';

export interface DataSpec {
  source: DataSource;
  /** Training points. */
  n: number;
  /** Test points. */
  nTest: number;
  /** Input dimension d (gaussian only; mnist: 784; file: from the file). */
  dim: number;
  /** gaussian: `teacher-relu`, `linear`, `sign`, or a mathjs expression in x1..xd. */
  target: string;
  /** Outputs k (gaussian only; default 1). */
  outputs: number;
  /** Seed of the data stream (independent of the init seed). */
  seed: number;
  /** mnist, fashion-mnist: `parity` (±1, class mod 2) or `digit` (one-hot, k = 10). */
  labels?: 'parity' | 'digit';
  /** file: path to JSON or CSV. */
  path?: string;
  /** Label noise std added to targets (gaussian; default 0). */
  noise?: number;
}

export interface ModelSpec {
  depth: number;
  width: number;
  activation: string;
  parameterization: Preset | AbcParameterization;
  weightStd: number;
  biasStd: number;
  alpha: number;
  centred: boolean;
  gamma0: number;
  theta?: ThetaExponents;
  initMean?: number;
  ipUnscaledBiases?: boolean;
  /** A convolutional network (theory/finite.md#convolution): depth convolutions of width channels. */
  conv?: ConvOptions;
}

export type LossName = 'mse' | 'hinge' | 'soft-hinge' | 'logistic' | 'cross-entropy';
export type MethodName = 'gd' | 'flow' | 'sgd';

export interface TrainingSpec {
  loss: LossName;
  /** β of the soft hinge (default 20, Geiger et al.). */
  softHingeBeta: number;
  method: MethodName;
  /** η. */
  lr: number;
  /** Number of steps (gd, sgd) or flow time lr·steps (flow). */
  steps: number;
  /** Record observables every this many steps (and at the last step). */
  recordEvery: number;
  /** sgd: minibatch size. */
  batchSize?: number;
  /** sgd: epochs (overrides steps when given). */
  epochs?: number;
  /** sgd: true = fresh samples with replacement each step; false = epochs over a permutation. */
  replace?: boolean;
  /** flow: local error tolerance of the adaptive integrator. */
  tolerance?: number;
  /** Record the empirical NTK on the training inputs at init and at the end (costly for big n·P). */
  recordKernel?: boolean;
}

/** A registered limit (src/limits/registry.ts; built-in: ntk, meanfield, deeplinear). */
export type LimitName = string;

export interface Spec {
  data: DataSpec;
  model: ModelSpec;
  training: TrainingSpec;
  /** Init seed. */
  seed: number;
  /** Named limit (checked against the registry when used); when absent it is inferred (src/limits/registry.ts). */
  limit?: LimitName;
  /**
   * Options of the limit solver, passed through unvalidated by `parseSpec` and validated by the
   * limit itself (errors name `limitOptions.<field>`), e.g. mean-field particle counts.
   */
  limitOptions?: Record<string, unknown>;
}
