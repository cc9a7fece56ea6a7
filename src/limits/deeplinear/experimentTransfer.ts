/**
 * The μP "wider is better" and learning-rate transfer experiment for deep linear networks
 * (theory/deeplinear.md#transfer; Yang & Hu 2021, arXiv 2011.14522; Bordelon & Pehlevan 2025,
 * arXiv 2502.02531, §4): {@link sweepWidthLr} over widths × rates for `meanfield` (μP) and
 * `ntk`, one (parameterization, rate) at a time (progress, resume), summarised as
 *
 * - `bestLr.<p>` per (width, seed): the rate minimising that seed's train loss after the fixed
 *   number of steps, refined by a parabola in (log η, log loss) through the grid minimum and its
 *   two neighbours (the grid value when the minimum is at an edge or a neighbour diverged). A
 *   rate that transfers gives exponent 0 against width;
 * - `lossDev.<p>` per (width, seed): |L_s − L^∞| at a fixed rate `lossLr` (before convergence) —
 *   the distance of the loss at a fixed time to the infinite-width value (μP: O(N^{−1/2}));
 * - `excessLoss.<p>` per width (seed null): mean_s L_s − L^∞ at `lossLr` (signed: "wider is
 *   better" when positive and shrinking);
 * - `trainLoss.<p>@<η>` per (width, seed): every loss of the sweep (data only).
 * Curves ({@link curveQuantity}): log10 of the train loss against flow time τ = η·steps (steps
 * fixed, so τ ∝ η): one line per width (mean over seeds) and the limit.
 */
import type { Status } from '../../core/errors.js';
import { type TransferConfig, type TransferRecord, sweepWidthLr } from './transfer.js';
import { cachedPart, num } from './experimentCache.js';

type Param = 'meanfield' | 'ntk';

export interface TransferExperimentResult {
  records: { width: number; seed: number | null; metric: string; value: number }[];
  curves: { width: number | null; seed: number | null; kind: string; time: number; quantity: string; value: number }[];
  status: Status;
  message: string;
  /** Per parameterization: the limit's best grid rate and its loss at `lossLr`; per width the grid argmin of the seed-mean loss and the mean excess at `lossLr`. */
  best: { parameterization: Param; limitLr: number; limitLoss: number; byWidth: { width: number; lr: number; excess: number }[] }[];
}

const revive = (x: unknown): TransferRecord[] => (x as TransferRecord[]).map((r) => ({ ...r, value: num(r.value) }));

/**
 * Name of the curve quantity of parameterization p (also the figure's file stem): the values are
 * log10 of the train loss (the report draws curve quantities of plug-in kinds on a linear axis,
 * and the losses span decades).
 */
export function curveQuantity(p: Param): string {
  return `log10TrainLoss.${p === 'meanfield' ? 'muP' : 'ntk'}`;
}

/** Run the sweep one (parameterization, rate) at a time, each saved under `out/parts/`. */
export function runTransferSweep(c: TransferConfig, out: string, tick?: (p: Param, lr: number, seconds: number, reused: boolean) => void): TransferRecord[] {
  const all: TransferRecord[] = [];
  for (const p of c.parameterizations) {
    for (const lr of c.lrs) {
      const t0 = performance.now();
      const one: TransferConfig = { ...c, parameterizations: [p], lrs: [lr] };
      const { data, reused } = cachedPart(out, `transfer-${p}-lr${lr}`, one, () => sweepWidthLr(one), revive);
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
 * loss (½ mean y², f_0 = 0). `lossLr`: the rate (one of c.lrs) of lossDev and excessLoss. `cap`: cells (width, rate) where some seed's loss exceeds
 * cap · loss0, or is not finite, are left out of the curves (unstable); their records keep the
 * values.
 */
export function summarizeTransfer(c: TransferConfig, rows: TransferRecord[], loss0: number, lossLr: number, cap = 1.5): TransferExperimentResult {
  const records: TransferExperimentResult['records'] = [];
  const curves: TransferExperimentResult['curves'] = [];
  const best: TransferExperimentResult['best'] = [];
  const train = rows.filter((r) => r.metric === 'trainLoss');
  let status: Status = 'ok';
  let message = '';
  const lrs = [...c.lrs].sort((a, b) => a - b);
  for (const p of c.parameterizations) {
    const mine = train.filter((r) => r.parameterization === p);
    const lim = (lr: number) => mine.find((r) => r.width === null && r.lr === lr)?.value ?? NaN;
    const at = (w: number, s: number, lr: number) => mine.find((r) => r.width === w && r.seed === s && r.lr === lr)?.value ?? NaN;
    const limitBest = bestRate(lrs, lrs.map(lim));
    const etaStar = limitBest.index >= 0 ? lrs[limitBest.index] : NaN;
    for (const lr of lrs) {
      const v = lim(lr);
      if (Number.isFinite(v) && v > 0 && v <= cap * loss0) curves.push({ width: null, seed: null, kind: 'limit', time: lr * c.steps, quantity: curveQuantity(p), value: Math.log10(v) });
    }
    const byWidth: TransferExperimentResult['best'][number]['byWidth'] = [];
    for (const w of c.widths) {
      const seeds = Array.from({ length: c.seeds }, (_, s) => s);
      for (const s of seeds) {
        const curve = lrs.map((lr) => at(w, s, lr));
        lrs.forEach((lr, k) => records.push({ width: w, seed: s, metric: `trainLoss.${p}@${lr}`, value: curve[k] }));
        records.push({ width: w, seed: s, metric: `bestLr.${p}`, value: bestRate(lrs, curve).lr });
        records.push({ width: w, seed: s, metric: `lossDev.${p}`, value: Math.abs(at(w, s, lossLr) - lim(lossLr)) });
      }
      const meanAt = (lr: number) => seeds.reduce((a, s) => a + at(w, s, lr), 0) / seeds.length;
      const excess = meanAt(lossLr) - lim(lossLr);
      records.push({ width: w, seed: null, metric: `excessLoss.${p}`, value: excess });
      const gridBest = bestRate(lrs, lrs.map(meanAt));
      byWidth.push({ width: w, lr: gridBest.index >= 0 ? lrs[gridBest.index] : NaN, excess });
      for (const lr of lrs) {
        const vals = seeds.map((s) => at(w, s, lr));
        if (vals.some((v) => !Number.isFinite(v) || v <= 0 || v > cap * loss0)) continue;
        vals.forEach((v, s) => curves.push({ width: w, seed: s, kind: 'finite', time: lr * c.steps, quantity: curveQuantity(p), value: Math.log10(v) }));
      }
    }
    best.push({ parameterization: p, limitLr: etaStar, limitLoss: lim(lossLr), byWidth });
  }
  const failed = rows.filter((r) => r.status !== 'ok' && r.status !== 'diverged' && r.status !== 'nan');
  if (failed.length > 0) [status, message] = ['failed', `${failed.length / 2} run(s) failed: ${failed[0].status}`];
  return { records, curves, status, message, best };
}
