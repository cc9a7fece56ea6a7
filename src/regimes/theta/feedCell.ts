/**
 * What a θ run with `feed` reports (theory/theta.md#feed): the first-order prediction of its rate
 * error from the kernel recorded along the flow and its split (feed.ts), the same from every other
 * record (the convergence check in the number of record times), the all-orders time under the
 * recorded path (feedPath.ts), and the measured rate ratio with t_meas located without the save
 * grid's bias.
 */
import type { Mat } from '../../core/matrix.js';
import { type KernelPath, feedPrediction } from './feed.js';
import { pathTimeTo } from './feedPath.js';
import { type FrozenSpectrum, frozenLoss } from './frozenRate.js';

export interface FeedCell {
  /** Kernels recorded (t = 0 included). */
  feedRecords: number;
  /** e_first, the predicted t_frozen/t_meas − 1, and its parts (a) within S, (b) fast → slow, (c) rest. */
  feedFirst: number;
  feedSlowSlow: number;
  feedFastSlow: number;
  feedRest: number;
  /** e_first from every other record time (t = 0 and the last kept). */
  feedFirstHalf: number;
  /** t_frozen/t_path − 1, the time under the recorded path solved to all orders. */
  feedPath: number;
  /** t_frozen/t_meas with t_meas from the frozen curve times the interpolated measured/frozen ratio. */
  rateRatioRefined: number;
}

/**
 * The first t with lossRatio = level, located as the root of ln L_f(t)/L_f(0) + D(t) = ln level where
 * D = ln(lossRatio/frozenRatio) is interpolated linearly in t between the saves that bracket the crossing
 * (D varies slowly; the curve's own decay is taken from the frozen spectrum exactly). NaN when never reached.
 */
export function refinedTimeBelow(times: readonly number[], lossRatio: readonly number[], sp: FrozenSpectrum, level: number): number {
  const L0 = frozenLoss(sp, 0);
  const lf = (t: number) => Math.log(frozenLoss(sp, t) / L0);
  const i = lossRatio.findIndex((v) => v <= level);
  if (i < 0) return NaN;
  if (i === 0) return times[0];
  const t0 = times[i - 1], t1 = times[i];
  const d0 = Math.log(lossRatio[i - 1]) - lf(t0), d1 = Math.log(lossRatio[i]) - lf(t1);
  const g = (t: number) => lf(t) + d0 + ((d1 - d0) * (t - t0)) / (t1 - t0) - Math.log(level);
  let lo = t0, hi = t1;
  if (!(g(lo) > 0 && g(hi) <= 0)) return t1;
  for (let it = 0; it < 100 && hi - lo > 1e-13 * hi; it++) {
    const mid = 0.5 * (lo + hi);
    if (g(mid) > 0) lo = mid; else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** Every other entry of the path, keeping t = 0 and the last record. */
function halfPath(p: KernelPath): KernelPath {
  const keep = p.times.map((_, i) => i).filter((i) => i % 2 === 0 || i === p.times.length - 1);
  return { times: keep.map((i) => p.times[i]), kernels: keep.map((i) => p.kernels[i]) };
}

export function feedOf(
  times: readonly number[], kernels: readonly Mat[], r0: ArrayLike<number>, tFrozen: number, level: number,
  lossTimes: readonly number[], lossRatio: readonly number[], sp: FrozenSpectrum,
): FeedCell {
  const path: KernelPath = { times, kernels };
  const f = feedPrediction(path, r0, tFrozen);
  return {
    feedRecords: times.length,
    feedFirst: f.first, feedSlowSlow: f.slowSlow, feedFastSlow: f.fastSlow, feedRest: f.rest,
    feedFirstHalf: feedPrediction(halfPath(path), r0, tFrozen).first,
    feedPath: tFrozen / pathTimeTo(path, r0, level) - 1,
    rateRatioRefined: tFrozen / refinedTimeBelow(lossTimes, lossRatio, sp, level),
  };
}
