/**
 * The single-index ReLU target of the subspace experiments (theory/subspace-reduction.md#target):
 * f*(x) = √2 relu(x_1/√v), x ~ N(0, v I_d), so x_1/√v ~ N(0, 1) and E f*² = 2 · ½ = 1. It depends on
 * x_1 only, is positively 1-homogeneous (so one ReLU neuron along e_1 represents it exactly) and is
 * neither odd nor even (no parity symmetry adds to the rotations of the complement). As a
 * `teacher-relu` population target: one teacher u* = e_1/√v, coefficient √2, offset 0.
 */
import { mat } from '../../../core/matrix.js';
import type { PopulationTarget } from '../targets.js';

export function singleIndexRelu(d: number, v: number): PopulationTarget & { kind: 'teacher-relu' } {
  const weights = mat(1, d);
  weights.data[0] = 1 / Math.sqrt(v);
  return { kind: 'teacher-relu', weights, coeffs: Float64Array.of(Math.SQRT2), offset: 0 };
}
