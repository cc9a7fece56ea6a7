/**
 * Data of a frozen-kernel (lazy-limit) prediction problem and its solution (theory/ntk.md#dynamics).
 * Shapes: n training points, nTest test points, k outputs; the kernel of a k-output network is
 * Θ ⊗ I_k, so every output column evolves with the same n×n matrix Θ.
 */
import type { Mat } from '../../core/matrix.js';
import type { Status } from '../../core/errors.js';

export interface FrozenProblem {
  /** Θ(X, X), n × n, symmetric positive semi-definite. */
  readonly kernel: Mat;
  /** Θ(X*, X), nTest × n. */
  readonly kernelTest: Mat;
  /** Targets, n × k. */
  readonly y: Mat;
  /** Initial outputs on the training inputs, n × k (0: the infinite-width mean). */
  readonly f0: Mat;
  /** Initial outputs on the test inputs, nTest × k. */
  readonly f0Test: Mat;
}

/** How a solution was evaluated. */
export type FrozenPath = 'eig' | 'krylov' | 'ode' | 'iterate';

export interface FrozenSolution {
  status: Status;
  message: string;
  /** Flow times τ = η · steps of the outputs (may include Infinity). */
  times: number[];
  /** Outputs on the training inputs at each time, n × k. */
  fTrain: Mat[];
  /** Outputs on the test inputs at each time, nTest × k. */
  fTest: Mat[];
  warnings: string[];
  path: FrozenPath;
  /** Path statistics: Krylov dimension and a-posteriori change, ODE steps, λ_max, … */
  stats: Record<string, number | string>;
}
