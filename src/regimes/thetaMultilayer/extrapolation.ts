/**
 * The m → ∞ limit of the seed-mean loss-rate ratio from several finite widths
 * (theory/theta.md#multilayer-mean-bias): with the width exponent p of the leading finite-m
 * correction fixed by the theory,
 *
 *   mean_seeds ratio(m) = r∞ + c·m^{−p},
 *
 * fitted by least squares in x = m^{−p} over the widths (one point per width: the mean over the
 * seeds that have a value there), r∞ the intercept at x = 0. Its interval is a percentile bootstrap
 * over seed rows (the same seed index at every width, as the exponent fits of src/harness/fits.ts).
 */
import { fitLine, type LineFit } from '../../core/fit.js';
import { Rng } from '../../core/rng.js';
import { quantile, sorted } from '../../core/stats.js';
import type { Statistic } from '../../harness/claims.js';
import type { LongRecord } from '../../harness/types.js';
import type { ThetaConvention } from '../theta/exponents.js';
import { type MultilayerPoint, kappaExponentOf, multilayerExponents, multilayerKey } from './points.js';

export const LIMIT_NBOOT = 2000;

/** The least-squares line through the seed means per width of the rows `rows` (indices into `values`, repetition allowed) of a [seed][width] table; widths without a value are left out. */
function seedMeanLine(x: readonly number[], values: readonly number[][], rows: ArrayLike<number>): LineFit {
  const xs: number[] = [], ys: number[] = [];
  for (let w = 0; w < x.length; w++) {
    let s = 0, c = 0;
    for (let i = 0; i < rows.length; i++) {
      const v = values[rows[i]][w];
      if (Number.isFinite(v)) { s += v; c++; }
    }
    if (c > 0) { xs.push(x[w]); ys.push(s / c); }
  }
  return fitLine(xs, ys);
}

/**
 * r∞ with its 95 % bootstrap interval over seed rows. `values[seed][width]` (NaN = no value),
 * `exponent` = p > 0. Seeds = the rows with at least one value.
 */
export function extrapolatedLimit(widths: readonly number[], values: readonly number[][], exponent: number, rng: Rng, nBoot = LIMIT_NBOOT): Statistic & { slope: number } {
  const x = widths.map((m) => Math.pow(m, -exponent));
  const all = Int32Array.from(values.keys());
  const { intercept, slope } = seedMeanLine(x, values, all);
  const seeds = values.filter((row) => row.some((v) => Number.isFinite(v))).length;
  const note = `fit of the seed means over m = ${widths.join(', ')}: ratio = r∞ + c·m^-${exponent}, c = ${slope.toPrecision(4)}; interval: bootstrap over seed rows`;
  if (values.length < 2 || !Number.isFinite(intercept)) return { estimate: intercept, ci: [NaN, NaN], seeds, slope, note };
  const boot: number[] = [];
  const draw = new Int32Array(values.length);
  for (let b = 0; b < nBoot; b++) {
    for (let i = 0; i < draw.length; i++) draw[i] = all[rng.int(all.length)];
    const r = seedMeanLine(x, values, draw).intercept;
    if (Number.isFinite(r)) boot.push(r);
  }
  const q = sorted(Float64Array.from(boot));
  return { estimate: intercept, ci: [quantile(q, 0.025), quantile(q, 0.975)], seeds, slope, note };
}

/** The per-seed rows of `metric` as a [seed][width] table over `widths` (NaN where a seed has no finite value). */
export function seedWidthTable(records: readonly LongRecord[], metric: string, widths: readonly number[]): number[][] {
  const rows = records.filter((r) => r.metric === metric && r.seed !== null);
  const seeds = [...new Set(rows.map((r) => r.seed as number))].sort((a, b) => a - b);
  const cell = new Map(rows.map((r) => [`${r.width}|${r.seed}`, r.value]));
  return seeds.map((s) => widths.map((w) => cell.get(`${w}|${s}`) ?? NaN));
}

/**
 * `rateLimit@<point>` for every θ-lazy point of a saved theta-multilayer run whose params ask for it
 * (`extrapolate: {exponent}`): the extrapolated r∞ of `rateRatio@<point>` (theory/theta.md#multilayer-mean-bias).
 */
export function rateLimitStatistics(diagram: ExtrapolatingDiagram | undefined, records: readonly LongRecord[]): Record<string, Statistic> {
  if (!diagram?.extrapolate) return {};
  const out: Record<string, Statistic> = {};
  const widths = [...diagram.widths].sort((a, b) => a - b);
  const rng = new Rng(`${diagram.seed}/theta-multilayer`).child('rate-limit');
  for (const mp of diagram.points) {
    if (kappaExponentOf(mp.depth, multilayerExponents(mp, diagram.convention)) <= 0) continue;
    const key = multilayerKey(mp);
    const { slope: _slope, ...s } = extrapolatedLimit(widths, seedWidthTable(records, `rateRatio@${key}`, widths), diagram.extrapolate.exponent, rng.child(key));
    out[`rateLimit@${key}`] = s;
  }
  return out;
}

/** What {@link rateLimitStatistics} reads of a run's saved parameters (results.json spec.diagram). */
export interface ExtrapolatingDiagram {
  widths: number[];
  points: MultilayerPoint[];
  convention: ThetaConvention;
  seed: number;
  extrapolate?: { exponent: number };
}
