/**
 * The training schedule, built once from the spec's training fields and the number of training
 * points, and read by the trainer and every limit (theory/finite.md#schedule): how many steps,
 * which are recorded, the SGD batch, the divergence threshold and the flow tolerance. One place
 * for each default, so the finite run and its limits cannot disagree on them.
 */

import { DEFAULT_BATCH_SIZE, DIVERGENCE_FACTOR, batchSizeFor } from './runDefaults.js';

/** Relative and absolute local error tolerance of the gradient-flow integrator. */
export const DEFAULT_FLOW_TOLERANCE = 1e-6;

/** The training fields a schedule is built from (the spec's `training`, or the trainer's options). */
export interface ScheduleInput {
  method: 'gd' | 'sgd' | 'flow';
  lr: number;
  steps: number;
  recordEvery: number;
  batchSize?: number;
  replace?: boolean;
  epochs?: number;
  tolerance?: number;
  divergenceFactor?: number;
}

export interface Schedule {
  method: ScheduleInput['method'];
  lr: number;
  /** Total steps (sgd with epochs: epochs · stepsPerEpoch). */
  steps: number;
  recordEvery: number;
  /** Steps at which the run records: 0, e, 2e, …, and `steps`. */
  records: number[];
  /** sgd: the batch size B (with replacement as given, else at most n) and ⌈n/B⌉. */
  batchSize: number;
  stepsPerEpoch: number;
  replace: boolean;
  tolerance: number;
  divergenceFactor: number;
}

/** Steps at which a run of `steps` steps records: 0, e, 2e, …, and `steps`. */
export function recordSteps(steps: number, every: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < steps; t += every) out.push(t);
  out.push(steps);
  return out;
}

/** The schedule of a run on n training points. */
export function buildSchedule(t: ScheduleInput, n: number): Schedule {
  const replace = t.replace ?? false;
  const batchSize = replace ? (t.batchSize ?? DEFAULT_BATCH_SIZE) : batchSizeFor(n, t.batchSize);
  const stepsPerEpoch = Math.ceil(n / batchSize);
  const steps = t.method === 'sgd' && t.epochs !== undefined ? t.epochs * stepsPerEpoch : t.steps;
  return {
    method: t.method, lr: t.lr, steps, recordEvery: t.recordEvery, records: recordSteps(steps, t.recordEvery),
    batchSize, stepsPerEpoch, replace,
    tolerance: t.tolerance ?? DEFAULT_FLOW_TOLERANCE,
    divergenceFactor: t.divergenceFactor ?? DIVERGENCE_FACTOR,
  };
}
