/**
 * Symmetric eigendecomposition A = V diag(λ) Vᵀ (theory/numerics.md#eigh).
 *
 * 1. Householder tridiagonalization Qᵀ A Q = T on the upper triangle (householderTridiagonal.ts).
 * 2. Eigenpairs of T: divide and conquer (divideConquer.ts; QL below 48×48, tridiagonalQl.ts),
 *    or QL alone when only eigenvalues are wanted (O(n²) after step 1).
 * 3. V = Q Z by applying the reflectors in compact WY blocks (gemm).
 * Cost: (4/3)n³ flops in step 1, ≲ (4/3)n³ (in gemm) in step 2 and 2n³ (in gemm) in step 3.
 * Accuracy: backward stable, ‖A V − V Λ‖ = O(n ε ‖A‖), ‖VᵀV − I‖ = O(n ε).
 */
import { type Mat, mat, assertShape } from './matrix.js';
import type { Status } from './errors.js';
import { tridiagonalize, applyReflectors } from './householderTridiagonal.js';
import { qlEigen, MAX_ITER } from './tridiagonalQl.js';
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
  const w = a.data.slice();
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const taus = new Float64Array(n);
  tridiagonalize(w, n, d, e, taus);
  const r = dcEigen(d, e.subarray(0, Math.max(0, n - 1)));
  applyReflectors(w, n, taus, r.vectors, n);
  return {
    values: r.values,
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
  const w = a.data.slice();
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tridiagonalize(w, n, d, e, new Float64Array(n));
  return qlEigen(d, e, n, false).values;
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
