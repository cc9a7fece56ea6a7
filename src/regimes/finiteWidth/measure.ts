/**
 * The measurement behind the finite-width prefactor experiment (theory/finite-width.md#prefactor-fit):
 * for one activation and one width, S networks (init seeds spec.seed + 0..S−1) trained by the
 * project's trainer, each against the frozen-kernel limit started from its own f_0, giving per seed
 * and record time the scaled mean-square deviations
 *
 *   X_train(τ) = h ‖f^(h)_τ(X) − f^∞_τ[f_0](X)‖² / (n k),   X_test(τ) likewise on X* (/ n* k),
 *
 * whose expectation is predicted to be C(τ) (src/limits/ntk/finiteWidth.ts). Saved per
 * (activation, width) under DIR/seeds/ so that an interrupted run resumes.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../core/atomic.js';
import { type Mat, fromRows, mat } from '../../core/matrix.js';
import type { Dataset } from '../../data/dataset.js';
import type { NtkLimitModel } from '../../limits/ntk/limit.js';
import { runTrain } from '../../run/train.js';
import type { Outputs } from '../../spec/result.js';
import type { Spec } from '../../spec/types.js';

export interface SeedDeviations {
  format: 'widelimit-finite-width-seeds/1';
  /** Hash of the spec (with the activation) the values belong to. */
  specHash: string;
  width: number;
  times: number[];
  /** [seed][time]: X_train and X_test; NaN for a seed whose training failed. */
  train: number[][];
  test: number[][];
}

const toMat = (o: Outputs): Mat => (typeof o[0] === 'number' ? mat(o.length, 1, Float64Array.from(o as number[])) : fromRows(o as number[][]));

/** h‖a − b‖² / rows·cols. */
function scaledMeanSquare(a: Mat, b: Mat, h: number): number {
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += (a.data[i] - b.data[i]) ** 2;
  return (h * s) / a.data.length;
}

/** X_train(τ), X_test(τ) of one seed at one width (NaN rows when the finite run failed). */
export function seedDeviation(spec: Spec, model: NtkLimitModel, data: Dataset, width: number, seed: number): { train: number[]; test: number[] } {
  const fin = runTrain(spec, { width, seed: spec.seed + seed, dataset: data }).result;
  const T = model.times.length;
  if (fin.status !== 'ok' || fin.fTrain.length !== T) return { train: new Array<number>(T).fill(NaN), test: new Array<number>(T).fill(NaN) };
  const lim = model.run({ train: toMat(fin.fTrain[0]), test: toMat(fin.fTest[0]) });
  const train: number[] = [];
  const test: number[] = [];
  for (let t = 0; t < T; t++) {
    train.push(scaledMeanSquare(toMat(fin.fTrain[t]), toMat(lim.fTrain[t]), width));
    test.push(data.xTest.rows > 0 ? scaledMeanSquare(toMat(fin.fTest[t]), toMat(lim.fTest[t]), width) : NaN);
  }
  return { train, test };
}

/**
 * Seeds 0..S−1 at one width, resumed from DIR/seeds/<tag>-w<width>.json when it holds the same
 * spec; `tick` after each seed run here.
 */
export function measureWidth(
  dir: string, tag: string, specHash: string, spec: Spec, model: NtkLimitModel, data: Dataset, width: number, seeds: number,
  tick: (seed: number, seconds: number) => void,
): SeedDeviations {
  const folder = join(dir, 'seeds');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `${tag}-w${width}.json`);
  let saved: SeedDeviations | undefined;
  if (existsSync(file)) {
    try {
      const s = JSON.parse(readFileSync(file, 'utf8')) as SeedDeviations;
      if (s.specHash === specHash && s.width === width) saved = s;
    } catch {
      saved = undefined;
    }
  }
  const out: SeedDeviations = saved ?? { format: 'widelimit-finite-width-seeds/1', specHash, width, times: model.times.slice(), train: [], test: [] };
  const num = (v: number | null): number => (typeof v === 'number' ? v : NaN);
  out.train = out.train.map((r) => r.map(num));
  out.test = out.test.map((r) => r.map(num));
  let dirty = false;
  for (let s = out.train.length; s < seeds; s++) {
    const t0 = performance.now();
    const d = seedDeviation(spec, model, data, width, s);
    out.train.push(d.train);
    out.test.push(d.test);
    dirty = true;
    tick(s, (performance.now() - t0) / 1000);
    if (s % 64 === 63) writeJsonAtomic(file, out);
  }
  if (dirty) writeJsonAtomic(file, out);
  return { ...out, train: out.train.slice(0, seeds), test: out.test.slice(0, seeds) };
}
