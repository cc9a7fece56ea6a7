/**
 * From the runs of the θ phase diagram to one verdict per point (theory/theta.md#rules): the
 * exponent e of RD(θ_w) ∝ m^e fitted over widths (bootstrap over seeds), its class
 * (classifyExponent), the class Luo et al. put there, and — in the θ-lazy area, log κ/log m > 0 —
 * the loss-rate check against the frozen kernel at the largest width.
 */
import type { FitRecord } from '../../harness/types.js';
import type { ThetaCell } from './cell.js';
import { type Regime, type ThetaPoint, classifyExponent, kappaExponent, pointKey, pointLabel, predictedRdExponent, theoreticalRegime } from './exponents.js';

export interface PhasePoint {
  point: ThetaPoint;
  label: string;
  /** lim log κ / log m = 1 − γ. */
  kappaExponent: number;
  theory: Regime;
  /** Heuristic exponent of RD(θ_w) (exponents.ts, [derived]). */
  predicted: number;
  exponent: number;
  ci: [number, number];
  measured: Regime | 'unknown';
  agrees: boolean;
  /** θ-lazy points: mean over seeds of t_frozen/t_meas at the largest width, and whether |… − 1| ≤ tolerance. */
  rateRatio: number;
  ratePass: boolean | null;
}

/** The metric name of RD(θ_w) at a point. */
export function rdMetric(pt: ThetaPoint): string {
  return `rdInput@${pointKey(pt)}`;
}

/** The metric name of the loss-rate error |t_frozen/t_meas − 1| at a point. */
export function rateMetric(pt: ThetaPoint): string {
  return `rateError@${pointKey(pt)}`;
}

export function phasePoints(points: readonly ThetaPoint[], cells: readonly ThetaCell[], fits: readonly FitRecord[], band: number, rateTolerance: number): PhasePoint[] {
  const mMax = Math.max(...cells.map((c) => c.width));
  return points.map((pt) => {
    const fit = fits.find((f) => f.metric === rdMetric(pt));
    const exponent = fit ? fit.exponent : NaN;
    const measured = classifyExponent(exponent, band);
    const theory = theoreticalRegime(pt);
    const same = (c: ThetaCell) => c.point.gamma === pt.gamma && c.point.gammaPrime === pt.gammaPrime;
    const top = cells.filter((c) => same(c) && c.width === mMax && c.status === 'ok' && Number.isFinite(c.rateRatio));
    const rateRatio = top.length ? top.reduce((a, c) => a + c.rateRatio, 0) / top.length : NaN;
    const lazy = kappaExponent(pt) > 0;
    return {
      point: pt, label: pointLabel(pt), kappaExponent: kappaExponent(pt), theory, predicted: predictedRdExponent(pt),
      exponent, ci: fit ? fit.ci : [NaN, NaN], measured, agrees: measured === theory,
      rateRatio, ratePass: lazy ? Math.abs(rateRatio - 1) <= rateTolerance : null,
    };
  });
}
