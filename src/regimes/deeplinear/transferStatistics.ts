/**
 * Named statistics of a saved deep-linear transfer run, for claims that are not exponents
 * (theory/deeplinear.md#transfer, "wider is better"): the signed excess loss
 * E(N) = mean_s L_T(N, s) − L_T^∞ at the rate η_L of `lossDev`, per width, with a bootstrap
 * interval over seeds, and the drop E(N_min) − E(N_max) between the narrowest and the widest
 * network. Computed from the saved records only (so `widelimit experiment rejudge` recomputes them).
 */
import type { Statistic } from '../../harness/claims.js';
import { MEAN_NBOOT, meanInterval } from '../../harness/judge.js';
import { Rng } from '../../core/rng.js';
import { quantile, sorted } from '../../core/stats.js';
import type { GenericResults, LongRecord } from '../../harness/types.js';
import { readNumber } from '../../harness/types.js';

/**
 * The limit's loss at the rate η_L, recovered as mean_s L(N, s) − excessLoss(N) (the same at every
 * width), and the rate: the `trainLoss.<p>@η` whose implied limit agrees across widths.
 */
function limitOf(rows: readonly LongRecord[], p: string, widths: number[]): { lr: string; limit: number } | null {
  const excess = new Map(rows.filter((r) => r.metric === `excessLoss.${p}` && r.seed === null).map((r) => [r.width, readNumber(r.value)]));
  if (excess.size === 0) return null;
  const rates = [...new Set(rows.filter((r) => r.metric.startsWith(`trainLoss.${p}@`)).map((r) => r.metric.slice(`trainLoss.${p}@`.length)))];
  let best: { lr: string; limit: number; spread: number } | null = null;
  for (const lr of rates) {
    const lims = widths.map((w) => {
      const v = rows.filter((r) => r.metric === `trainLoss.${p}@${lr}` && r.width === w && r.seed !== null).map((r) => readNumber(r.value));
      return v.reduce((a, b) => a + b, 0) / v.length - (excess.get(w) ?? NaN);
    }).filter((x) => Number.isFinite(x));
    if (lims.length === 0) continue;
    const spread = Math.max(...lims) - Math.min(...lims);
    if (!best || spread < best.spread) best = { lr, limit: lims[0], spread };
  }
  return best && best.spread <= 1e-9 * Math.max(1, Math.abs(best.limit)) ? best : null;
}

/** `excessLoss.<p>@<N>` per width and `excessDrop.<p>` = E(N_min) − E(N_max), for μP and NTK. */
export function transferStatistics(r: GenericResults): Record<string, Statistic> {
  const out: Record<string, Statistic> = {};
  const widths = [...r.widths].sort((a, b) => a - b);
  for (const p of ['meanfield', 'ntk']) {
    const lim = limitOf(r.records, p, widths);
    if (!lim) continue;
    const excessOf = (w: number) => r.records
      .filter((x) => x.metric === `trainLoss.${p}@${lim.lr}` && x.width === w && x.seed !== null)
      .map((x) => readNumber(x.value) - lim.limit);
    for (const w of widths) out[`excessLoss.${p}@${w}`] = { ...meanInterval(excessOf(w), `excess/${p}/${w}`), note: `L_T − L_T^∞ at η = ${lim.lr}` };
    const a = excessOf(widths[0]), b = excessOf(widths[widths.length - 1]);
    out[`excessDrop.${p}`] = { ...differenceInterval(a, b, `drop/${p}`), note: `E(${widths[0]}) − E(${widths[widths.length - 1]}) at η = ${lim.lr}` };
  }
  return out;
}

/** mean(a) − mean(b) of independent samples, 95 % percentile bootstrap (each resampled on its own). */
function differenceInterval(a0: readonly number[], b0: readonly number[], seed: string): Statistic {
  const a = a0.filter(Number.isFinite), b = b0.filter(Number.isFinite);
  const mean = (v: readonly number[]) => v.reduce((x, y) => x + y, 0) / v.length;
  const d = mean(a) - mean(b);
  if (a.length < 2 || b.length < 2) return { estimate: d, ci: [d, d], seeds: Math.min(a.length, b.length) };
  const rng = new Rng(seed).child('difference');
  const boot = new Float64Array(MEAN_NBOOT);
  const draw = (v: readonly number[]) => {
    let s = 0;
    for (let i = 0; i < v.length; i++) s += v[rng.int(v.length)];
    return s / v.length;
  };
  for (let k = 0; k < MEAN_NBOOT; k++) boot[k] = draw(a) - draw(b);
  const q = sorted(boot);
  return { estimate: d, ci: [quantile(q, 0.025), quantile(q, 0.975)], seeds: Math.min(a.length, b.length) };
}
