/**
 * The sparse-row kernel behind `gemm` (gemmWasm.ts): C += op(A)·op(B) skipping the exact zeros
 * of op(A), for products whose left factor is mostly zeros — in the trainer, ReLU activations
 * A^l = φ(Z^l) and back-propagated errors Δ^l = (…) ∘ φ'(Z^l), about half zeros each.
 *
 * Layout in the module's memory: op(B) (k×n) in panels of nr columns (for each panel and each
 * p, the nr values b(p, j..j+nr−1) contiguously, padding columns 0); the nonzeros of op(A) as
 * values (f64) and byte offsets p·nr·8 of their row of a B panel (i32), ordered by K-block of 256,
 * then row i, then p ascending; `ptrs[2r]`, `ptrs[2r+1]` the first and past-the-last entry of
 * row r = kb·m + i; Cp m × (panels·nr) row-major.
 *
 * Same bits as the dense kernel: each C element is still Cp ← Cp + (Σ_{p in block} a·b, p
 * ascending, from +0) per K-block, only with the terms a = ±0 left out. A sum that starts at +0
 * never becomes −0 under round-to-nearest, and x + (±0) = x for every x ≠ −0, so leaving out the
 * terms a·b = ±0 changes nothing — provided b is finite (0·∞ = NaN), which the caller checks
 * (pack of B) before taking this path.
 */
import {
  ADD, F64X2_ADD, F64X2_MUL, GE_U, MUL, V128_ZERO, cat, functionBody, get, i32, load32, set, splat64, vload, vstore, whileNot,
} from './wasmAsm.js';

/**
 * Columns per B panel of the sparse kernels: 12 (six f64x2 accumulators) or 8 (four). With
 * eight accumulators V8's TurboFan (Node 20) hoists the eight B loads of an entry ahead of the
 * arithmetic, runs out of the 15 usable xmm registers and spills an accumulator: a store and a
 * reload on the loop-carried chain made that variant three times slower.
 */
export const SPARSE_WIDTHS = [12, 8] as const;
export type SparseWidth = (typeof SPARSE_WIDTHS)[number];
/** K-block of both kernels: the summation order of each C element depends on it. */
export const KC = 256;

/** Number of entries of a[0..len) that are not ±0. */
export function countNonzero(a: Float64Array, len: number): number {
  let z = 0;
  for (let i = 0; i < len; i++) z += +(a[i] === 0);
  return len - z;
}

/** Per-row write positions of {@link compressRows} (grown on demand, reused). */
let rowPos = new Int32Array(0);

/**
 * Write the nonzeros of op(A) (m×k; a(i,p) = A[i·k+p], or A[p·m+i] when `trans`) into
 * f64 `vals` (from f64 index `vo`) and i32 byte offsets p·nr·8 `idx` (from i32 index `io`),
 * K-block by K-block, row by row, p ascending; the entries of (kb, i) are [ptrs[2r], ptrs[2r+1])
 * with r = kb·m + i (`ptrs` from i32 index `po`, 2·nkb·m entries). Branch-free (about half the
 * entries are zeros, in no pattern a predictor could learn): every value is written and the
 * position advances only past nonzeros, so each row may leave one slot of slack after its
 * entries. Needs room for nnz + m·nkb entries. Returns the number of slots used.
 */
export function compressRows(
  f: Float64Array, vo: number, iw: Int32Array, io: number, po: number,
  ad: Float64Array, m: number, k: number, trans: boolean, nr: SparseWidth,
): number {
  const stride = nr * 8;
  let e = 0;
  for (let k0 = 0, r = po; k0 < k; k0 += KC) {
    const k1 = Math.min(k, k0 + KC);
    if (!trans) {
      for (let i = 0; i < m; i++, r += 2) {
        iw[r] = e;
        const base = i * k;
        for (let p = k0; p < k1; p++) {
          const v = ad[base + p];
          f[vo + e] = v;
          iw[io + e] = p * stride;
          e += +(v !== 0);
        }
        iw[r + 1] = e;
        e++;
      }
    } else {
      // a(i, p) = A[p·m + i]: count per row reading A's rows contiguously, then scatter
      if (rowPos.length < m) rowPos = new Int32Array(m);
      const pos = rowPos;
      pos.fill(0, 0, m);
      for (let p = k0; p < k1; p++) {
        const src = p * m;
        for (let i = 0; i < m; i++) pos[i] += +(ad[src + i] !== 0);
      }
      for (let i = 0; i < m; i++, r += 2) {
        const c = pos[i];
        iw[r] = e;
        iw[r + 1] = e + c;
        pos[i] = e;
        e += c + 1;
      }
      // in chunks of 64 rows, so that the 2·64 output streams stay in L1
      for (let i0 = 0; i0 < m; i0 += 64) {
        const i1 = Math.min(m, i0 + 64);
        for (let p = k0; p < k1; p++) {
          const src = p * m, off = p * stride;
          for (let i = i0; i < i1; i++) {
            const v = ad[src + i], q = pos[i];
            f[vo + q] = v;
            iw[io + q] = off;
            pos[i] = q + +(v !== 0);
          }
        }
      }
    }
  }
  return e;
}

/**
 * The kernel for panels of `nr` columns,
 * sparse(bp, cp, vals, idxs, ptrs, m, njp, k, nkb, rs): for every panel jp < njp, K-block
 * kb < nkb and row i < m, Cp[i, nr·jp..nr·jp+nr−1] += Σ_e vals[e] · Bp[jp][idxs[e]], the entries e
 * of (kb, i). Pointers in bytes; rs = row stride of Cp in bytes.
 */
export function assembleSparseKernel(nr: SparseWidth): number[] {
  const BP = 0, CP = 1, VALS = 2, IDXS = 3, PTRS = 4, M = 5, NJP = 6, K = 7, NKB = 8, RS = 9;
  const nParams = 10;
  let next = nParams;
  const local = () => next++;
  const jp = local(), kb = local(), i = local(), bpan = local(), vptr = local(), vend = local(), iptr = local(),
    cptr = local(), pp = local(), bb = local(), e0 = local();
  const firstVec = next;
  const acc = Array.from({ length: nr / 2 }, local);
  const av = local();
  const nI32 = firstVec - nParams, nVec = next - firstVec;

  const madds: number[][] = [];
  for (let v = 0; v < acc.length; v++) {
    madds.push(get(acc[v]), get(av), get(bb), vload(16 * v), F64X2_MUL, F64X2_ADD, set(acc[v]));
  }
  const inner = cat(
    get(vptr), splat64(0), set(av),
    get(bpan), get(iptr), load32(0), ADD, set(bb),
    ...madds,
    get(vptr), i32(8), ADD, set(vptr), get(iptr), i32(4), ADD, set(iptr),
  );
  const store: number[][] = [];
  for (let v = 0; v < acc.length; v++) store.push(get(cptr), get(cptr), vload(16 * v), get(acc[v]), F64X2_ADD, vstore(16 * v));
  const row = cat(
    ...acc.map((a) => cat(V128_ZERO, set(a))),
    get(pp), load32(0), set(e0),
    get(VALS), get(e0), i32(8), MUL, ADD, set(vptr),
    get(IDXS), get(e0), i32(4), MUL, ADD, set(iptr),
    get(VALS), get(pp), load32(4), i32(8), MUL, ADD, set(vend),
    whileNot(cat(get(vptr), get(vend), GE_U), inner),
    ...store,
    get(cptr), get(RS), ADD, set(cptr),
    get(pp), i32(8), ADD, set(pp),
    get(i), i32(1), ADD, set(i),
  );
  const block = cat(
    get(CP), get(jp), i32(nr * 8), MUL, ADD, set(cptr),
    i32(0), set(i),
    whileNot(cat(get(i), get(M), GE_U), row),
    get(kb), i32(1), ADD, set(kb),
  );
  const panel = cat(
    get(BP), get(jp), get(K), MUL, i32(nr * 8), MUL, ADD, set(bpan),
    get(PTRS), set(pp),
    i32(0), set(kb),
    whileNot(cat(get(kb), get(NKB), GE_U), block),
    get(jp), i32(1), ADD, set(jp),
  );
  return functionBody(nI32, nVec, cat(i32(0), set(jp), whileNot(cat(get(jp), get(NJP), GE_U), panel)));
}
