/**
 * LU factorization with partial pivoting, P A = L U, for general square systems
 * (theory/numerics.md#lu). Blocked right-looking row-major elimination (see {@link luFactor}).
 */
import { type Mat, mat, identity, assertShape } from './matrix.js';
import { gemm } from './gemm.js';

/**
 * Packed factors: `lu` holds U on and above the diagonal and the multipliers of the unit lower
 * L below it; row i of P A is row `piv[i]` of A. `singular` is true when some pivot satisfies
 * |u_kk| ≤ n·ε·max_j|a_rj| with r the pivot's original row (a relative perturbation of each row
 * by n·ε makes A exactly singular; row scaling keeps diag(1, 1e-20) regular), or A has a
 * non-finite entry.
 */
export interface LuFactors {
  lu: Mat;
  piv: Int32Array;
  singular: boolean;
}

const EPS = 2.220446049250313e-16;

/** Panel width of the blocked factorization, and rows of A22 per gemm in its trailing update. */
const NB = 32;
const ROWS = 64;

/**
 * Factor a square matrix A (n×n); A is not modified. Blocked right-looking elimination (LAPACK
 * dgetrf order): a panel of NB columns is factored with partial pivoting (whole rows swapped), the
 * block row of U is solved with the panel's unit L, and the trailing matrix gets one rank-NB update
 * A22 −= L21 U12, which reads and writes each of its rows once per panel instead of once per column.
 * Same arithmetic as unblocked GEPP up to the summation order.
 */
export function luFactor(a: Mat): LuFactors {
  const n = a.rows;
  assertShape('luFactor', a, n, n);
  const lu = mat(n, n, a.data.slice());
  const d = lu.data;
  const piv = new Int32Array(n);
  for (let i = 0; i < n; i++) piv[i] = i;
  // Scale of each original row (max |a_ij|), permuted along with the rows.
  const scale = new Float64Array(n);
  let singular = false;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) {
      const v = Math.abs(d[i * n + j]);
      if (v > s) s = v;
      else if (Number.isNaN(v)) singular = true;
    }
    if (s === Infinity) singular = true;
    scale[i] = s;
  }
  for (let k0 = 0; k0 < n; k0 += NB) {
    const k1 = Math.min(n, k0 + NB);
    if (factorPanel(d, n, k0, k1, piv, scale)) singular = true;
    solveBlockRow(d, n, k0, k1);
    updateTrailing(d, n, k0, k1);
  }
  return { lu, piv, singular };
}

/** GEPP on columns k0..k1−1 (rows k0..n−1), updating only inside the panel. Returns "singular". */
function factorPanel(d: Float64Array, n: number, k0: number, k1: number, piv: Int32Array, scale: Float64Array): boolean {
  let singular = false;
  for (let k = k0; k < k1; k++) {
    let p = k;
    let best = Math.abs(d[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(d[i * n + k]);
      if (v > best) { best = v; p = i; }
    }
    if (p !== k) {
      const rk = k * n, rp = p * n;
      for (let j = 0; j < n; j++) { const t = d[rk + j]; d[rk + j] = d[rp + j]; d[rp + j] = t; }
      const t = piv[k]; piv[k] = piv[p]; piv[p] = t;
      const s = scale[k]; scale[k] = scale[p]; scale[p] = s;
    }
    const pivot = d[k * n + k];
    if (!(best > n * EPS * scale[k])) singular = true;
    if (pivot === 0 || !Number.isFinite(pivot)) continue; // column below is zero (or NaN): nothing to eliminate
    const rk = k * n;
    const inv = 1 / pivot;
    for (let i = k + 1; i < n; i++) {
      const ri = i * n;
      const f = d[ri + k] * inv;
      d[ri + k] = f;
      if (f === 0) continue;
      for (let j = k + 1; j < k1; j++) d[ri + j] -= f * d[rk + j];
    }
  }
  return singular;
}

/** U12 ← L11⁻¹ A12 on rows k0..k1−1, columns k1..n−1 (L11 unit lower, in the panel). */
function solveBlockRow(d: Float64Array, n: number, k0: number, k1: number): void {
  for (let i = k0 + 1; i < k1; i++) {
    const ri = i * n;
    for (let k = k0; k < i; k++) {
      const l = d[ri + k];
      if (l === 0) continue;
      const rk = k * n;
      for (let j = k1; j < n; j++) d[ri + j] -= l * d[rk + j];
    }
  }
}

/**
 * A22 −= L21 U12 on rows and columns k1..n−1. Large trailing blocks: L21 and U12 copied to
 * contiguous buffers and multiplied by gemm in blocks of ROWS rows; small ones: four rows of U12
 * per pass over a row of A22.
 */
function updateTrailing(d: Float64Array, n: number, k0: number, k1: number): void {
  const m = n - k1;
  if (m <= 0) return;
  const b = k1 - k0;
  if (m < 2 * ROWS) {
    updateTrailingSmall(d, n, k0, k1);
    return;
  }
  const l21 = new Float64Array(m * b);
  for (let i = 0; i < m; i++) l21.set(d.subarray((k1 + i) * n + k0, (k1 + i) * n + k1), i * b);
  const u12 = new Float64Array(b * m);
  for (let p = 0; p < b; p++) u12.set(d.subarray((k0 + p) * n + k1, (k0 + p + 1) * n), p * m);
  const tmp = new Float64Array(ROWS * m);
  const u = mat(b, m, u12);
  for (let r0 = 0; r0 < m; r0 += ROWS) {
    const rows = Math.min(ROWS, m - r0);
    const c = mat(rows, m, tmp.subarray(0, rows * m));
    gemm(false, false, 1, mat(rows, b, l21.subarray(r0 * b, (r0 + rows) * b)), u, 0, c);
    const cd = c.data;
    for (let rr = 0; rr < rows; rr++) {
      const ri = (k1 + r0 + rr) * n + k1, ro = rr * m;
      for (let j = 0; j < m; j++) d[ri + j] -= cd[ro + j];
    }
  }
}

/** A22 −= L21 U12 without gemm (small trailing blocks). */
function updateTrailingSmall(d: Float64Array, n: number, k0: number, k1: number): void {
  for (let i = k1; i < n; i++) {
    const ri = i * n;
    let k = k0;
    for (; k + 3 < k1; k += 4) {
      const l0 = d[ri + k], l1 = d[ri + k + 1], l2 = d[ri + k + 2], l3 = d[ri + k + 3];
      if (l0 === 0 && l1 === 0 && l2 === 0 && l3 === 0) continue;
      const r0 = k * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
      for (let j = k1; j < n; j++) {
        d[ri + j] -= l0 * d[r0 + j] + l1 * d[r1 + j] + l2 * d[r2 + j] + l3 * d[r3 + j];
      }
    }
    for (; k < k1; k++) {
      const l0 = d[ri + k];
      if (l0 === 0) continue;
      const r0 = k * n;
      for (let j = k1; j < n; j++) d[ri + j] -= l0 * d[r0 + j];
    }
  }
}

/** Solve A X = B (B: n×m) from the factors of A. The result is not finite when A is singular. */
export function luSolve(f: LuFactors, b: Mat): Mat {
  const n = f.lu.rows;
  if (b.rows !== n) throw new RangeError(`luSolve: B has ${b.rows} rows, expected ${n}`);
  const m = b.cols;
  const x = mat(n, m);
  const xd = x.data;
  const bd = b.data;
  const d = f.lu.data;
  for (let i = 0; i < n; i++) {
    const src = f.piv[i] * m;
    for (let c = 0; c < m; c++) xd[i * m + c] = bd[src + c];
  }
  // L Y = P B (unit diagonal).
  for (let i = 1; i < n; i++) {
    const ri = i * n, xi = i * m;
    for (let k = 0; k < i; k++) {
      const l = d[ri + k];
      if (l === 0) continue;
      const xk = k * m;
      for (let c = 0; c < m; c++) xd[xi + c] -= l * xd[xk + c];
    }
  }
  // U X = Y.
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * n, xi = i * m;
    for (let k = i + 1; k < n; k++) {
      const u = d[ri + k];
      if (u === 0) continue;
      const xk = k * m;
      for (let c = 0; c < m; c++) xd[xi + c] -= u * xd[xk + c];
    }
    const inv = 1 / d[ri + i];
    for (let c = 0; c < m; c++) xd[xi + c] *= inv;
  }
  return x;
}

/** Solve A X = B. Throws RangeError when A is singular (callers check or catch). */
export function solve(a: Mat, b: Mat): Mat {
  const f = luFactor(a);
  if (f.singular) throw new RangeError(`solve: matrix (${a.rows}x${a.cols}) is singular to working precision`);
  return luSolve(f, b);
}

/** A⁻¹ for square A. Throws RangeError when A is singular. */
export function inverse(a: Mat): Mat {
  return solve(a, identity(a.rows));
}

/** log |det A| (−Infinity when A is singular to working precision). */
export function logAbsDet(a: Mat): number {
  const f = luFactor(a);
  if (f.singular) return -Infinity;
  const n = a.rows;
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(Math.abs(f.lu.data[i * n + i]));
  return s;
}
