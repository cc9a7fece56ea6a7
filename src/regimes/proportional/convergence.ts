/**
 * Finite deep linear networks at D = widths × seeds against the proportional DMFT
 * (theory/proportional.md#finite-size): per-seed loss curves, their seed means in standard errors,
 * the finite-size bias and the seed spread against D, with bootstrap intervals over seeds.
 */
import { Rng } from '../../core/rng.js';
import { trainProportionalNetwork } from '../../finite/deepLinearProportional.js';
import type { CurveRecord, LongRecord } from '../../harness/types.js';
import { solveProportional, type ProportionalSolution } from '../../limits/proportional/solve.js';
import { finiteData, type ProportionalParams, problemOf } from './params.js';

/** Test-loss curves [seed][t] at each D. */
export type LossTable = Map<number, Float64Array[]>;

export interface ConvergenceRun {
  theory: ProportionalSolution;
  test: LossTable;
  train: LossTable;
  seconds: number;
}

export function runConvergence(p: ProportionalParams, tick?: (D: number, seed: number, seconds: number) => void): ConvergenceRun {
  const t0 = Date.now();
  const theory = solveProportional(problemOf(p));
  const test: LossTable = new Map();
  const train: LossTable = new Map();
  for (const D of p.dims) {
    test.set(D, []);
    train.set(D, []);
    for (let s = 0; s < p.seeds; s++) {
      const ts = Date.now();
      const r = trainProportionalNetwork({
        dim: D, width: Math.round(p.nu * D), depth: p.depth, gammaBar: p.gammaBar, eta: p.eta, sigma: p.sigma,
        steps: p.steps, data: finiteData(p, D),
      }, new Rng(`proportional/${D}/${s + p.firstSeed}`));
      test.get(D)!.push(r.testLoss);
      train.get(D)!.push(r.trainLoss);
      tick?.(D, s, (Date.now() - ts) / 1000);
    }
  }
  return { theory, test, train, seconds: (Date.now() - t0) / 1000 };
}

/** Seed statistics of curves at one D against the theory curve. */
export interface Agreement {
  /** max_t |mean − L∞| / SE. */
  zMax: number;
  /** sup_t |mean − L∞|. */
  meanDev: number;
  /** mean_t [(mean − L∞)² − SE²], not clipped: unbiased for mean_t bias² (theory/proportional.md#finite-size-rates). */
  biasSquared: number;
  /** √max(0, biasSquared): the finite-size bias with the seed noise removed. */
  bias: number;
  /** √(mean_t var_seeds): RMS over time of the seed standard deviation. */
  spread: number;
}

/** Seed mean m_t and unbiased seed variance v_t at every step. */
export function seedMoments(curves: Float64Array[]): { m: Float64Array; v: Float64Array } {
  const S = curves.length;
  const m = new Float64Array(curves[0].length);
  const v = new Float64Array(m.length);
  for (let t = 0; t < m.length; t++) {
    for (const c of curves) m[t] += c[t] / S;
    for (const c of curves) v[t] += (c[t] - m[t]) ** 2 / (S - 1);
  }
  return { m, v };
}

export function agreement(curves: Float64Array[], theory: Float64Array): Agreement {
  const S = curves.length;
  const T = theory.length;
  const { m, v } = seedMoments(curves);
  let zMax = 0;
  let meanDev = 0;
  let b2 = 0;
  let v2 = 0;
  for (let t = 0; t < T; t++) {
    const se2 = v[t] / S;
    const d = m[t] - theory[t];
    zMax = Math.max(zMax, Math.abs(d) / Math.sqrt(se2));
    meanDev = Math.max(meanDev, Math.abs(d));
    b2 += (d * d - se2) / T;
    v2 += v[t] / T;
  }
  return { zMax, meanDev, biasSquared: b2, bias: Math.sqrt(Math.max(0, b2)), spread: Math.sqrt(v2) };
}

/** Standard errors of the seed mean at each step. */
export function standardErrors(curves: Float64Array[]): Float64Array {
  const S = curves.length;
  const { v } = seedMoments(curves);
  return v.map((x) => Math.sqrt(x / S));
}

/**
 * max_t |mean − L∞|/se_t with the standard errors `se` of the original sample held fixed (so a
 * bootstrap resample with repeated seeds does not shrink the denominator).
 */
export function zMaxFixed(curves: Float64Array[], theory: Float64Array, se: Float64Array): number {
  let z = 0;
  for (let t = 0; t < theory.length; t++) {
    let m = 0;
    for (const c of curves) m += c[t] / curves.length;
    z = Math.max(z, Math.abs(m - theory[t]) / se[t]);
  }
  return z;
}

/** Records: per seed lossSup = sup_t |L − L∞| (test loss); per D zMax, meanDev, bias, spread. */
export function convergenceRecords(run: ConvergenceRun): LongRecord[] {
  const out: LongRecord[] = [];
  for (const [D, curves] of run.test) {
    curves.forEach((c, seed) => {
      let sup = 0;
      for (let t = 0; t < c.length; t++) sup = Math.max(sup, Math.abs(c[t] - run.theory.testLoss[t]));
      out.push({ width: D, seed, metric: 'lossSup', value: sup });
    });
    const a = agreement(curves, run.theory.testLoss);
    const tr = agreement(run.train.get(D)!, run.theory.trainLoss);
    out.push({ width: D, seed: null, metric: 'zMax', value: a.zMax }, { width: D, seed: null, metric: 'zMaxTrain', value: tr.zMax });
    out.push({ width: D, seed: null, metric: 'meanDev', value: a.meanDev }, { width: D, seed: null, metric: 'bias', value: a.bias });
    out.push({ width: D, seed: null, metric: 'spread', value: a.spread });
  }
  return out;
}

/** Theory and seed-mean curves (test and train) for the report. */
export function convergenceCurves(run: ConvergenceRun): CurveRecord[] {
  const out: CurveRecord[] = [];
  const push = (width: number | null, kind: string, quantity: string, curve: ArrayLike<number>) => {
    for (let t = 0; t < curve.length; t++) out.push({ width, seed: null, kind, time: t, quantity, value: curve[t] });
  };
  push(null, 'limit', 'testLoss', run.theory.testLoss);
  push(null, 'limit', 'trainLoss', run.theory.trainLoss);
  for (const [key, table] of [['testLoss', run.test], ['trainLoss', run.train]] as const) {
    for (const [D, curves] of table) {
      const m = new Float64Array(curves[0].length);
      for (const c of curves) for (let t = 0; t < m.length; t++) m[t] += c[t] / curves.length;
      push(D, 'finite', key, m);
    }
  }
  return out;
}

export interface BootStatistic {
  estimate: number;
  ci: [number, number];
  seeds: number;
  note?: string;
}

/** Least-squares slope of log y against log x. */
export function logSlope(xs: number[], ys: number[]): number {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < lx.length; i++) {
    sxy += (lx[i] - mx) * (ly[i] - my);
    sxx += (lx[i] - mx) ** 2;
  }
  return sxy / sxx;
}

/**
 * A statistic of the tables and its 95 % percentile-bootstrap interval, resampling seeds with
 * replacement independently at each D (fixed seed: re-judging gives the same interval).
 */
export function bootstrap(table: LossTable, f: (t: LossTable) => number, seed: string, nBoot = 400): BootStatistic {
  const estimate = f(table);
  const rng = new Rng(seed);
  const vals: number[] = [];
  for (let b = 0; b < nBoot; b++) {
    const re: LossTable = new Map();
    for (const [D, curves] of table) re.set(D, curves.map(() => curves[rng.int(curves.length)]));
    const v = f(re);
    if (Number.isFinite(v)) vals.push(v);
  }
  vals.sort((a, b) => a - b);
  const q = (x: number) => vals[Math.min(vals.length - 1, Math.max(0, Math.floor(x * vals.length)))];
  const seeds = Math.min(...[...table.values()].map((c) => c.length));
  return { estimate, ci: vals.length > 0 ? [q(0.025), q(0.975)] : [NaN, NaN], seeds, note: `95 % percentile bootstrap over seeds (${vals.length} resamples)` };
}
