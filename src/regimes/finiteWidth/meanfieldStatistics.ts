/**
 * Records, curves and claim statistics of the mean-field fluctuation experiment
 * (theory/finite-width-meanfield.md#experiment). Record rows are batch means: row b of metric
 * `var.<set>.t<τ>` at width m is the mean over seeds bB … bB+B−1 of D_s / m (meanfieldMeasure.ts),
 * so m × the mean of the rows is m × the seed variance. Widths carry different numbers of seeds
 * (equal cost per width), so the pooled prefactor is the seed-weighted mean over widths of
 * m × variance — the least-squares constant of variance = c/m with weights ∝ seeds — and its
 * interval a percentile bootstrap resampling rows within each width (the widths' seeds are
 * independent). `ratio.<set>.t<τ>` divides it by the predicted C(t) (its Monte Carlo error added
 * in quadrature, relative); `ratio.…@h<m>` is one width alone.
 */
import { Rng } from '../../core/rng.js';
import type { Statistic } from '../../harness/claims.js';
import { meanInterval } from '../../harness/judge.js';
import type { CurveRecord, GenericResults, LongRecord } from '../../harness/types.js';
import { type FluctuationSet, SETS, type WidthValues, scaledDeviations } from './meanfieldMeasure.js';
import { PREDICTED_KIND } from './statistics.js';

export const fluctuationMetric = (set: FluctuationSet, tau: number): string => `var.${set}.t${tau}`;

/** Predicted C per metric, stored in results.json's `spec.predicted`. */
export type PredictedTable = Record<string, { C: number; se: number }>;

/** Batch-mean rows of every set and record time at one width. */
export function fluctuationRecords(w: WidthValues, taus: number[], batch: number): LongRecord[] {
  const out: LongRecord[] = [];
  for (const set of SETS) {
    taus.forEach((tau, k) => {
      const D = scaledDeviations(w, set, k);
      const rows = Math.floor(D.length / batch);
      for (let b = 0; b < rows; b++) {
        let s = 0;
        for (let i = b * batch; i < (b + 1) * batch; i++) s += D[i];
        out.push({ width: w.width, seed: b, metric: fluctuationMetric(set, tau), value: s / batch / w.width });
      }
    });
  }
  return out;
}

function meanSe(v: number[]): [number, number] {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, v.length - 1));
  return [m, sd / Math.sqrt(v.length)];
}

/** The C(t) figure: per width m × variance ± 2 SE at every record time, and the prediction ± 2 SE. */
export function fluctuationCurves(all: WidthValues[], taus: number[], predicted: PredictedTable, limit = 'meanfield'): CurveRecord[] {
  const out: CurveRecord[] = [];
  for (const set of SETS) {
    const quantity = `C.${limit}.${set}`;
    taus.forEach((time, k) => {
      for (const w of all) {
        const [mean, se] = meanSe(scaledDeviations(w, set, k));
        for (const v of [mean - 2 * se, mean + 2 * se]) out.push({ width: w.width, seed: null, kind: 'measured', time, quantity, value: v });
      }
      const p = predicted[fluctuationMetric(set, time)];
      if (p) for (const v of [p.C - 2 * p.se, p.C + 2 * p.se]) out.push({ width: null, seed: null, kind: PREDICTED_KIND, time, quantity, value: v });
    });
  }
  return out;
}

const NBOOT = 2000;

/** Seed-weighted pooled prefactor Σ_w n_w m_w x̄_w / Σ n_w with a stratified percentile bootstrap. */
function pooled(byWidth: Map<number, number[]>, seed: string): { estimate: number; ci: [number, number]; rows: number } {
  const groups = [...byWidth.entries()].map(([m, v]) => v.map((x) => m * x));
  const total = groups.reduce((a, g) => a + g.length, 0);
  const est = groups.reduce((a, g) => a + g.reduce((s, x) => s + x, 0), 0) / total;
  const rng = new Rng(seed).child('pooled');
  const boot = new Float64Array(NBOOT);
  for (let b = 0; b < NBOOT; b++) {
    let s = 0;
    for (const g of groups) for (let i = 0; i < g.length; i++) s += g[rng.int(g.length)];
    boot[b] = s / total;
  }
  boot.sort();
  const q = (p: number) => boot[Math.min(NBOOT - 1, Math.max(0, Math.round(p * (NBOOT - 1))))];
  return { estimate: est, ci: [q(0.025), q(0.975)], rows: total };
}

/** The claim statistics from a saved results.json (after the run and by `experiment rejudge`). */
export function fluctuationStatistics(r: GenericResults): Record<string, Statistic> {
  const spec = r.spec as { batch?: number; predicted?: PredictedTable } | undefined;
  const batch = Number(spec?.batch ?? 1);
  const predicted = spec?.predicted ?? {};
  const out: Record<string, Statistic> = {};
  const z = 1.959964;
  for (const [metric, p] of Object.entries(predicted)) {
    if (!(p.C > 0)) continue;
    const byWidth = new Map<number, number[]>();
    for (const x of r.records) {
      if (x.metric !== metric || x.width === null || x.seed === null) continue;
      if (!byWidth.has(x.width)) byWidth.set(x.width, []);
      byWidth.get(x.width)!.push(x.value);
    }
    if (byWidth.size === 0) continue;
    const name = `ratio.${metric.slice(4)}`;
    const f = pooled(byWidth, `${name}/bootstrap`);
    const ratio = f.estimate / p.C;
    const rel = z * (p.se / p.C) * ratio;
    out[name] = {
      estimate: ratio, ci: [ratio - Math.hypot(ratio - f.ci[0] / p.C, rel), ratio + Math.hypot(f.ci[1] / p.C - ratio, rel)], seeds: f.rows * batch,
      note: `seed-weighted mean over widths ${[...byWidth.keys()].join(', ')} of m × seed variance / predicted C = ${p.C.toPrecision(4)} ± ${p.se.toPrecision(2)}; 95 % bootstrap over batches of ${batch} seeds within each width, the prediction's Monte Carlo error added in quadrature`,
    };
    for (const [w, v] of byWidth) {
      const m = meanInterval(v.map((x) => (x * w) / p.C), `${name}@h${w}`);
      out[`${name}@h${w}`] = { ...m, seeds: m.seeds * batch, note: `m × seed variance / C at m = ${w} (bootstrap over ${m.seeds} batches; the prediction's error not included)` };
    }
  }
  return out;
}
