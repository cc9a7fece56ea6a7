/**
 * What the subspace experiment compares (theory/subspace-reduction.md#comparison): trajectories of
 * the reduced PDE (weighted points, reducedField.ts) at requested times, and the L² distance
 * between a finite network of R^4 particles and the reduced-PDE network,
 *
 *   ‖f_m − f_∞‖² = E f_m² − 2 E f_m f_∞ + E f_∞²,
 *
 * with E f_m² from the particles' risk (E f_m² = 2R − E f*² + 2 E f_m f*), E f_m f_∞ exact by the
 * averaged kernel (f_∞'s law is invariant under rotations of the complement of e_1, so each
 * particle meets the orbit average K̄), and E f_∞² = Σ ω_i ω_j a_i a_j K̄_ij.
 */
import type { Status } from '../../core/errors.js';
import { type Scheme, integrate } from '../../limits/meanfield/steppers.js';
import { type PopulationTarget, targetEnergy, targetProjection } from '../../limits/meanfield/targets.js';
import { createReducedField, crossEnergy, particleList, reducedAlignment, reducedList } from '../../limits/meanfield/subspace/reducedField.js';
import type { ReducedInit } from '../../limits/meanfield/subspace/reducedInit.js';

/** The reduced PDE recorded at `times`: states, risks, E f_∞², alignment. */
export interface ReducedTrajectory {
  init: ReducedInit;
  states: Float64Array[];
  risk: number[];
  energy: number[];
  alignment: number[];
  status: Status;
  message: string;
}

export function reducedTrajectory(
  target: PopulationTarget, v: number, init: ReducedInit, times: readonly number[], scheme: Scheme,
): ReducedTrajectory {
  const field = createReducedField(target, v, init.measure);
  const states: Float64Array[] = [], risk: number[] = [], energy: number[] = [], alignment: number[] = [];
  const scratch = new Float64Array(init.y.length);
  const r = integrate((_t, y, dy) => field.velocity(y, dy), init.y, times, scheme, (_k, _t, y) => {
    states.push(y.slice());
    risk.push(field.velocity(y, scratch));
    const list = reducedList(y, init.measure);
    energy.push(crossEnergy(list, list, v));
    alignment.push(reducedAlignment(y, init.measure));
  });
  return { init, states, risk, energy, alignment, status: r.status, message: r.message };
}

/** E f_m f* = (1/m) Σ a_j P(w_j) for ReLU particles in R^d. */
export function particleTargetCross(y: Float64Array, m: number, d: number, target: PopulationTarget, v: number): number {
  const g = new Float64Array(d), sc = new Float64Array(d);
  let s = 0;
  for (let j = 0; j < m; j++) s += y[j] * targetProjection(target, 0, 1, v, y.subarray(m + j * d, m + (j + 1) * d), g, sc);
  return s / m;
}

/**
 * ‖f_m − f_∞‖_{L²} for particles y (m in R^d, risk Rm at y) against the reduced state yRed with
 * E f_∞² = energyRed. Clamped at 0 against rounding.
 */
export function predictorGap(
  y: Float64Array, m: number, d: number, Rm: number, target: PopulationTarget, v: number,
  yRed: Float64Array, init: ReducedInit, energyRed: number,
): number {
  const ef2 = 2 * Rm - targetEnergy(target, v) + 2 * particleTargetCross(y, m, d, target, v);
  const cross = crossEnergy(particleList(y, m, d), reducedList(yRed, init.measure), v);
  return Math.sqrt(Math.max(0, ef2 - 2 * cross + energyRed));
}

/** ‖f_A − f_B‖ between two reduced states (the reduced PDE's own discretization error). */
export function reducedGap(yA: Float64Array, A: ReducedInit, yB: Float64Array, B: ReducedInit, v: number): number {
  const la = reducedList(yA, A.measure), lb = reducedList(yB, B.measure);
  return Math.sqrt(Math.max(0, crossEnergy(la, la, v) - 2 * crossEnergy(la, lb, v) + crossEnergy(lb, lb, v)));
}
