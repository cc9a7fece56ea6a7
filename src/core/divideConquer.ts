/**
 * Divide and conquer for the symmetric tridiagonal eigenproblem (theory/numerics.md#eigh):
 * Cuppen 1981; eigenvectors by the Gu–Eisenstat 1995 recomputation of z (orthogonal to working
 * precision without extra precision); deflation as in LAPACK dlaed2; the secular equation solved
 * per root from the nearer pole with a two-pole rational model (after dlaed4, "middle way",
 * Li 1994) safeguarded by bisection. The merge products are gemm calls, so the cost is dominated
 * by ≲ (4/3)n³ flops in gemm (less with deflation, which is strong for kernel matrices).
 *
 * T is split at n1 = ⌊n/2⌋ with β = T[n1−1, n1]:
 *   T = diag(T1 − |β| e_last e_lastᵀ, T2 − |β| e_1 e_1ᵀ) + |β| u uᵀ,  u = (e_last, sign(β) e_1).
 * With T1' = Q1 D1 Q1ᵀ, T2' = Q2 D2 Q2ᵀ: T = Q (D + ρ z zᵀ) Qᵀ, Q = diag(Q1, Q2), z = Qᵀu/√2,
 * ρ = 2|β|, and the eigenvectors of T are Q times those of the rank-one update D + ρ z zᵀ.
 */
import { gemm } from './gemm.js';
import { mat } from './matrix.js';
import { qlEigen, hypot, timesPow2 } from './tridiagonalQl.js';
import { solveSecular, rankOneVectors } from './secularEquation.js';

const EPS = 2.220446049250313e-16;
/** Subproblems up to this size are solved by QL. */
const LEAF = 48;

export interface DcResult {
  /** Ascending. */
  values: Float64Array;
  /** n×n row-major; column j is the eigenvector of values[j]. */
  vectors: Float64Array;
  ok: boolean;
}

/**
 * Eigenpairs of the tridiagonal with diagonal `diag` (n) and off-diagonal `off` (n − 1); inputs are
 * not modified. T is first scaled to max-norm ≈ 1 (as in LAPACK dstedc; by a power of two, so
 * exactly): the deflation tolerance compares ρ|z| with max(|d|, |z|), meaningful only for ‖T‖ ≈ 1.
 */
export function dcEigen(diag: Float64Array, off: Float64Array): DcResult {
  let scale = 0;
  for (let i = 0; i < diag.length; i++) scale = Math.max(scale, Math.abs(diag[i]));
  for (let i = 0; i < off.length; i++) scale = Math.max(scale, Math.abs(off[i]));
  if (scale === 0) return solve(diag.slice(), off);
  // By a power of two 2^k, so exactly; timesPow2 because 2^−k overflows for subnormal ‖T‖.
  const k = Math.round(Math.log2(scale));
  if (k === 0) return solve(diag.slice(), off);
  const r = solve(diag.map((v) => timesPow2(v, -k)), off.map((v) => timesPow2(v, -k)));
  for (let i = 0; i < r.values.length; i++) r.values[i] = timesPow2(r.values[i], k);
  return r;
}

function solve(diag: Float64Array, off: Float64Array): DcResult {
  const n = diag.length;
  if (n <= LEAF) {
    const r = qlEigen(diag, off, n, true);
    return { values: r.values, vectors: r.vectors as Float64Array, ok: r.ok };
  }
  const n1 = n >> 1;
  const n2 = n - n1;
  const beta = off[n1 - 1];
  const rho = Math.abs(beta);
  const d1 = diag.slice(0, n1);
  const d2 = diag.slice(n1);
  d1[n1 - 1] -= rho;
  d2[0] -= rho;
  const left = solve(d1, off.subarray(0, n1 - 1));
  const right = solve(d2, off.subarray(n1));
  const merged = merge(left, right, n1, n2, 2 * rho, beta >= 0 ? 1 : -1);
  merged.ok = merged.ok && left.ok && right.ok;
  return merged;
}

/** Eigenpairs of diag(Q1 D1 Q1ᵀ, Q2 D2 Q2ᵀ) + (ρ/2) u uᵀ (see the file comment). */
function merge(left: DcResult, right: DcResult, n1: number, n2: number, rho: number, sgn: number): DcResult {
  const n = n1 + n2;
  // Candidates in ascending order of D: perm[i] < n1 is column perm[i] of Q1, else of Q2.
  const perm = mergeOrder(left.values, right.values);
  const ds = new Float64Array(n);
  const zs = new Float64Array(n);
  const type = new Uint8Array(n); // 1: rows 0..n1−1 only, 2: rows n1.. only, 3: both
  const qp = new Float64Array(n * n); // block-diagonal Q with columns permuted
  const q1 = left.vectors, q2 = right.vectors;
  for (let i = 0; i < n; i++) {
    const c = perm[i];
    if (c < n1) {
      ds[i] = left.values[c];
      zs[i] = q1[(n1 - 1) * n1 + c] * Math.SQRT1_2;
      type[i] = 1;
    } else {
      ds[i] = right.values[c - n1];
      zs[i] = sgn * q2[c - n1] * Math.SQRT1_2;
      type[i] = 2;
    }
  }
  for (let r = 0; r < n1; r++) {
    const o = r * n, src = r * n1;
    for (let i = 0; i < n; i++) { const c = perm[i]; if (c < n1) qp[o + i] = q1[src + c]; }
  }
  for (let r = 0; r < n2; r++) {
    const o = (n1 + r) * n, src = r * n2 - n1;
    for (let i = 0; i < n; i++) { const c = perm[i]; if (c >= n1) qp[o + i] = q2[src + c]; }
  }
  const keep = deflate(ds, zs, qp, type, n, rho);
  const k = keep.length;
  const values = new Float64Array(n);
  const source = new Int32Array(n); // ≥ 0: secular root index; < 0: −1 − deflated column
  const isKept = new Uint8Array(n);
  for (const j of keep) isKept[j] = 1;
  let ok = true;
  let y: Float64Array | null = null;
  if (k > 0) {
    const dk = new Float64Array(k), zk = new Float64Array(k);
    for (let i = 0; i < k; i++) { dk[i] = ds[keep[i]]; zk[i] = zs[keep[i]]; }
    const roots = solveSecular(dk, zk, rho);
    ok = roots.ok;
    const u = rankOneVectors(dk, zk, rho, roots.origin, roots.tau);
    y = combine(qp, n, n1, keep, type, u, k);
    for (let i = 0; i < k; i++) { values[i] = dk[roots.origin[i]] + roots.tau[i]; source[i] = i; }
  }
  let c = k;
  for (let j = 0; j < n; j++) if (!isKept[j]) { values[c] = ds[j]; source[c] = -1 - j; c++; }
  // Sort all n eigenvalues and assemble the columns.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b] || a - b);
  const outValues = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  for (let q = 0; q < n; q++) {
    const s = source[order[q]];
    outValues[q] = values[order[q]];
    if (s >= 0) {
      const yd = y as Float64Array;
      for (let r = 0; r < n; r++) vectors[r * n + q] = yd[r * k + s];
    } else {
      const j = -1 - s;
      for (let r = 0; r < n; r++) vectors[r * n + q] = qp[r * n + j];
    }
  }
  return { values: outValues, vectors, ok };
}

/** Indices 0..n1+n2−1 in ascending order of (a ‖ b), both ascending (stable merge). */
function mergeOrder(a: Float64Array, b: Float64Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let i = 0, j = 0, o = 0;
  while (i < a.length && j < b.length) out[o++] = a[i] <= b[j] ? i++ : a.length + j++;
  while (i < a.length) out[o++] = i++;
  while (j < b.length) out[o++] = a.length + j++;
  return out;
}

/**
 * Deflation (LAPACK dlaed2): a candidate with ρ|z_j| ≤ tol keeps its eigenpair (d_j, column j);
 * two candidates with close d are combined by a Givens rotation that zeroes one z component when
 * the perturbation |t c s| ≤ tol. tol = 8ε max(max|d|, max|z|). Modifies ds, zs, the columns of
 * qp and `type`; returns the indices kept for the secular equation (ascending in d).
 */
function deflate(ds: Float64Array, zs: Float64Array, qp: Float64Array, type: Uint8Array, n: number, rho: number): number[] {
  let dmax = 0, zmax = 0;
  for (let i = 0; i < n; i++) { dmax = Math.max(dmax, Math.abs(ds[i])); zmax = Math.max(zmax, Math.abs(zs[i])); }
  const tol = 8 * EPS * Math.max(dmax, zmax);
  const keep: number[] = [];
  if (rho * zmax <= tol) return keep;
  let pj = -1;
  for (let j = 0; j < n; j++) {
    if (rho * Math.abs(zs[j]) <= tol) continue;
    if (pj >= 0) {
      let s = zs[pj], c = zs[j]; // rotate (pj, j) so that z_pj becomes 0 and z_j = τ
      const tau = hypot(c, s);
      const t = ds[j] - ds[pj];
      c /= tau;
      s = -s / tau;
      if (Math.abs(t * c * s) <= tol) {
        zs[j] = tau;
        zs[pj] = 0;
        for (let r = 0; r < n; r++) {
          const x = qp[r * n + pj], yv = qp[r * n + j];
          qp[r * n + pj] = c * x + s * yv;
          qp[r * n + j] = c * yv - s * x;
        }
        if (type[pj] !== type[j]) { type[pj] = 3; type[j] = 3; }
        const dp = ds[pj] * c * c + ds[j] * s * s;
        ds[j] = ds[pj] * s * s + ds[j] * c * c;
        ds[pj] = dp;
        pj = j; // pj is deflated (not pushed); j carries the combined weight
        continue;
      }
      keep.push(pj);
    }
    pj = j;
  }
  if (pj >= 0) keep.push(pj);
  return keep;
}

/**
 * Y (n×k) = Qp[:, keep] U, using the block structure: rows 0..n1−1 of a type-2 column and rows
 * n1.. of a type-1 column are zero, so each half is one gemm over the columns that touch it.
 */
function combine(qp: Float64Array, n: number, n1: number, keep: number[], type: Uint8Array, u: Float64Array, k: number): Float64Array {
  const y = new Float64Array(n * k);
  const halves: Array<[number, number, number]> = [[0, n1, 2], [n1, n, 1]]; // rows [r0, r1), type to skip
  for (const [r0, r1, skip] of halves) {
    const cols: number[] = [];
    for (let i = 0; i < k; i++) if (type[keep[i]] !== skip) cols.push(i);
    const m = r1 - r0, c = cols.length;
    if (m === 0 || c === 0) continue;
    const a = new Float64Array(m * c);
    for (let r = 0; r < m; r++) {
      const src = (r0 + r) * n, dst = r * c;
      for (let t = 0; t < c; t++) a[dst + t] = qp[src + keep[cols[t]]];
    }
    const b = new Float64Array(c * k);
    for (let t = 0; t < c; t++) b.set(u.subarray(cols[t] * k, cols[t] * k + k), t * k);
    gemm(false, false, 1, mat(m, c, a), mat(c, k, b), 0, mat(m, k, y.subarray(r0 * k, r1 * k)));
  }
  return y;
}
