/**
 * The reduced dynamics of an odd target (theory/meanfield.md#odd-target, [derived]; Hajjar, Chizat 2023,
 * arXiv 2211.08771, odd targets; derivation in theory/meanfield.md#odd-target):
 *
 * ReLU without bias, x ~ N(0, vI), f* odd, init law symmetric under (a, w) → (−a, −w) and
 * rotation-invariant in w, κ = 1. Then f_t(x) = w_t·x with w_t = ½ ∫ a w dρ_t and
 *
 *   w_t = (V/4) sinh(‖X̄‖ Λ_t) ŵ*,   dΛ/dt = 1 − (V/(4‖w*‖)) sinh(‖X̄‖ Λ_t),   Λ_0 = 0,
 *
 * X̄ = E[f* x], w* = X̄/v, V = E[a²] + E[(w·ŵ*)²] at init. Solved with the dopri5 scheme.
 */
import type { Outcome } from '../../core/errors.js';
import { requirePositive } from '../../core/errors.js';
import type { ParticleInit } from './particles.js';
import { integrate, type StepStats } from './steppers.js';

export interface OddReducedProblem {
  /** ‖X̄‖ = ‖E[f* x]‖. */
  readonly xbarNorm: number;
  /** v: E[x xᵀ] = v I. */
  readonly variance: number;
  /** V = E[a²] + E[(w·ŵ*)²] under the initial law. */
  readonly V: number;
}

export interface OddReducedSolution extends Outcome {
  times: number[];
  /** Λ_t. */
  lambda: number[];
  /** ‖w_t‖ = (V/4) sinh(‖X̄‖Λ_t) (w_t points along ŵ*). */
  wNorm: number[];
  stats: StepStats;
}

/** V = E[a²] + E[(w·u)²] for a unit vector u, under an isotropic initial law in R^d. */
export function initialV(init: ParticleInit, d: number): number {
  switch (init.kind) {
    case 'gaussian': return init.aStd * init.aStd + init.wStd * init.wStd;
    case 'sphere': return init.aScale * init.aScale + (init.radius * init.radius) / d;
  }
}

/** Solve the reduced ODE at `times` (times[0] = 0) with relative tolerance `rtol`. */
export function solveOddReduced(p: OddReducedProblem, times: readonly number[], rtol = 1e-10): OddReducedSolution {
  requirePositive('xbarNorm', p.xbarNorm);
  requirePositive('variance', p.variance);
  requirePositive('V', p.V);
  if (times.length > 0 && times[0] !== 0) throw new RangeError(`solveOddReduced: times must start at 0, got ${times[0]}`);
  const wStar = p.xbarNorm / p.variance;
  const c = p.V / (4 * wStar);
  const b = p.xbarNorm;
  const lambda: number[] = [];
  const wNorm: number[] = [];
  const out: number[] = [];
  const r = integrate(
    (_t, y, dy) => { dy[0] = 1 - c * Math.sinh(b * y[0]); },
    new Float64Array(1),
    times,
    { kind: 'dopri5', rtol, atol: rtol * 1e-3 },
    (_k, t, y) => {
      out.push(t);
      lambda.push(y[0]);
      wNorm.push((p.V / 4) * Math.sinh(b * y[0]));
    },
  );
  return { status: r.status, message: r.message, times: out, lambda, wNorm, stats: r.stats };
}

/** The fixed point: ‖w_∞‖ = ‖w*‖ (Λ_∞ = asinh(4‖w*‖/V)/‖X̄‖). */
export function oddReducedLimit(p: OddReducedProblem): { lambda: number; wNorm: number } {
  const wStar = p.xbarNorm / p.variance;
  return { lambda: Math.asinh((4 * wStar) / p.V) / p.xbarNorm, wNorm: wStar };
}
