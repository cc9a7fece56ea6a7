/**
 * The finite-width prediction of a spec as written by `widelimit limit --finite-width`
 * (theory/finite-width.md#prediction, #width-needed): the prefactor C(τ) on train and test outputs,
 * the predicted mean-square path-wise deviation C(τ)/h at the spec's width, and the width needed
 * for a root-mean-square accuracy. One hidden layer: the unit average; two or more: sampled networks.
 */
import type { Dataset } from '../../data/dataset.js';
import type { Spec } from '../../spec/types.js';
import { predictFiniteWidth } from './finiteWidth.js';
import { predictFiniteWidthSampled } from './finiteWidthSampled.js';
import { prepareNtkLimit } from './limit.js';

export interface FiniteWidthReport {
  derivation: string;
  width: number;
  times: number[];
  /** C(τ) and its Monte Carlo standard error, train and test. */
  prefactorTrain: number[];
  prefactorTrainSe: number[];
  prefactorTest: number[];
  prefactorTestSe: number[];
  /** C(τ)/h at the spec's width: predicted E‖f^(h)_τ − f^∞_τ[f_0]‖²/n. */
  meanSquareTrain: number[];
  meanSquareTest: number[];
  unitSamples: number;
  /** Present when an accuracy was asked: the smallest h with max_τ C(τ)/h ≤ accuracy². */
  accuracy?: number;
  widthNeeded?: number;
  /** Two or more hidden layers: C(τ) sampled from `unitSamples` networks of this width (theory/finite-width.md#sampled-kernel). */
  sampledWidth?: number;
}

/** Reference width of the sampled prediction for two or more hidden layers. */
export const SAMPLED_WIDTH = 256;

/** Smallest integer width with max over times of train and test C(τ)/h ≤ accuracy². */
export function widthNeeded(prefactors: readonly number[], accuracy: number): number {
  const cmax = Math.max(0, ...prefactors);
  return Math.max(1, Math.ceil(cmax / (accuracy * accuracy)));
}

export function finiteWidthReport(spec: Spec, data: Dataset, opts: { accuracy?: number; samples?: number } = {}): FiniteWidthReport {
  const model = prepareNtkLimit(spec, data);
  const deep = model.arch.depth > 1;
  const p = deep
    ? predictFiniteWidthSampled(model, { width: SAMPLED_WIDTH, samples: opts.samples ?? 2000, seed: spec.seed })
    : predictFiniteWidth(model, { samples: opts.samples ?? 20000, seed: spec.seed });
  const h = model.arch.width;
  const report: FiniteWidthReport = {
    derivation: 'theory/finite-width.md#prediction',
    width: h,
    times: p.times,
    prefactorTrain: p.train, prefactorTrainSe: p.trainSe,
    prefactorTest: p.test, prefactorTestSe: p.testSe,
    meanSquareTrain: p.train.map((c) => c / h),
    meanSquareTest: p.test.map((c) => c / h),
    unitSamples: p.samples,
    ...(deep ? { sampledWidth: SAMPLED_WIDTH } : {}),
  };
  if (opts.accuracy !== undefined) {
    report.accuracy = opts.accuracy;
    report.widthNeeded = widthNeeded([...p.train, ...p.test], opts.accuracy);
  }
  return report;
}
