/**
 * Symmetric eigendecomposition A = V diag(λ) Vᵀ (theory/numerics.md#eigh).
 *
 * 1. Householder tridiagonalization Qᵀ A Q = T on the upper triangle (householderTridiagonal.ts).
 * 2. Eigenpairs of T: divide and conquer (divideConquer.ts; QL below 48×48, tridiagonalQl.ts),
 *    or QL alone when only eigenvalues are wanted (O(n²) after step 1).
 * 3. V = Q Z by applying the reflectors in compact WY blocks (gemm).
 * Cost: (4/3)n³ flops in step 1, ≲ (4/3)n³ (in gemm) in step 2 and 2n³ (in gemm) in step 3.
 * Accuracy: backward stable, ‖A V − V Λ‖ = O(n ε ‖A‖), ‖VᵀV − I‖ = O(n ε), also for matrices with
 * subnormal entries or norm (A is scaled by a power of two when max|a_ij| is outside [2^−484, 2^484],
 * and a Householder vector with subnormal norm is scaled up before use, as in LAPACK).
 */
import { type Mat, mat, assertShape } from './matrix.js';
import type { Status } from './errors.js';
import { tridiagonalize } from './householderTridiagonal.js';
import { applyReflectors } from './applyReflectors.js';
import { qlEigen, MAX_ITER, timesPow2 } from './tridiagonalQl.js';
import { dcEigen } from './divideConquer.js';

/** Eigenpairs: `values` ascending; column j of `vectors` (n×n) is the unit eigenvector of values[j]. */
export interface EighResult {
  values: Float64Array;
  vectors: Mat;
  /** 'ok', 'nan' (non-finite input) or 'not-converged' (QL iteration limit, never seen in practice). */
  status: Status;
  message: string;
}

/** Tridiagonal eigenpairs: `vectors` is null when not requested. */
export interface TridiagonalEigenResult {
  values: Float64Array;
  vectors: Mat | null;
  status: Status;
  message: string;
}

/** Eigenvalues (ascending) and eigenvectors of symmetric A (n×n; only the upper triangle is read). */
export function eigh(a: Mat): EighResult {
  const n = a.rows;
  assertShape('eigh', a, n, n);
  const bad = nonFiniteUpper(a);
  if (bad !== '') return nanResult(n, bad);
  const k = scaleExponent(a);
  const w = scaledCopy(a.data, k);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const taus = new Float64Array(n);
  tridiagonalize(w, n, d, e, taus);
  const r = dcEigen(d, e.subarray(0, Math.max(0, n - 1)));
  applyReflectors(w, n, taus, r.vectors, n);
  return {
    values: unscale(r.values, k),
    vectors: mat(n, n, r.vectors),
    status: r.ok ? 'ok' : 'not-converged',
    message: r.ok ? '' : `eigh: an eigenvalue iteration did not converge (QL limit ${MAX_ITER} sweeps)`,
  };
}

/** Eigenvalues (ascending) of symmetric A (upper triangle read); NaN-filled for non-finite input. */
export function eighValues(a: Mat): Float64Array {
  const n = a.rows;
  assertShape('eighValues', a, n, n);
  if (nonFiniteUpper(a) !== '') return new Float64Array(n).fill(NaN);
  const k = scaleExponent(a);
  const w = scaledCopy(a.data, k);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tridiagonalize(w, n, d, e, new Float64Array(n));
  return unscale(qlEigen(d, e, n, false).values, k);
}

/**
 * LAPACK dsyev's range for max|a_ij| in which A is used as it is (√(safmin/ε) and its inverse,
 * rounded to powers of two). Outside it A is scaled by 2^−k to max|a_ij| ≈ 1 (exact): a matrix
 * with max|a_ij| subnormal or near it would otherwise be reduced in subnormal arithmetic, which
 * keeps only an absolute accuracy of 2^−1074, and a huge one would overflow in products.
 */
const RMIN = 2 ** -484;
const RMAX = 2 ** 484;

/** k with A·2^−k to be used in place of A (0 inside [RMIN, RMAX], so most inputs are untouched). */
function scaleExponent(a: Mat): number {
  let m = 0;
  const n = a.rows;
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) m = Math.max(m, Math.abs(a.data[i * n + j]));
  if (m === 0 || (m >= RMIN && m <= RMAX)) return 0;
  return Math.round(Math.log2(m));
}

function scaledCopy(x: Float64Array, k: number): Float64Array {
  if (k === 0) return x.slice();
  return x.map((v) => timesPow2(v, -k));
}

/** Eigenvalues of A from those of A·2^−k (in place). */
function unscale(values: Float64Array, k: number): Float64Array {
  if (k !== 0) for (let i = 0; i < values.length; i++) values[i] = timesPow2(values[i], k);
  return values;
}

/**
 * Eigenpairs of the symmetric tridiagonal matrix with diagonal `diag` (length n) and off-diagonal
 * `off` (length n − 1, off[i] couples i and i+1). Values ascending; column j of `vectors` is the
 * eigenvector of values[j] (only when `wantVectors`). Inputs are not modified.
 */
export function tridiagonalEigen(
  diag: Float64Array,
  off: Float64Array,
  wantVectors: boolean,
): TridiagonalEigenResult {
  const n = diag.length;
  if (off.length !== Math.max(0, n - 1)) {
    throw new RangeError(`tridiagonalEigen: off has length ${off.length}, expected ${Math.max(0, n - 1)}`);
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(diag[i]) || (i < n - 1 && !Number.isFinite(off[i]))) {
      const r = nanResult(n, `tridiagonalEigen: non-finite entry at index ${i}`);
      return { ...r, vectors: wantVectors ? r.vectors : null };
    }
  }
  const r = wantVectors ? dcEigen(Float64Array.from(diag), Float64Array.from(off)) : qlEigen(diag, off, n, false);
  return {
    values: r.values,
    vectors: r.vectors === null ? null : mat(n, n, r.vectors),
    status: r.ok ? 'ok' : 'not-converged',
    message: r.ok ? '' : `tridiagonalEigen: QL iteration did not converge in ${MAX_ITER} sweeps`,
  };
}

function nonFiniteUpper(a: Mat): string {
  const n = a.rows;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      if (!Number.isFinite(a.data[i * n + j])) return `eigh: non-finite entry at (${i}, ${j})`;
    }
  }
  return '';
}

function nanResult(n: number, message: string): EighResult {
  return {
    values: new Float64Array(n).fill(NaN),
    vectors: mat(n, n, new Float64Array(n * n).fill(NaN)),
    status: 'nan',
    message,
  };
}
