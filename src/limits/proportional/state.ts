/**
 * Storage of the causal solver (theory/proportional.md#causal-solver). Every single-site variable
 * is a linear form of Gaussian source processes; a coefficient matrix holds, in row t, its
 * coefficients on one source at times 0..t. Time-constant sources (teacher β*, label noise ε,
 * readout w(0)) are processes with an all-ones covariance.
 */
import type { ProportionalProblem } from './problem.js';
import { ones } from './triangular.js';

/** One hidden layer l = 1..L: forward vector a^l, backward vector g^l. */
export interface LayerState {
  /** Coefficients of a^l and g^l on the forward source χ^l (covariance C^{l−1}). */
  aX: Float64Array;
  gX: Float64Array;
  /** Coefficients of a^l and g^l on the backward source ξ^l (covariance G^{l+1}; ones at l = L). */
  aB: Float64Array;
  gB: Float64Array;
  /** C^l = ⟨a^l a^l⟩ and G^l = ⟨g^l g^l⟩. */
  C: Float64Array;
  G: Float64Array;
}

/** One block of input coordinates (spectrum group): u = β − β* and e = the error direction. */
export interface GroupState {
  uS: Float64Array;
  uZ: Float64Array;
  uZ0: Float64Array;
  eS: Float64Array;
  eZ: Float64Array;
  eZ0: Float64Array;
}

export interface SolverState {
  n: number;
  layers: LayerState[];
  groups: GroupState[];
  /** ⟨e e⟩_D (forward source covariance of layer 1). */
  Ce: Float64Array;
  /** ⟨λ u u⟩_D: covariance of the data matrix's forward field; test loss on its diagonal. */
  Cu: Float64Array;
  /** ⟨Δ Δ⟩_P: train residuals. */
  Cd: Float64Array;
  /** Covariance of the data matrix's backward source ζ (α C_Δ, or diagonal when online). */
  Cz: Float64Array;
  /** Response of √λ·u to ζ (data matrix, D side). */
  Ru: Float64Array;
  /** α · response of Δ to its forward field (data matrix, P side; −κ I online). */
  Rd: Float64Array;
  /** Coefficients of Δ on the label-noise and forward-field sources. */
  dS: Float64Array;
  dX: Float64Array;
  /** Response of e to the first weight matrix's backward source ζ0 (D side). */
  R0: Float64Array;
  ones: Float64Array;
  tmp: Float64Array;
}

const sq = (n: number) => new Float64Array(n * n);

export function allocate(p: ProportionalProblem): SolverState {
  const n = p.steps + 1;
  const layers: LayerState[] = [];
  for (let l = 0; l < p.depth; l++) layers.push({ aX: sq(n), gX: sq(n), aB: sq(n), gB: sq(n), C: sq(n), G: sq(n) });
  const groups: GroupState[] = p.spectrum.map(() => ({ uS: sq(n), uZ: sq(n), uZ0: sq(n), eS: sq(n), eZ: sq(n), eZ0: sq(n) }));
  return {
    n, layers, groups,
    Ce: sq(n), Cu: sq(n), Cd: sq(n), Cz: sq(n), Ru: sq(n), Rd: sq(n), dS: sq(n), dX: sq(n), R0: sq(n),
    ones: ones(n), tmp: new Float64Array(n),
  };
}

/** Doubles the solver stores for a problem (memory bound). */
export function storedDoubles(p: ProportionalProblem): number {
  const n = p.steps + 1;
  return n * n * (6 * p.depth + 6 * p.spectrum.length + 10);
}

/**
 * Writes step t's losses from the diagonal of the error correlations, ½(C_u + σ²) on test and ½C_d on
 * train (theory/proportional.md), and says whether both are finite.
 */
export function recordLosses(st: SolverState, t: number, noiseVariance: number, trainLoss: Float64Array, testLoss: Float64Array): boolean {
  const n = st.n;
  testLoss[t] = 0.5 * (st.Cu[t * n + t] + noiseVariance);
  trainLoss[t] = 0.5 * st.Cd[t * n + t];
  return Number.isFinite(testLoss[t]) && Number.isFinite(trainLoss[t]);
}
