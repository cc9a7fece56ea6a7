/**
 * Records, curves and claim statistics of the finite-width prefactor experiment
 * (theory/finite-width.md#prefactor-fit). Records are batch means: row b of metric
 * `ms.<activation>.<set>.t<τ>` at width h is the mean over seeds bB … bB+B−1 of
 * ‖f^(h)_τ − f^∞_τ[f_0]‖²/(n k) (unscaled), so the batches are independent rows for the
 * bootstrap and results.json stays small. The statistic `ratio.<activation>.<set>.t<τ>` is the fitted
 * prefactor (exponent fixed at −1, src/harness/prefactor.ts) over the predicted C(τ);
 * `ratio.…@h<w>` the same at one width (h × mean over seeds / C).
 */
import type { Statistic } from '../../harness/claims.js';
import { meanInterval } from '../../harness/judge.js';
import type { CurveRecord, FitRecord, GenericResults, LongRecord } from '../../harness/types.js';
import { type DeviationSet, SPLIT_SETS, type SeedDeviations } from './measure.js';
import { patternStatistics } from './patternStatistics.js';

export const PREDICTED_KIND = 'predicted C(τ) ± 2 SE';

export function metricName(activation: string, set: DeviationSet, time: number): string {
  return `ms.${activation}.${set}.t${time}`;
}

/** Batch-mean records of one (activation, width) at the claim times (indices `at` into `m.times`). */
export function batchRecords(activation: string, m: SeedDeviations, at: number[], batch: number): LongRecord[] {
  const out: LongRecord[] = [];
  const rows = Math.floor(m.train.length / batch);
  for (const set of (['train', 'test', ...SPLIT_SETS] as const).filter((k) => m[k] !== undefined)) {
    const v = m[set]!;
    for (const t of at) {
      const metric = metricName(activation, set, m.times[t]);
      for (let b = 0; b < rows; b++) {
        let s = 0;
        for (let i = b * batch; i < (b + 1) * batch; i++) s += v[i][t];
        out.push({ width: m.width, seed: b, metric, value: s / batch / m.width });
      }
    }
  }
  return out;
}

function meanSe(v: number[]): [number, number] {
  const f = v.filter((x) => Number.isFinite(x));
  const m = f.reduce((a, b) => a + b, 0) / f.length;
  const sd = Math.sqrt(f.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, f.length - 1));
  return [m, sd / Math.sqrt(f.length)];
}

/** The C(τ) figure's curves: per width h·mean square ± 2 SE over seeds, and the prediction ± 2 SE. */
export function prefactorCurves(activation: string, all: SeedDeviations[], pred: { train: number[]; trainSe: number[]; test: number[]; testSe: number[] }): CurveRecord[] {
  const out: CurveRecord[] = [];
  const sets = (['train', 'test', 'trainLin', 'testLin'] as const).filter((k) => all[0][k] !== undefined);
  for (const measured of sets) {
    const set = measured === 'trainLin' ? 'train' : measured === 'testLin' ? 'test' : measured;
    const quantity = `C.${activation}.${measured}`;
    const times = all[0].times;
    times.forEach((time, t) => {
      if (time === 0) return;
      for (const m of all) {
        const [mean, se] = meanSe(m[measured]!.map((r) => r[t]));
        for (const v of [mean - 2 * se, mean + 2 * se]) out.push({ width: m.width, seed: null, kind: 'measured', time, quantity, value: v });
      }
      const c = pred[set][t];
      const se = pred[set === 'train' ? 'trainSe' : 'testSe'][t];
      for (const v of [c - 2 * se, c + 2 * se]) out.push({ width: null, seed: null, kind: PREDICTED_KIND, time, quantity, value: v });
    });
  }
  return out;
}

/** ratio = fitted prefactor / predicted one; the prediction's Monte Carlo error added in quadrature (relative). */
function ratioOfFit(f: FitRecord, seeds: number, batches: number): Statistic | null {
  if (!f.prefactor || !f.predicted || !(f.predicted.prefactor > 0)) return null;
  const c = f.predicted.prefactor;
  const r = f.prefactor.estimate / c;
  const rel = (f.predicted.prefactorSe ?? 0) / c;
  const z = 1.959964;
  const lo = r - Math.hypot(r - f.prefactor.ci[0] / c, z * rel * r);
  const hi = r + Math.hypot(f.prefactor.ci[1] / c - r, z * rel * r);
  return {
    estimate: r, ci: [lo, hi], seeds,
    note: `fitted prefactor (exponent fixed at ${f.predicted.exponent}) over widths ${f.widths.join(', ')} / predicted C = ${c.toPrecision(4)}; 95 % bootstrap over ${batches} batches of seeds, the prediction's Monte Carlo error added in quadrature`,
  };
}

/**
 * `share.<act>.<set>Motion.t<τ>@h<w>`: h × the mean square of f^(h) − f^lin over the predicted C(τ)
 * of the same set and time — the kernel motion's own share (theory/finite-width.md#split).
 */
function motionShares(r: GenericResults, f: FitRecord, C: number, batch: number): Record<string, Statistic> {
  const out: Record<string, Statistic> = {};
  for (const w of f.widths) {
    const v = r.records.filter((x) => x.metric === f.metric && x.width === w && x.seed !== null).map((x) => (x.value * w) / C);
    const m = meanInterval(v, `share.${f.metric.slice(3)}@h${w}`);
    out[`share.${f.metric.slice(3)}@h${w}`] = { ...m, seeds: m.seeds * batch, note: `h × mean square of f^(h) − f^lin / C = ${C.toPrecision(4)} at h = ${w} (bootstrap over ${m.seeds} batches)` };
  }
  return out;
}

/** The claim statistics from a saved results.json (called after the run and by `experiment rejudge`). */
export function prefactorStatistics(r: GenericResults): Record<string, Statistic> {
  const batch = Number((r.spec as { batch?: number } | undefined)?.batch ?? 1);
  const out: Record<string, Statistic> = patternStatistics(r, batch);
  for (const f of r.fits) {
    if (!f.metric.startsWith('ms.')) continue;
    const motion = f.metric.match(/^ms\.(.+)\.(train|test)Motion\.(t.+)$/);
    const base = motion ? r.fits.find((x) => x.metric === `ms.${motion[1]}.${motion[2]}.${motion[3]}`)?.predicted : undefined;
    if (motion && base && base.prefactor > 0) Object.assign(out, motionShares(r, f, base.prefactor, batch));
    const name = `ratio.${f.metric.slice(3)}`;
    const s = ratioOfFit(f, f.nSeeds * batch, f.nSeeds);
    if (!s || !f.predicted) continue;
    out[name] = s;
    for (const w of f.widths) {
      const v = r.records.filter((x) => x.metric === f.metric && x.width === w && x.seed !== null).map((x) => (x.value * w) / f.predicted!.prefactor);
      const m = meanInterval(v, `${name}@h${w}`);
      out[`${name}@h${w}`] = { ...m, seeds: m.seeds * batch, note: `h × mean square / C at h = ${w} (bootstrap over ${m.seeds} batches; the prediction's error not included)` };
    }
  }
  return out;
}
