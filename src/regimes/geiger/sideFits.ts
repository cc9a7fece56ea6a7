/**
 * Power-law fits against the regime variable √h·α on one side of the crossover
 * (theory/geiger.md#rules): lazy-side kernel motion ∝ (√hα)^q (Geiger et al. 2020, arXiv
 * 1906.08034, §3: q = −1) and feature-side t_1 ∝ (√hα)^b (§4: b = 1).
 *
 * Rows of the fit are the (width, seed) curves, columns the √hα values: the slope is fitted to
 * the mean over curves at each √hα (every width has the same √hα grid, so a width-dependent
 * prefactor does not bias the slope), and the interval is a percentile bootstrap over curves
 * (core/fit.ts). The record uses the harness's FitRecord with `widths` holding the √hα values.
 */
import { fitPowerLaw } from '../../core/fit.js';
import type { Rng } from '../../core/rng.js';
import { DEFAULT_LEVEL, DEFAULT_NBOOT, DEFAULT_TOLERANCE, verdictOf } from '../../harness/fits.js';
import type { Expectation, FitRecord } from '../../harness/types.js';
import type { GeigerCell } from './cell.js';

/** Mean of √h α* over the (width, seed) curves that cross (NaN if none). */
export function meanCrossover(sqrtHAlphaStar: readonly number[]): number {
  const v = sqrtHAlphaStar.filter((x) => Number.isFinite(x) && x > 0);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
}

/** Fit `value(run) ∝ (√hα)^p` over the ok runs selected by `keep`. */
export function sideFit(
  cells: readonly GeigerCell[], keep: (c: GeigerCell) => boolean, value: (c: GeigerCell) => number,
  metric: string, e: Expectation | undefined, rng: Rng, why: string,
): FitRecord {
  const runs = cells.filter((c) => c.status === 'ok' && keep(c));
  const key = (s: number) => Number(s.toPrecision(9));
  const xs = [...new Set(runs.map((c) => key(c.sqrtHAlpha)))].sort((a, b) => a - b);
  const rowKeys = [...new Set(runs.map((c) => `${c.width}|${c.seed}`))];
  const values = rowKeys.map((rk) => xs.map((x) => {
    const c = runs.find((r) => `${r.width}|${r.seed}` === rk && key(r.sqrtHAlpha) === x);
    return c ? value(c) : NaN;
  }));
  const expected = e ? e.exponent : null;
  const tolerance = e ? (e.tolerance ?? DEFAULT_TOLERANCE) : null;
  const relation = e?.relation ?? 'equal';
  const base = { metric, widths: xs, nSeeds: rowKeys.length, expected, tolerance, relation };
  if (xs.length < 2) {
    return {
      ...base, exponent: NaN, intercept: NaN, ci: [NaN, NaN], level: DEFAULT_LEVEL, nBoot: 0, r2: NaN, means: [],
      verdict: e ? 'inconclusive' : 'none', status: 'failed', message: `fewer than two √hα values on this side (${why})`,
    };
  }
  const f = fitPowerLaw(xs, values, { rng, nBoot: DEFAULT_NBOOT, level: DEFAULT_LEVEL });
  return {
    ...base, exponent: f.exponent, intercept: f.intercept, ci: [f.ci[0], f.ci[1]], level: f.level, nBoot: f.nBoot,
    r2: f.r2, means: Array.from(f.means), verdict: verdictOf(f.ci, rowKeys.length, expected, tolerance, f.status, relation),
    status: f.status, message: [`fitted against √hα (not width): ${why}; rows = (width, seed) curves`, f.message].filter((x) => x).join('; '),
  };
}
