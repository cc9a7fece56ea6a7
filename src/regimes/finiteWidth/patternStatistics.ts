/**
 * Records and claim statistics of the activation-pattern change (patterns.ts,
 * theory/finite-width.md#motion-theory). Per hidden layer l (1-based in the names) and batch of
 * seeds, batch means of four non-negative fractions: `pat.<act>.flipTrain.L<l>` (units whose sign
 * changed, training inputs), `pat.<act>.dropTrain.L<l>` (net loss of active units, training
 * inputs), `pat.<act>.onTest.L<l>` and `pat.<act>.offTest.L<l>` (units turned on, turned off, test
 * inputs). They are fitted as power laws like every record. The statistic
 * `patshare.<act>.test.L<l>` is the net drop over the flips at the test inputs,
 * (off − on)/(off + on), averaged over the widths; the theory predicts 0 at leading order there
 * (no unit slides at an input it is not trained on), against a share of O(1) at the training inputs.
 */
import { Rng } from '../../core/rng.js';
import type { Statistic } from '../../harness/claims.js';
import type { GenericResults, LongRecord } from '../../harness/types.js';
import { percentileInterval } from '../common/seedStatistic.js';
import type { SeedDeviations } from './measure.js';

const NBOOT = 2000;

/** The per-seed value of each recorded statistic from a row of SeedDeviations.patterns (entries 4l … 4l+3). */
const STATS: Record<string, (p: number[], l: number) => number> = {
  flipTrain: (p, l) => p[4 * l],
  dropTrain: (p, l) => p[4 * l + 2],
  onTest: (p, l) => (p[4 * l + 1] - p[4 * l + 3]) / 2,
  offTest: (p, l) => (p[4 * l + 1] + p[4 * l + 3]) / 2,
};

/** Batch-mean records of the pattern change of one (activation, width); none without patterns. */
export function patternRecords(activation: string, m: SeedDeviations, batch: number): LongRecord[] {
  const p = m.patterns;
  if (!p || p.length === 0) return [];
  const out: LongRecord[] = [];
  const layers = Math.floor(p[0].length / 4);
  const rows = Math.floor(p.length / batch);
  for (let l = 0; l < layers; l++) {
    for (const [stat, f] of Object.entries(STATS)) {
      for (let b = 0; b < rows; b++) {
        let s = 0;
        for (let i = b * batch; i < (b + 1) * batch; i++) s += f(p[i], l);
        out.push({ width: m.width, seed: b, metric: `pat.${activation}.${stat}.L${l + 1}`, value: s / batch });
      }
    }
  }
  return out;
}

/** [width] → [row] values of one metric (rows in seed order). */
function table(r: GenericResults, metric: string): Map<number, number[]> {
  const t = new Map<number, number[]>();
  for (const x of r.records) {
    if (x.metric !== metric || x.width === null || x.seed === null) continue;
    if (!t.has(x.width)) t.set(x.width, []);
    t.get(x.width)![x.seed] = x.value;
  }
  return t;
}

/** `patshare.<act>.test.L<l>` for every layer with on/off records: estimate and percentile bootstrap over rows. */
export function patternStatistics(r: GenericResults, batch: number): Record<string, Statistic> {
  const out: Record<string, Statistic> = {};
  for (const f of r.fits) {
    const m = f.metric.match(/^pat\.(.+)\.onTest\.(L\d+)$/);
    if (!m) continue;
    const on = table(r, f.metric), off = table(r, `pat.${m[1]}.offTest.${m[2]}`);
    const widths = [...on.keys()].filter((w) => off.has(w)).sort((a, b) => a - b);
    const rows = Math.min(...widths.map((w) => Math.min(on.get(w)!.length, off.get(w)!.length)));
    if (widths.length === 0 || !(rows >= 2)) continue;
    const share = (idx: ArrayLike<number>) => {
      let s = 0;
      for (const w of widths) {
        let a = 0, b = 0;
        for (let k = 0; k < idx.length; k++) { a += off.get(w)![idx[k]]; b += on.get(w)![idx[k]]; }
        s += (a - b) / (a + b);
      }
      return s / widths.length;
    };
    const name = `patshare.${m[1]}.test.${m[2]}`;
    const ci = percentileInterval(rows, share, new Rng(`${name}/bootstrap`).child('rows'), NBOOT);
    out[name] = {
      estimate: share(Int32Array.from({ length: rows }, (_, k) => k)), ci, seeds: rows * batch,
      note: `net loss of active units over units that changed sign at the test inputs, (off − on)/(off + on), mean over widths ${widths.join(', ')}; 95 % percentile bootstrap over ${rows} rows of ${batch} seeds (the same rows at every width)`,
    };
  }
  return out;
}
