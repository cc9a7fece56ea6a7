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
import { paramsFromInitFile } from '../../finite/initFile.js';
import type { NtkLimitModel } from '../../limits/ntk/limit.js';
import { runTrain } from '../../run/train.js';
import type { Outputs } from '../../spec/result.js';
import type { Spec } from '../../spec/types.js';
import { linearizedOutputs } from './linearized.js';
import { patternChange, stackInputs } from './patterns.js';

export interface SeedDeviations {
  format: 'widelimit-finite-width-seeds/1';
  /** Hash of the spec (with the activation) the values belong to. */
  specHash: string;
  width: number;
  times: number[];
  /** [seed][time]: X_train and X_test; NaN for a seed whose training failed. */
  train: number[][];
  test: number[][];
  /**
   * With the kernel-motion split (linearized.ts): the same mean squares of f^lin − f^∞ (`…Lin`)
   * and of f^(h) − f^lin (`…Motion`).
   */
  trainLin?: number[][];
  testLin?: number[][];
  trainMotion?: number[][];
  testMotion?: number[][];
  /**
   * With `patterns` (patterns.ts, theory/finite-width.md#motion-theory): [seed][4l + k], the
   * activation-pattern change of hidden layer l between initialization and the end of training,
   * k = flipTrain, flipTest, dropTrain, dropTest (NaN row for a failed seed).
   */
  patterns?: number[][];
}

/** The sets of a seed file: the path-wise deviation, and with the split its two parts. */
export const SPLIT_SETS = ['trainLin', 'testLin', 'trainMotion', 'testMotion'] as const;
export type DeviationSet = 'train' | 'test' | (typeof SPLIT_SETS)[number];
const deviationSets = (split: boolean): DeviationSet[] => (split ? ['train', 'test', ...SPLIT_SETS] : ['train', 'test']);

const toMat = (o: Outputs): Mat => (typeof o[0] === 'number' ? mat(o.length, 1, Float64Array.from(o as number[])) : fromRows(o as number[][]));

/** h‖a − b‖² / rows·cols. */
function scaledMeanSquare(a: Mat, b: Mat, h: number): number {
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += (a.data[i] - b.data[i]) ** 2;
  return (h * s) / a.data.length;
}

/**
 * X_train(τ), X_test(τ) of one seed at one width (NaN rows when the finite run failed); with
 * `split`, also the two parts of the kernel-motion split (linearized.ts).
 */
export function seedDeviation(
  spec: Spec, model: NtkLimitModel, data: Dataset, width: number, seed: number, split = false, patterns = false,
): Partial<Record<DeviationSet, number[]>> & { train: number[]; test: number[]; patterns?: number[] } {
  const run = runTrain(spec, { width, seed: spec.seed + seed, dataset: data });
  const fin = run.result;
  const T = model.times.length;
  const sets = deviationSets(split);
  const hidden = run.arch.layers.length - 1;
  const nan = () => ({
    ...(Object.fromEntries(sets.map((k) => [k, new Array<number>(T).fill(NaN)])) as Record<DeviationSet, number[]>),
    ...(patterns ? { patterns: new Array<number>(4 * hidden).fill(NaN) } : {}),
  });
  if (fin.status !== 'ok' || fin.fTrain.length !== T) return nan();
  const f0 = toMat(fin.fTrain[0]), f0Test = toMat(fin.fTest[0]);
  const lim = model.run({ train: f0, test: f0Test });
  const out: Record<string, number[]> = {};
  const add = (set: string, a: Mat, b: Mat, test: boolean) => (out[set] ??= []).push(!test || data.xTest.rows > 0 ? scaledMeanSquare(a, b, width) : NaN);
  const lin = split ? linearizedOutputs(model, run.arch, paramsFromInitFile(run.init, run.arch).params, data, f0, f0Test) : null;
  for (let t = 0; t < T; t++) {
    const f = toMat(fin.fTrain[t]), fT = toMat(fin.fTest[t]);
    add('train', f, toMat(lim.fTrain[t]), false);
    add('test', fT, toMat(lim.fTest[t]), true);
    if (!lin) continue;
    add('trainLin', lin.train[t], toMat(lim.fTrain[t]), false);
    add('testLin', lin.test[t], toMat(lim.fTest[t]), true);
    add('trainMotion', f, lin.train[t], false);
    add('testMotion', fT, lin.test[t], true);
  }
  if (split && !lin) for (const k of SPLIT_SETS) out[k] = new Array<number>(T).fill(NaN);
  if (patterns) out.patterns = patternChange(run.arch, paramsFromInitFile(run.init, run.arch).params, run.finalParams, stackInputs(data.x, data.xTest), data.x.rows);
  return out as Record<DeviationSet, number[]> & { patterns?: number[] };
}

/**
 * Seeds 0..S−1 at one width, resumed from DIR/seeds/<tag>-w<width>.json when it holds the same
 * spec; `tick` after each seed run here.
 */
export function measureWidth(
  dir: string, tag: string, specHash: string, spec: Spec, model: NtkLimitModel, data: Dataset, width: number, seeds: number,
  tick: (seed: number, seconds: number) => void, split = false, patterns = false,
): SeedDeviations {
  const folder = join(dir, 'seeds');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `${tag}-w${width}.json`);
  let saved: SeedDeviations | undefined;
  if (existsSync(file)) {
    try {
      const s = JSON.parse(readFileSync(file, 'utf8')) as SeedDeviations;
      if (s.specHash === specHash && s.width === width && (!split || s.trainLin !== undefined) && (!patterns || s.patterns !== undefined)) saved = s;
    } catch {
      saved = undefined;
    }
  }
  const sets = deviationSets(split);
  const out: SeedDeviations = saved ?? { format: 'widelimit-finite-width-seeds/1', specHash, width, times: model.times.slice(), train: [], test: [] };
  const num = (v: number | null): number => (typeof v === 'number' ? v : NaN);
  for (const k of sets) out[k] = (out[k] ?? []).map((r) => r.map(num));
  if (patterns) out.patterns = (out.patterns ?? []).map((r) => r.map(num));
  let dirty = false;
  for (let s = out.train.length; s < seeds; s++) {
    const t0 = performance.now();
    const d = seedDeviation(spec, model, data, width, s, split, patterns);
    for (const k of sets) out[k]!.push(d[k]!);
    if (patterns) out.patterns!.push(d.patterns!);
    dirty = true;
    tick(s, (performance.now() - t0) / 1000);
    if (s % 64 === 63) writeJsonAtomic(file, out);
  }
  if (dirty) writeJsonAtomic(file, out);
  const cut = Object.fromEntries([...sets.map((k) => [k, out[k]!.slice(0, seeds)]), ...(patterns ? [['patterns', out.patterns!.slice(0, seeds)]] : [])]);
  return { ...out, ...cut } as SeedDeviations;
}
