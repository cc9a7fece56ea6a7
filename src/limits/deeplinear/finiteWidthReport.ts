/**
 * The finite-width prediction of a plain deep linear μP spec as written by
 * `widelimit limit --finite-width` (theory/finite-width-deeplinear.md#delta): C(t) on train and test
 * outputs (N · Var f_t, mean over the inputs) at the recorded steps, the predicted mean-square
 * deviation from the limit C(t)/N at the spec's width (the mean's own shift is O(1/N), so the mean
 * square is C/N + O(1/N²)), and the width needed for a root-mean-square accuracy. The same fields
 * as the NTK report (src/limits/ntk/finiteWidthReport.ts); the prediction is deterministic (SE 0).
 */
import { InputError, show } from '../../core/errors.js';
import type { Dataset } from '../../data/dataset.js';
import type { Spec } from '../../spec/types.js';
import { fluctuationOnInputs, predictDeepLinearFluctuation } from './fluctuation.js';
import { type FiniteWidthReport, widthNeeded } from '../ntk/finiteWidthReport.js';
import { parseDeepLinearOptions } from './options.js';

/** The NTK report's fields, with the delta method's number of Gram directions in place of the NTK's unit samples. */
export type DeepLinearFiniteWidthReport = Omit<FiniteWidthReport, 'unitSamples' | 'sampledWidth'> & {
  /** Gram directions of the delta method. */
  directions: number;
};

export function deepLinearFiniteWidthReport(spec: Spec, data: Dataset, opts: { accuracy?: number } = {}): DeepLinearFiniteWidthReport {
  const m = spec.model;
  const o = parseDeepLinearOptions(spec.limitOptions);
  if (m.parameterization !== 'meanfield' || !(m.gamma0 > 0)) {
    throw new InputError('--finite-width', `the deep-linear prediction is for the meanfield (μP) parameterization with gamma0 > 0, got ${show(m.parameterization)} (gamma0 ${show(m.gamma0)})`);
  }
  if (o.residual || o.scaling !== 'fixed') throw new InputError('--finite-width', 'the deep-linear prediction is for the plain network at fixed data (no residual, scaling "fixed")');
  if (m.centred) throw new InputError('--finite-width', 'the deep-linear prediction is for uncentred networks (model.centred false)');
  const t = spec.training;
  const fl = predictDeepLinearFluctuation({ x: data.x, y: Float64Array.from(data.y.data), depth: m.depth, gamma0: m.gamma0, lr: t.lr, steps: t.steps });
  if (fl.status !== 'ok') throw new InputError('--finite-width', 'the reduced recursion met a singular Gram matrix (degenerate data?)');
  const steps: number[] = [];
  for (let s = 0; s <= t.steps; s += t.recordEvery) steps.push(s);
  if (steps[steps.length - 1] !== t.steps) steps.push(t.steps);
  const at = (c: Float64Array, n: number) => steps.map((s) => c.subarray(s * n, (s + 1) * n).reduce((a, b) => a + b, 0) / n);
  const train = at(fluctuationOnInputs(fl, data.x), data.x.rows);
  const test = data.xTest.rows > 0 ? at(fluctuationOnInputs(fl, data.xTest), data.xTest.rows) : steps.map(() => 0);
  const N = m.width;
  const report: DeepLinearFiniteWidthReport = {
    derivation: 'theory/finite-width-deeplinear.md#delta',
    width: N,
    times: steps.map((s) => Number((s * t.lr).toPrecision(12))),
    prefactorTrain: train, prefactorTrainSe: train.map(() => 0),
    prefactorTest: test, prefactorTestSe: test.map(() => 0),
    meanSquareTrain: train.map((c) => c / N),
    meanSquareTest: test.map((c) => c / N),
    directions: fl.directions,
  };
  if (opts.accuracy !== undefined) {
    report.accuracy = opts.accuracy;
    report.widthNeeded = widthNeeded([...train, ...test], opts.accuracy);
  }
  return report;
}
