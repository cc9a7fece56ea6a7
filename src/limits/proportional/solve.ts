/**
 * Solve the proportional DMFT of theory/proportional.md by the causal time-stepping of
 * theory/proportional.md#causal-solver: cost O((L + groups) T³), memory O((L + groups) T²).
 * Returns loss curves at t = 0..T with the residual of theory/proportional.md#residual and a status.
 */
import type { Status } from '../../core/errors.js';
import { checkProblem, type ProportionalProblem } from './problem.js';
import { allocate, recordLosses, type SolverState } from './state.js';
import { backwardSweep, errorStep, forwardSweep, predictorStep, residualStep } from './sweeps.js';
import { quadDiag } from './triangular.js';
import { DIVERGENCE_FACTOR } from '../../finite/runDefaults.js';

export interface ProportionalSolution {
  /** Steps 0..T (length T + 1). */
  steps: Float64Array;
  /** ½⟨Δ²⟩ on the training samples (online: the loss of the fresh batch before the step). */
  trainLoss: Float64Array;
  /** ½(⟨λ (β − β*)²⟩ + σ²): population loss. */
  testLoss: Float64Array;
  /** Largest relative mismatch of the loss diagonals recomputed from the final coefficients. */
  residual: number;
  status: Status;
  message: string;
  /** Order parameters (row-major (T+1)², for tests and figures). */
  state: SolverState;
}

export interface SolveOptions {
  progress?: (fraction: number) => void;
  /** Compute the residual (O(T³) extra); default true. */
  residual?: boolean;
  /** Stop as diverged when the test loss exceeds this × its initial value (default 1e8). */
  divergenceFactor?: number;
}

export function solveProportional(problem: ProportionalProblem, opts: SolveOptions = {}): ProportionalSolution {
  const p = checkProblem(problem);
  const st = allocate(p);
  const n = st.n;
  const s2 = p.sigma * p.sigma;
  const trainLoss = new Float64Array(n).fill(NaN);
  const testLoss = new Float64Array(n).fill(NaN);
  const limit = opts.divergenceFactor ?? DIVERGENCE_FACTOR;
  let status: Status = 'ok';
  let message = '';
  let last = n - 1;
  for (let t = 0; t < n; t++) {
    backwardSweep(p, st, t);
    predictorStep(p, st, t);
    residualStep(p, st, t);
    errorStep(p, st, t);
    forwardSweep(p, st, t);
    if (!recordLosses(st, t, s2, trainLoss, testLoss)) {
      status = 'nan';
      message = `non-finite loss at step ${t}`;
      last = t - 1;
      break;
    }
    if (testLoss[t] > limit * Math.max(1, testLoss[0])) {
      status = 'diverged';
      message = `test loss ${testLoss[t].toExponential(3)} at step ${t} exceeds ${limit} × its initial value`;
      last = t;
      break;
    }
    opts.progress?.((t + 1) / n);
  }
  const residual = opts.residual === false || status !== 'ok' ? NaN : lossResidual(p, st, last);
  return { steps: Float64Array.from({ length: n }, (_, i) => i), trainLoss, testLoss, residual, status, message, state: st };
}

/**
 * Recompute C_u(t,t) and C_Δ(t,t) from the final coefficient and covariance matrices (all rows
 * complete) and return the largest relative change: a causality violation (a product that read a
 * row before it was filled) shows up here (theory/proportional.md#residual).
 */
function lossResidual(p: ProportionalProblem, st: SolverState, last: number): number {
  const n = st.n;
  let worst = 0;
  for (let t = 0; t <= last; t++) {
    let cu = 0;
    p.spectrum.forEach((grp, gi) => {
      const g = st.groups[gi];
      const w = grp.weight * grp.lambda;
      cu += w * grp.teacherVar * quadDiag(g.uS, st.ones, n, t) + w * quadDiag(g.uZ, st.Cz, n, t);
      if (st.layers.length > 0) cu += w * p.nu * quadDiag(g.uZ0, st.layers[0].G, n, t);
    });
    worst = Math.max(worst, Math.abs(cu - st.Cu[t * n + t]) / Math.max(1e-300, Math.abs(st.Cu[t * n + t])));
    if (p.data.kind === 'repeated') {
      const cd = quadDiag(st.dS, st.ones, n, t) + quadDiag(st.dX, st.Cu, n, t);
      worst = Math.max(worst, Math.abs(cd - st.Cd[t * n + t]) / Math.max(1e-300, Math.abs(st.Cd[t * n + t])));
    }
  }
  return worst;
}
