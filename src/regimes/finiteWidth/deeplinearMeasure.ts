/**
 * The measurement of the deep-linear fluctuation experiment (theory/finite-width-deeplinear.md#experiment):
 * at width N, S networks of the project's trainer (seed `spec.seed·10⁹ + N·10⁵ + s`, so widths
 * draw independent weights), recording f on the training and test inputs and the training loss at
 * every record time, in the layout of the mean-field experiment's raw values (set 3 is the
 * training loss here), so its per-seed statistics (meanfieldMeasure.ts#scaledDeviations) apply.
 * Saved per width under DIR/seeds/ so an interrupted run resumes.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../core/atomic.js';
import type { Dataset } from '../../data/dataset.js';
import { runTrain } from '../../run/train.js';
import type { Spec } from '../../spec/types.js';
import type { WidthValues } from './meanfieldMeasure.js';

export const DEEPLINEAR_SEEDS_FORMAT = 'widelimit-deeplinear-fluctuation-seeds/1';

const first = (v: number | number[]) => (typeof v === 'number' ? v : v[0]);

/** The trainer's seed of network s at width N. */
export const networkSeed = (spec: Spec, N: number, s: number): number => Number(spec.seed) * 1e9 + N * 1e5 + s;

/** One network: [f on X…, f on X*…, training loss] at every record time (NaN rows if it failed). */
export function networkValues(spec: Spec, data: Dataset, N: number, s: number): number[][] {
  const r = runTrain(spec, { width: N, seed: networkSeed(spec, N, s), dataset: data }).result;
  const n = data.x.rows + data.xTest.rows + 1;
  if (r.status !== 'ok') return r.times.map(() => new Array<number>(n).fill(NaN));
  return r.times.map((_, k) => [...(r.fTrain[k] as (number | number[])[]).map(first), ...(r.fTest[k] as (number | number[])[]).map(first), r.trainLoss[k]]
    .map((v) => Number(v.toPrecision(12))));
}

/** Seeds 0..S−1 at one width, resumed from DIR/seeds/w<N>.json when it holds the same spec. */
export function measureDeepLinearWidth(dir: string, hash: string, spec: Spec, data: Dataset, N: number, seeds: number,
  tick: (s: number, seconds: number) => void): WidthValues {
  const folder = join(dir, 'seeds');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `w${N}.json`);
  let out: WidthValues = { format: DEEPLINEAR_SEEDS_FORMAT, specHash: hash, width: N, nTrain: data.x.rows, nTest: data.xTest.rows, values: [] };
  if (existsSync(file)) {
    try {
      const s = JSON.parse(readFileSync(file, 'utf8')) as WidthValues;
      if (s.format === DEEPLINEAR_SEEDS_FORMAT && s.specHash === hash && s.width === N) {
        out = { ...s, values: s.values.map((r) => r.map((x) => x.map((v) => (typeof v === 'number' ? v : NaN)))) };
      }
    } catch {
      // unreadable: measure again
    }
  }
  let dirty = false;
  for (let s = out.values.length; s < seeds; s++) {
    const t0 = performance.now();
    out.values.push(networkValues(spec, data, N, s));
    dirty = true;
    tick(s, (performance.now() - t0) / 1000);
    if (s % 512 === 511) writeJsonAtomic(file, out);
  }
  if (dirty) writeJsonAtomic(file, out);
  return { ...out, values: out.values.slice(0, seeds) };
}
