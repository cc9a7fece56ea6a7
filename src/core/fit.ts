/**
 * Straight-line and power-law fits with a seed bootstrap (theory/numerics.md#power-law-fit).
 *
 * A convergence rate is measured as the exponent p of D(h) ≈ C h^p, with D a distance between a
 * width-h network and its limit. D is measured for several seeds at each width; the point estimate
 * is the least-squares slope of log(mean over seeds of D) on log h, and its uncertainty comes from
 * a percentile bootstrap over seeds: a seed is one initialization, so a resample draws whole seeds
 * (the same resampled seed list at every width), which keeps the correlation between widths that
 * share a seed (same data, same training schedule) in the interval.
 */
import type { Rng } from './rng.js';
import type { Status } from './errors.js';
import { quantile } from './stats.js';

export interface LineFit {
  slope: number;
  intercept: number;
  /** Coefficient of determination 1 − SSres/SStot (1 when y is constant and fitted exactly). */
  r2: number;
  /** Standard error of the slope, √(SSres/(n−2) / Sxx); NaN when n ≤ 2. */
  slopeStderr: number;
}

/** Ordinary least squares y ≈ intercept + slope·x (centred two-pass sums). NaN fields when n < 2. */
export function fitLine(x: ArrayLike<number>, y: ArrayLike<number>): LineFit {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`fitLine: x has ${n} entries, y has ${y.length}`);
  if (n < 2) return { slope: NaN, intercept: NaN, r2: NaN, slopeStderr: NaN };
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
  mx /= n;
  my /= n;
  let sxx = 0, sxy = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx, dy = y[i] - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let ssRes = 0;
  for (let i = 0; i < n; i++) {
    const r = y[i] - intercept - slope * x[i];
    ssRes += r * r;
  }
  const r2 = syy === 0 ? (ssRes === 0 ? 1 : NaN) : 1 - ssRes / syy;
  const slopeStderr = n > 2 ? Math.sqrt(ssRes / (n - 2) / sxx) : NaN;
  return { slope, intercept, r2, slopeStderr };
}

export interface PowerLawFit {
  /** p in D ≈ C h^p (negative for a distance that shrinks with width). */
  exponent: number;
  /** log C (natural log). */
  intercept: number;
  /** Percentile bootstrap interval for p at `level`; [NaN, NaN] with fewer than 2 seeds. */
  ci: [number, number];
  level: number;
  /** Bootstrap replicates that had ≥ 2 usable widths (those that form the interval). */
  nBoot: number;
  /** r² of the log–log fit. */
  r2: number;
  /** Per width: mean over the seeds with a usable value (NaN if none). */
  means: number[];
  status: Status;
  message: string;
}

export interface PowerLawOptions {
  /** Stream for the bootstrap (consumed; pass a dedicated child such as rng.child('fit/D')). */
  rng: Rng;
  nBoot?: number;
  level?: number;
}

/**
 * Fit D ≈ C h^p. `widths[w]` > 0; `values[s][w]` is D for seed s at width w, where NaN, ±∞ or
 * a value ≤ 0 means missing. A width is used when at least one seed has a value there.
 * Fewer than 2 usable widths: status 'failed', exponent NaN (never throws for missing data).
 */
export function fitPowerLaw(widths: number[], values: number[][], opts: PowerLawOptions): PowerLawFit {
  const nw = widths.length;
  const ns = values.length;
  const level = opts.level ?? 0.95;
  const nBoot = opts.nBoot ?? 1000;
  if (!(level > 0 && level < 1)) throw new RangeError(`fitPowerLaw: level must be in (0, 1), got ${level}`);
  if (!Number.isInteger(nBoot) || nBoot < 0) throw new RangeError(`fitPowerLaw: nBoot must be a non-negative integer, got ${nBoot}`);
  for (let s = 0; s < ns; s++) {
    if (values[s].length !== nw) {
      throw new RangeError(`fitPowerLaw: values[${s}] has ${values[s].length} entries, expected ${nw} (one per width)`);
    }
  }
  // Usable cells as a dense seed-major array with NaN for missing.
  const cell = new Float64Array(ns * nw).fill(NaN);
  for (let s = 0; s < ns; s++) {
    for (let w = 0; w < nw; w++) {
      const v = values[s][w];
      if (Number.isFinite(v) && v > 0 && widths[w] > 0 && Number.isFinite(widths[w])) cell[s * nw + w] = v;
    }
  }
  const logH = widths.map((h) => Math.log(h));
  const allSeeds = Int32Array.from({ length: ns }, (_, i) => i);
  const means = seedMeans(cell, nw, allSeeds);
  const point = logLogFit(logH, means);
  const result: PowerLawFit = {
    exponent: point.slope,
    intercept: point.intercept,
    ci: [NaN, NaN],
    level,
    nBoot: 0,
    r2: point.r2,
    means: Array.from(means),
    status: 'ok',
    message: '',
  };
  if (point.used < 2) {
    result.status = 'failed';
    result.message = `power-law fit needs at least 2 widths with a usable (finite, > 0) value, found ${point.used}`;
    return result;
  }
  if (ns < 2 || nBoot === 0) return result;
  const reps = new Float64Array(nBoot);
  let nGood = 0;
  const draw = new Int32Array(ns);
  for (let b = 0; b < nBoot; b++) {
    for (let i = 0; i < ns; i++) draw[i] = opts.rng.int(ns);
    const fit = logLogFit(logH, seedMeans(cell, nw, draw));
    if (fit.used >= 2 && Number.isFinite(fit.slope)) reps[nGood++] = fit.slope;
  }
  const sorted = reps.subarray(0, nGood).sort();
  const alpha = 1 - level;
  result.ci = [quantile(sorted, alpha / 2), quantile(sorted, 1 - alpha / 2)];
  result.nBoot = nGood;
  return result;
}

/** Per width, mean of the usable values over the listed seeds (with repetition); NaN if none. */
function seedMeans(cell: Float64Array, nw: number, seeds: Int32Array): Float64Array {
  const out = new Float64Array(nw);
  for (let w = 0; w < nw; w++) {
    let s = 0, c = 0;
    for (let i = 0; i < seeds.length; i++) {
      const v = cell[seeds[i] * nw + w];
      if (v === v) { s += v; c++; }
    }
    out[w] = c > 0 ? s / c : NaN;
  }
  return out;
}

/** Line fit of log(means) on logH over the widths whose mean is defined. */
function logLogFit(logH: number[], means: Float64Array): LineFit & { used: number } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let w = 0; w < means.length; w++) {
    if (means[w] > 0 && Number.isFinite(logH[w])) { xs.push(logH[w]); ys.push(Math.log(means[w])); }
  }
  // Two usable entries at the same width do not determine a slope.
  let distinct = 0;
  for (let i = 0; i < xs.length; i++) if (xs.indexOf(xs[i]) === i) distinct++;
  if (distinct < 2) return { slope: NaN, intercept: NaN, r2: NaN, slopeStderr: NaN, used: distinct };
  return { ...fitLine(xs, ys), used: distinct };
}
