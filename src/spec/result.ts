/**
 * The result file of `widelimit train` and `widelimit limit` (docs/interface.md#result-file.
 * Times are flow time τ = η·steps. Extra observables are optional fields.
 */
import type { Status } from '../core/errors.js';
import type { Spec } from './types.js';

/** Output values at one time: n numbers (k = 1) or n arrays of k numbers. */
export type Outputs = number[] | number[][];

export interface RunResult {
  status: Status;
  message: string;
  /** Flow time η·steps of each record. */
  times: number[];
  /** Step count of each record (for flow: times/η, possibly fractional). */
  steps: number[];
  trainLoss: number[];
  testLoss: number[];
  fTrain: Outputs[];
  fTest: Outputs[];
  spec: Spec;
  meta: { version: string; seed: number; seconds: number; kind: 'train' | 'limit'; limit?: string; [k: string]: unknown };
  /** Finite runs: ‖θ_t − θ_0‖/‖θ_0‖ at each record, total and per layer. */
  weightMotion?: number[];
  weightMotionPerLayer?: number[][];
  /** Finite runs with recordKernel: ‖Θ̂_t − Θ̂_0‖_F/‖Θ̂_0‖_F at each record. */
  kernelMotion?: number[];
  /** Empirical (finite) or analytic (limit) NTK on the training inputs at init, n×n rows. */
  kernelInit?: number[][];
  kernelFinal?: number[][];
  /** Solver statistics (limit runs). */
  stats?: Record<string, number | string>;
}

/**
 * The result as written to its file: without test points (data.nTest = 0) the test loss is an
 * empty list rather than one NaN (null in JSON) per record.
 */
export function resultForFile(r: RunResult): RunResult {
  const noTest = r.fTest.length > 0 && r.fTest.every((f) => f.length === 0);
  return noTest ? { ...r, testLoss: [] } : r;
}
