/**
 * A data set: training and test inputs and targets, as explicit-shape matrices.
 * `x` is n×d, `y` is n×k, `xTest` is nTest×d, `yTest` is nTest×k.
 */
import type { Mat } from '../core/matrix.js';

export interface Dataset {
  readonly x: Mat;
  readonly y: Mat;
  readonly xTest: Mat;
  readonly yTest: Mat;
  /** One line saying where the data came from. */
  readonly description: string;
}
