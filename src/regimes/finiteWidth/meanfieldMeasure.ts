/**
 * The measurement of the mean-field fluctuation experiment (theory/finite-width-meanfield.md#experiment):
 * at width m, S independent m-particle systems from the trainer's initial law, each run by the
 * particle solver on the exact population risk (the trainer's network under gradient descent on
 * the population risk, theory/meanfield.md#trainer-map), recording f on the training and test
 * inputs and the population risk at every record time. Per seed s and record time,
 *
 *   D_s = m · S/(S − 1) · mean_i (f_s(x_i) − f̄(x_i))²      (f̄ the mean over the S seeds),
 *
 * whose mean over seeds is m × the unbiased seed variance averaged over the inputs (the same for
 * the risk, one value): predicted to be C(t). Saved per width under DIR/seeds/ (raw values) so an
 * interrupted run resumes.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../core/atomic.js';
import type { Mat } from '../../core/matrix.js';
import { Rng } from '../../core/rng.js';
import { runParticleFlow } from '../../limits/meanfield/flow.js';
import type { MeanFieldPopulationProblem } from '../../limits/meanfield/fluctuationProblem.js';
import { sampleParticles } from '../../limits/meanfield/particles.js';

export const SETS = ['train', 'test', 'risk'] as const;
export type FluctuationSet = (typeof SETS)[number];

/** Raw values of one width: values[seed][time] = [f on X…, f on X*…, R] (NaN row for a failed run). */
export interface WidthValues {
  /** 'widelimit-meanfield-fluctuation-seeds/1' (set 3: population risk) or 'widelimit-deeplinear-fluctuation-seeds/1' (set 3: training loss). */
  format: string;
  specHash: string;
  width: number;
  nTrain: number;
  nTest: number;
  values: number[][][];
}

/** One m-particle system (stream `<seed>/finite/w<m>/s<s>`): f on X, X* and R at every record time. */
export function seedValues(P: MeanFieldPopulationProblem, inputs: [Mat, Mat], width: number, seed: number | string, s: number): number[][] {
  const shape = { m: width, d: P.d };
  const y0 = sampleParticles(P.init, shape, new Rng(seed).child(`finite/w${width}/s${s}`));
  const r = runParticleFlow(P.model, P.risk, shape, y0, { times: P.times, scheme: P.scheme, inputs });
  const n = inputs[0].rows + inputs[1].rows + 1;
  if (r.status !== 'ok') return P.times.map(() => new Array<number>(n).fill(NaN));
  return P.times.map((_, k) => [...r.outputs[0][k], ...r.outputs[1][k], r.risk[k]].map((v) => Number(v.toPrecision(12))));
}

/** Seeds 0..S−1 at one width, resumed from DIR/seeds/w<width>.json when it holds the same spec. */
export function measureMeanFieldWidth(
  dir: string, hash: string, P: MeanFieldPopulationProblem, inputs: [Mat, Mat], seed: number | string, width: number, seeds: number,
  tick: (s: number, seconds: number) => void,
): WidthValues {
  const folder = join(dir, 'seeds');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `w${width}.json`);
  let out: WidthValues = { format: 'widelimit-meanfield-fluctuation-seeds/1', specHash: hash, width, nTrain: inputs[0].rows, nTest: inputs[1].rows, values: [] };
  if (existsSync(file)) {
    try {
      const s = JSON.parse(readFileSync(file, 'utf8')) as WidthValues;
      if (s.specHash === hash && s.width === width) out = { ...s, values: s.values.map((r) => r.map((x) => x.map((v) => (typeof v === 'number' ? v : NaN)))) };
    } catch {
      // unreadable: measure again
    }
  }
  let dirty = false;
  for (let s = out.values.length; s < seeds; s++) {
    const t0 = performance.now();
    out.values.push(seedValues(P, inputs, width, seed, s));
    dirty = true;
    tick(s, (performance.now() - t0) / 1000);
    if (s % 256 === 255) writeJsonAtomic(file, out);
  }
  if (dirty) writeJsonAtomic(file, out);
  return { ...out, values: out.values.slice(0, seeds) };
}

/** D_s of one set at time index k for every seed (seeds with a failed run are dropped). */
export function scaledDeviations(w: WidthValues, set: FluctuationSet, k: number): number[] {
  const rows = w.values.map((r) => r[k]).filter((r) => r.every((v) => Number.isFinite(v)));
  const [lo, hi] = set === 'train' ? [0, w.nTrain] : set === 'test' ? [w.nTrain, w.nTrain + w.nTest] : [w.nTrain + w.nTest, w.nTrain + w.nTest + 1];
  const S = rows.length;
  const mean = new Float64Array(hi - lo);
  for (const r of rows) for (let i = lo; i < hi; i++) mean[i - lo] += r[i] / S;
  return rows.map((r) => {
    let sq = 0;
    for (let i = lo; i < hi; i++) sq += (r[i] - mean[i - lo]) ** 2;
    return (w.width * S * sq) / ((S - 1) * (hi - lo));
  });
}
