/**
 * Gaussian inputs and a linear teacher (theory/deeplinear.md#population).
 *
 * 1. Population risk of a trained deep linear network. The network computes f(x) = v·x; in the
 *    limit v(t) = Xᵀ a(t)/D (solution.ts: f(x) = Σ_ν K^x(x, x_ν) a_ν). For x ~ N(0, I_D) and
 *    the teacher y = v*·x the population risk is ½ E(f − y)² = ½ |v − v*|².
 * 2. One effective point [derived]: gradient descent on the population risk of isotropic data with
 *    a linear teacher has the infinite-width dynamics of a single training point with K^x = 1/D and
 *    target ȳ = |v*|; the population risk is ½ (ȳ − f̄)². (A finite network sees this exactly when
 *    trained on P = D whitened points X = √D Q, Q orthogonal: its empirical loss is its population
 *    risk.)
 */
import { type Mat, fromRows } from '../../core/matrix.js';
import type { DeepLinearArchitecture, DeepLinearProblem } from './problem.js';
import { type SolveOptions, solveDeepLinear } from './solve.js';
import type { DeepLinearSolution } from './solution.js';

/** v(t) = Xᵀ a(t)/D for each time (T×D, row-major): the limit's end-to-end linear map. */
export function limitLinearMap(sol: DeepLinearSolution, X: Mat): Float64Array {
  const { P, T, a } = sol;
  const D = X.cols;
  if (X.rows !== P) throw new RangeError(`limitLinearMap: X has ${X.rows} rows, expected ${P}`);
  const v = new Float64Array(T * D);
  for (let t = 0; t < T; t++) {
    for (let nu = 0; nu < P; nu++) {
      const c = a[t * P + nu] / D;
      for (let i = 0; i < D; i++) v[t * D + i] += c * X.data[nu * D + i];
    }
  }
  return v;
}

/** ½ |v − v*|² for each row of v (T×D): the population risk under x ~ N(0, I_D) with teacher v*. */
export function linearTeacherRisk(v: Float64Array, vStar: ArrayLike<number>): Float64Array {
  const D = vStar.length;
  const T = v.length / D;
  const out = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let i = 0; i < D; i++) { const d = v[t * D + i] - vStar[i]; s += d * d; }
    out[t] = s / 2;
  }
  return out;
}

export interface PopulationProblem {
  /** Input dimension D. */
  dim: number;
  /** |v*|: norm of the teacher (the `gaussian` source's `linear` target has v* = β/√D). */
  teacherNorm: number;
  depth: number;
  gamma0: number;
  lr: number;
  steps: number;
  architecture: DeepLinearArchitecture;
}

/** The one-point problem equivalent to gradient descent on the population risk ([derived]). */
export function onePointProblem(p: PopulationProblem): DeepLinearProblem {
  return {
    kx: fromRows([[1 / p.dim]]),
    y: Float64Array.of(p.teacherNorm),
    depth: p.depth,
    gamma0: p.gamma0,
    lr: p.lr,
    steps: p.steps,
    architecture: p.architecture,
  };
}

/**
 * Population-risk dynamics of the infinite-width network: risk(t) = ½ (|v*| − f̄(t))², with f̄ the
 * output on the effective point. Returns the solution (its trainLoss is the risk).
 */
export function populationDynamics(p: PopulationProblem, opts: SolveOptions = {}): DeepLinearSolution {
  return solveDeepLinear(onePointProblem(p), opts);
}
