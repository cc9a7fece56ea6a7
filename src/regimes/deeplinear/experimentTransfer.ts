/**
 * The μP "wider is better" and learning-rate transfer experiment for deep linear networks
 * (theory/deeplinear.md#transfer; Yang & Hu 2021, arXiv 2011.14522; Bordelon & Pehlevan 2025,
 * arXiv 2502.02531, §4): {@link sweepWidthLr} over widths × rates for `meanfield` (μP), `ntk` and
 * `standard`, one (parameterization, rate) at a time (progress, resume), summarised as
 *
 * - `bestLr.<p>` per (width, seed): the rate minimising that seed's train loss after the fixed
 *   number of steps, refined by a parabola in (log η, log loss) through the grid minimum and its
 *   two neighbours (the grid value when the minimum is at an edge or a neighbour diverged). A
 *   rate that transfers gives exponent 0 against width; the standard parameterization's falls ∝ 1/N;
 * - `bestLrGap.<p>` per (width, seed), where the limit exists: |ln(η*_s / η*_∞)|, the distance of
 *   the seed's best rate from the limit's (refined the same way);
 * - `lossDev.<p>` per (width, seed), where the limit exists: |L_s − L^∞| at a fixed rate `lossLr`
 *   (before convergence) — the distance of the loss at a fixed time to the infinite-width value
 *   (O(N^{−1/2})).
 * The limit of a seed is the recursion's (f_0 = 0) in μP, and in the NTK parameterization the lazy
 * limit started from that seed's own f_0 (`pathwiseTrainLoss` records; its f_0 is O(1) at every
 * width, so a comparison with the f_0 = 0 limit would measure the initial function, not the width);
 * - `excessLoss.<p>` per width (seed null): mean_s L_s − L^∞ at `lossLr` (signed: "wider is
 *   better" when positive and shrinking);
 * - `trainLoss.<p>@<η>` per (width, seed): every loss of the sweep (data only).
 * Curves ({@link curveQuantity}): the train loss after the fixed number of steps against the rate
 * η (log–log): one line per width (mean over seeds) and the limit.
 */
import type { Status } from '../../core/errors.js';
import type { QuantityLabel } from '../../harness/report/labels.js';
import { type TransferConfig, type TransferParam, type TransferRecord, hasLimit, lrsOf, sweepWidthLr } from './transfer.js';
import { cachedPart, num } from './experimentCache.js';

type Param = TransferParam;

export interface TransferExperimentResult {
  records: { width: number; seed: number | null; metric: string; value: number }[];
  curves: { width: number | null; seed: number | null; kind: string; time: number; quantity: string; value: number }[];
  status: Status;
  message: string;
  /**
   * Per parameterization: the limit's best rate (refined; NaN without a limit) and its loss at
   * `lossLr`; per width the grid argmin of the seed-mean loss and the mean excess at `lossLr`.
   */
  best: { parameterization: Param; limitLr: number; limitLoss: number; byWidth: { width: number; lr: number; excess: number }[] }[];
}

/** Short name of a parameterization in titles. */
export function paramName(p: Param): string {
  return p === 'meanfield' ? 'μP' : p === 'ntk' ? 'NTK' : 'SP';
}

const revive = (x: unknown): TransferRecord[] => (x as TransferRecord[]).map((r) => ({ ...r, value: num(r.value) }));

/** Name of the curve quantity of parameterization p (also the figure's file stem). */
export function curveQuantity(p: Param): string {
  return `trainLoss.${p === 'meanfield' ? 'muP' : p === 'ntk' ? 'ntk' : 'sp'}`;
}

/** How the report draws the curves: loss after `steps` steps against η, both axes logarithmic. */
export function transferCurveLabels(c: TransferConfig): Record<string, QuantityLabel> {
  const out: Record<string, QuantityLabel> = {};
  for (const p of c.parameterizations) {
    out[curveQuantity(p)] = {
      title: `Train loss after ${c.steps} steps against the learning rate (${paramName(p)})`,
      axis: `train loss L_T, T = ${c.steps} steps`,
      log: true,
      xAxis: 'learning rate η',
      xLog: true,
      series: 'N',
      subtitle: `mean over seeds (line), min–max (band)${hasLimit(p) ? '; the infinite-width limit dashed' : '; no infinite-width limit at fixed η'}`,
    };
  }
  return out;
}

/** Run the sweep one (parameterization, rate) at a time, each saved under `out/parts/`. */
export function runTransferSweep(c: TransferConfig, out: string, tick?: (p: Param, lr: number, seconds: number, reused: boolean) => void): TransferRecord[] {
  const all: TransferRecord[] = [];
  for (const p of c.parameterizations) {
    for (const lr of lrsOf(c, p)) {
      const t0 = performance.now();
      const one: TransferConfig = { ...c, parameterizations: [p], lrs: [lr] };
      delete one.lrsFor;
      // ntk parts also hold the path-wise lazy losses (a changed record set: a new hash)
      const key = p === 'ntk' ? { ...one, pathwise: true } : one;
      const { data, reused } = cachedPart(out, `transfer-${p}-lr${lr}`, key, () => sweepWidthLr(one), revive);
      all.push(...data);
      tick?.(p, lr, (performance.now() - t0) / 1000, reused);
    }
  }
  return all;
}

/**
 * Vertex of the parabola through (x_{i−1}, y_{i−1}), (x_i, y_i), (x_{i+1}, y_{i+1}) (any spacing),
 * clamped to [x_{i−1}, x_{i+1}]; x_i when the three points are collinear or not convex.
 */
export function parabolaVertex(x: [number, number, number], y: [number, number, number]): number {
  const [x0, x1, x2] = x;
  const [y0, y1, y2] = y;
  const num = (x1 - x0) ** 2 * (y1 - y2) - (x1 - x2) ** 2 * (y1 - y0);
  const den = (x1 - x0) * (y1 - y2) - (x1 - x2) * (y1 - y0);
  if (!(den < 0 || den > 0) || !Number.isFinite(num)) return x1;
  const v = x1 - 0.5 * (num / den);
  // the parabola must open upwards (y1 below the chord between its neighbours)
  const chord = y0 + ((y2 - y0) * (x1 - x0)) / (x2 - x0);
  if (!(y1 < chord)) return x1;
  return Math.min(x2, Math.max(x0, v));
}

/**
 * The best rate of one loss-vs-rate curve (rates increasing; NaN = diverged = +∞): the grid
 * argmin, refined by {@link parabolaVertex} in (log η, log L) when both neighbours are finite.
 */
export function bestRate(lrs: number[], losses: number[]): { lr: number; index: number; refined: boolean } {
  let i = -1;
  losses.forEach((l, k) => { if (Number.isFinite(l) && (i < 0 || l < losses[i])) i = k; });
  if (i < 0) return { lr: NaN, index: -1, refined: false };
  if (i === 0 || i === lrs.length - 1 || !Number.isFinite(losses[i - 1]) || !Number.isFinite(losses[i + 1]) || losses[i] <= 0) {
    return { lr: lrs[i], index: i, refined: false };
  }
  const x: [number, number, number] = [Math.log(lrs[i - 1]), Math.log(lrs[i]), Math.log(lrs[i + 1])];
  const y: [number, number, number] = [Math.log(losses[i - 1]), Math.log(losses[i]), Math.log(losses[i + 1])];
  return { lr: Math.exp(parabolaVertex(x, y)), index: i, refined: true };
}

/**
 * Records and curves of the sweep (see the module comment). `loss0`: the limit's initial train
 * loss (½ mean y², f_0 = 0). `lossLr`: the rate (one of the grid of every parameterization with a
 * limit) of lossDev and excessLoss. `cap`: cells (width, rate) where some seed's loss exceeds
 * cap · loss0, or is not finite, are left out of the curves (unstable); their records keep the
 * values.
 */
export function summarizeTransfer(c: TransferConfig, rows: TransferRecord[], loss0: number, lossLr: number, cap = 1.5): TransferExperimentResult {
  const records: TransferExperimentResult['records'] = [];
  const curves: TransferExperimentResult['curves'] = [];
  const best: TransferExperimentResult['best'] = [];
  // one index of every value, so each lookup below is O(1) (width and seed null for the limit)
  const index = new Map<string, number>();
  const key = (p: string, metric: string, w: number | null, s: number | null, lr: number) => `${p}|${metric}|${w}|${s}|${lr}`;
  for (const r of rows) index.set(key(r.parameterization, r.metric, r.width, r.seed, r.lr), r.value);
  const value = (p: string, metric: string, w: number | null, s: number | null, lr: number) => index.get(key(p, metric, w, s, lr)) ?? NaN;
  let status: Status = 'ok';
  let message = '';
  for (const p of c.parameterizations) {
    const lrs = lrsOf(c, p);
    const limited = hasLimit(p);
    const lim = (lr: number) => value(p, 'trainLoss', null, null, lr);
    const at = (w: number, s: number, lr: number) => value(p, 'trainLoss', w, s, lr);
    const etaStar = limited ? bestRate(lrs, lrs.map(lim)).lr : NaN;
    for (const lr of lrs) {
      const v = lim(lr);
      if (Number.isFinite(v) && v > 0 && v <= cap * loss0) curves.push({ width: null, seed: null, kind: 'limit', time: lr, quantity: curveQuantity(p), value: v });
    }
    // per-seed reference: μP → the limit (its f_0 = 0 is the N → ∞ value); ntk → the lazy limit
    // from that network's own f_0 (its f_0 stays O(1) at every width: path-wise comparison)
    const ref = p === 'ntk'
      ? (w: number, s: number, lr: number) => value(p, 'pathwiseTrainLoss', w, s, lr)
      : (_w: number, _s: number, lr: number) => lim(lr);
    const byWidth: TransferExperimentResult['best'][number]['byWidth'] = [];
    for (const w of c.widths) {
      const seeds = Array.from({ length: c.seeds }, (_, s) => s);
      for (const s of seeds) {
        const curve = lrs.map((lr) => at(w, s, lr));
        lrs.forEach((lr, k) => records.push({ width: w, seed: s, metric: `trainLoss.${p}@${lr}`, value: curve[k] }));
        const mineBest = bestRate(lrs, curve).lr;
        records.push({ width: w, seed: s, metric: `bestLr.${p}`, value: mineBest });
        if (limited) {
          const refBest = p === 'ntk' ? bestRate(lrs, lrs.map((lr) => ref(w, s, lr))).lr : etaStar;
          records.push({ width: w, seed: s, metric: `bestLrGap.${p}`, value: Math.abs(Math.log(mineBest / refBest)) });
          records.push({ width: w, seed: s, metric: `lossDev.${p}`, value: Math.abs(at(w, s, lossLr) - ref(w, s, lossLr)) });
        }
      }
      const meanAt = (lr: number) => seeds.reduce((a, s) => a + at(w, s, lr), 0) / seeds.length;
      const excess = limited ? meanAt(lossLr) - lim(lossLr) : NaN;
      if (limited) records.push({ width: w, seed: null, metric: `excessLoss.${p}`, value: excess });
      const gridBest = bestRate(lrs, lrs.map(meanAt));
      byWidth.push({ width: w, lr: gridBest.index >= 0 ? lrs[gridBest.index] : NaN, excess });
      for (const lr of lrs) {
        const vals = seeds.map((s) => at(w, s, lr));
        if (vals.some((v) => !Number.isFinite(v) || v <= 0 || v > cap * loss0)) continue;
        vals.forEach((v, s) => curves.push({ width: w, seed: s, kind: 'finite', time: lr, quantity: curveQuantity(p), value: v }));
      }
    }
    best.push({ parameterization: p, limitLr: etaStar, limitLoss: limited ? lim(lossLr) : NaN, byWidth });
  }
  const failed = rows.filter((r) => r.status !== 'ok' && r.status !== 'diverged' && r.status !== 'nan');
  if (failed.length > 0) [status, message] = ['failed', `${failed.length / 2} run(s) failed: ${failed[0].status}`];
  return { records, curves, status, message, best };
}
