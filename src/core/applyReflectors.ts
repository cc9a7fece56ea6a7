/**
 * Q applied to a matrix, for the Q = H_0 H_1 ⋯ H_{n−3} of the Householder tridiagonalization
 * (householderTridiagonal.ts; theory/numerics.md#eigh): compact WY blocks, Schreiber & Van Loan 1989
 * (LAPACK dlarft, dlarfb).
 */
import { gemm } from './gemm.js';
import { mat } from './matrix.js';

/** Reflectors per compact-WY block in {@link applyReflectors}. */
const NB = 64;

/**
 * Z ← Q Z for Q = H_0 H_1 ⋯ H_{n−3} stored by tridiagonalize (householderTridiagonal.ts) in `w` (n×n) and `taus`,
 * Z n×c row-major. Blocks of NB reflectors, last block first, each applied in compact WY form
 * H_{k0}⋯H_{k0+b−1} = I − V T Vᵀ: Z[r0:, :] −= V (T (Vᵀ Z[r0:, :])) with two gemm calls; rows
 * r0.. of Z are contiguous, so no copy is needed. About 2 n² c flops, all in gemm.
 */
export function applyReflectors(w: Float64Array, n: number, taus: Float64Array, z: Float64Array, c: number): void {
  const last = n - 3; // H_{n−2} is the identity
  if (last < 0 || c === 0) return;
  const vb = new Float64Array(n * NB);
  const t = new Float64Array(NB * NB);
  const tmp = new Float64Array(NB);
  for (let kEnd = last + 1; kEnd > 0; kEnd -= NB) {
    const k0 = Math.max(0, kEnd - NB);
    const b = kEnd - k0;
    const r0 = k0 + 1; // first affected row
    const mr = n - r0;
    // V (mr × b): column r is v_{k0+r}, zero above its unit entry at row k0+r+1.
    vb.fill(0, 0, mr * b);
    for (let r = 0; r < b; r++) {
      const src = (k0 + r) * n;
      for (let i = k0 + r + 1; i < n; i++) vb[(i - r0) * b + r] = w[src + i];
    }
    buildT(vb, mr, b, taus, k0, t, tmp);
    const v = mat(mr, b, vb.subarray(0, mr * b));
    const zr = mat(mr, c, z.subarray(r0 * c, n * c));
    const wv = gemm(true, false, 1, v, zr); // b × c
    // W ← T W (T upper triangular, stride NB; ascending r reads only rows s ≥ r, not yet overwritten).
    const wd = wv.data;
    for (let r = 0; r < b; r++) {
      const tr = r * NB, wr = r * c;
      const trr = t[tr + r];
      for (let j = 0; j < c; j++) wd[wr + j] *= trr;
      for (let s = r + 1; s < b; s++) {
        const trs = t[tr + s];
        if (trs === 0) continue;
        const ws = s * c;
        for (let j = 0; j < c; j++) wd[wr + j] += trs * wd[ws + j];
      }
    }
    gemm(false, false, -1, v, wv, 1, zr);
  }
}

/** T (b×b upper, stride NB) of the compact WY form: T_ii = τ_i, T[0:i, i] = −τ_i T[0:i,0:i] V[:,0:i]ᵀ v_i. */
function buildT(
  vb: Float64Array, mr: number, b: number, taus: Float64Array, k0: number, t: Float64Array, tmp: Float64Array,
): void {
  t.fill(0);
  for (let i = 0; i < b; i++) {
    const tau = taus[k0 + i];
    t[i * NB + i] = tau;
    if (i === 0 || tau === 0) continue;
    tmp.fill(0, 0, i);
    for (let row = i; row < mr; row++) {
      const vi = vb[row * b + i];
      if (vi === 0) continue;
      const o = row * b;
      for (let r = 0; r < i; r++) tmp[r] += vb[o + r] * vi;
    }
    for (let r = 0; r < i; r++) {
      let s = 0;
      for (let q = r; q < i; q++) s += t[r * NB + q] * tmp[q];
      t[r * NB + i] = -tau * s;
    }
  }
}
