/**
 * Frozen-kernel dynamics for MSE: outputs on train and test inputs at any set of flow times, by
 * gradient flow or gradient descent (theory/ntk.md#dynamics; Lee et al. 2019, arXiv 1902.06720, Eq. (8)–(11);
 * Jacot et al. 2018, arXiv 1806.07572, §5). Two evaluation paths (theory/ntk.md#paths):
 *
 * - `eig` (default for n ≤ 512, or when a {@link Spectrum} is supplied): exact up to the rounding
 *   of the symmetric eigensolver; τ = ∞ included (pseudo-inverse when Θ is singular).
 * - `krylov` (default for n > 512): one Lanczos basis per output column, grown until the
 *   a-posteriori change is below `krylov.tol` (1e-10); τ = ∞ by kernel regression (Cholesky).
 *
 * GD with step η is stable iff η < 2n/λ_max; otherwise status `unstable` (message with the bound)
 * and the outputs stop at the last time where they are finite.
 */
import { type Mat, mat } from '../../core/matrix.js';
import type { FrozenPath, FrozenProblem, FrozenSolution } from './frozenTypes.js';
import { kernelRegression, singularWarning } from './kernelRegression.js';
import { type KrylovOptions, evaluateKrylov } from './krylov.js';
import { lambdaMaxBounds } from './lanczos.js';
import { type Schedule, gdStabilityBound } from './schedule.js';
import { type Spectrum, evaluateSpectral, nullCount, spectrum } from './spectral.js';

/** n above which the automatic choice is Krylov (eigh costs ≈ 1 s at n = 500, 4.5 s at n = 1000). */
export const EIG_MAX_N = 512;

export interface FrozenMseOptions {
  path?: 'auto' | 'eig' | 'krylov';
  /** Automatic choice: eig for n ≤ eigMaxN (default {@link EIG_MAX_N}). */
  eigMaxN?: number;
  krylov?: KrylovOptions;
  /** A precomputed eigendecomposition of Θ (and Θ*V): forces the eig path. */
  spectrum?: Spectrum;
  /** λ_max of Θ if known (GD stability check); otherwise from the spectrum or 30 Lanczos steps. */
  lambdaMax?: number;
}

export function frozenMse(p: FrozenProblem, schedule: Schedule, times: readonly number[], opts: FrozenMseOptions = {}): FrozenSolution {
  checkTimes(times);
  const n = p.kernel.rows;
  const path: 'eig' | 'krylov' = opts.spectrum
    ? 'eig'
    : opts.path === 'eig' || opts.path === 'krylov'
      ? opts.path
      : n <= (opts.eigMaxN ?? EIG_MAX_N) ? 'eig' : 'krylov';
  const warnings: string[] = [];
  const stats: Record<string, number | string> = { path };
  let fTrain: Mat[];
  let fTest: Mat[];
  let status: FrozenSolution['status'] = 'ok';
  let message = '';
  let lambdaMax: number;

  if (path === 'eig') {
    const sp = opts.spectrum ?? spectrum(p.kernel, p.kernelTest);
    if (sp.status !== 'ok') return failure(path, `eigendecomposition of Θ: ${sp.message}`);
    lambdaMax = opts.lambdaMax ?? sp.lambdaMax;
    ({ fTrain, fTest } = evaluateSpectral(sp, p, schedule, times));
    stats.lambdaMin = sp.values[0] ?? 0;
    const nulls = nullCount(sp);
    if (times.includes(Infinity) && nulls > 0) warnings.push(singularWarning(nulls, n, sp.nullThreshold / Math.max(sp.lambdaMax, 1e-300)));
  } else {
    lambdaMax = opts.lambdaMax ?? lambdaMaxBounds(p.kernel).upper;
    const finite = times.filter((t) => t !== Infinity);
    const kr = evaluateKrylov(p, schedule, finite, opts.krylov);
    stats.krylovDim = kr.dim;
    stats.krylovChange = kr.change;
    stats.krylovTol = opts.krylov?.tol ?? 1e-10;
    if (kr.status !== 'ok') ({ status, message } = kr);
    const inf = times.includes(Infinity) ? kernelRegression(p) : null;
    if (inf) {
      warnings.push(...inf.warnings);
      if (inf.status !== 'ok' && status === 'ok') ({ status, message } = inf);
      stats.infinity = inf.method;
    }
    let fi = 0;
    fTrain = times.map((t) => (t === Infinity ? (inf as NonNullable<typeof inf>).fTrain : kr.fTrain[fi++]));
    fi = 0;
    fTest = times.map((t) => (t === Infinity ? (inf as NonNullable<typeof inf>).fTest : kr.fTest[fi++]));
  }
  // τ = 0 is the initial function itself, exactly (the formulas give it up to rounding)
  times.forEach((t, i) => {
    if (t === 0) {
      fTrain[i] = mat(p.f0.rows, p.f0.cols, p.f0.data.slice());
      fTest[i] = mat(p.f0Test.rows, p.f0Test.cols, p.f0Test.data.slice());
    }
  });
  stats.lambdaMax = lambdaMax;
  const out: FrozenSolution = { status, message, times: [...times], fTrain, fTest, warnings, path, stats };
  if (schedule.kind === 'gd') {
    const bound = gdStabilityBound(lambdaMax, n);
    stats.lrBound = bound;
    if (!(schedule.lr < bound)) {
      out.status = 'unstable';
      out.message = `gradient descent is unstable: lr = ${schedule.lr} ≥ 2n/λ_max = ${bound.toPrecision(6)} (n = ${n}, λ_max = ${lambdaMax.toPrecision(6)})`;
    }
  }
  truncateNonFinite(out);
  return out;
}

function checkTimes(times: readonly number[]): void {
  for (const t of times) {
    if (!(t >= 0)) throw new RangeError(`frozen dynamics: times must be ≥ 0 (Infinity allowed), got ${t}`);
  }
}

function failure(path: FrozenPath, message: string): FrozenSolution {
  return { status: 'failed', message, times: [], fTrain: [], fTest: [], warnings: [], path, stats: { path } };
}

/** Keep the records up to the last time whose outputs are all finite (a diverging GD run). */
export function truncateNonFinite(s: FrozenSolution): void {
  const bad = s.times.findIndex((_, i) => !allFinite(s.fTrain[i]) || !allFinite(s.fTest[i]));
  if (bad < 0) return;
  const t = s.times[bad];
  s.times = s.times.slice(0, bad);
  s.fTrain = s.fTrain.slice(0, bad);
  s.fTest = s.fTest.slice(0, bad);
  if (s.status === 'ok') s.status = 'diverged';
  s.message = `${s.message ? s.message + '; ' : ''}outputs are not finite from τ = ${t} on: records stop before it`;
}

function allFinite(m: Mat): boolean {
  for (let i = 0; i < m.data.length; i++) if (!Number.isFinite(m.data[i])) return false;
  return true;
}
