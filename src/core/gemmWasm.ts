/**
 * WebAssembly SIMD (f64x2) kernels behind `gemm` for products large enough to pay for packing.
 *
 * The module is assembled byte by byte (no toolchain, see wasmAsm.ts) and holds two functions.
 * `kernel`, dense: `Cp += Ap · Bp` over a K-block, where Ap holds op(A) in panels of 4 rows (for
 * each panel and each p, the 4 values a(i..i+3, p) contiguously), Bp holds op(B) in panels of 4
 * columns, and Cp is row-major with rows and columns padded to multiples of 4. The micro-kernel
 * keeps a 4×4 tile of C in eight f64x2 registers; per p it loads two vectors of B and broadcasts
 * four values of A (16 multiply-adds for six loads). `sparse` (gemmSparse.ts): the same sums
 * without the zero entries of op(A), taken when op(A) has few enough nonzeros (ReLU activations
 * and the errors back-propagated through them are about half zeros). Packing also does the
 * transposes, so the NN, NT, TN and TT products share the kernels. Operands are copied into the
 * module's own memory at each call (the memory may grow, which would detach views kept across
 * calls).
 *
 * Summation order depends only on the shapes (K-blocks of 256, p ascending within a block), and
 * both kernels give the same bits (gemmSparse.ts says why), so results are bit-identical from run
 * to run whichever kernel a product takes. Without WebAssembly SIMD, or with
 * `WIDELIMIT_NO_WASM=1` in the environment, `gemm` uses its JavaScript loops.
 */
import {
  ADD, F64X2_ADD, F64X2_MUL, GE_U, MUL, V128_ZERO, assembleModule, cat, functionBody, get, i32, set, splat64, vload, vstore, whileNot,
} from './wasmAsm.js';
import { KC, SPARSE_WIDTHS, type SparseWidth, assembleSparseKernel, compressRows, countNonzero } from './gemmSparse.js';

/** Use the kernels when m, n ≥ 4 and m·n·k ≥ this many multiply-adds. */
export const WASM_MIN_WORK = 1 << 15;
const MR = 4;
const NR = 4;
/**
 * Time of one multiply-add of the sparse kernels relative to one of the dense kernel, by panel
 * width (measured: an index load and a broadcast per entry, amortised over nr columns). A
 * product takes the sparse kernel of width w when nnz · ⌈n⌉_w · cost_w + m · k · COMPRESS_COST
 * < ⌈m⌉₄ · ⌈n⌉₄ · k.
 */
const SPARSE_COST: Record<SparseWidth, number> = { 12: 1.25, 8: 1.4 };
/**
 * Time of listing the nonzeros of op(A), per entry of A, in dense multiply-adds (measured:
 * about 0.6 ms for 2^18 entries read by rows, 1.1 ms when A is transposed, against 23 ms for
 * 2^28 dense multiply-adds): it decides against the sparse kernels when n is small.
 */
const COMPRESS_COST = { rows: 25, transposed: 45 };

type Kernel = (ap: number, bp: number, cp: number, mb: number, nb: number, k: number, k0: number, kn: number, rs: number) => void;
type SparseKernel = (bp: number, cp: number, vals: number, idxs: number, ptrs: number, m: number, njp: number, k: number, nkb: number, rs: number) => void;

interface Engine {
  memory: WebAssembly.Memory;
  kernel: Kernel;
  /** The same with Cp ← (instead of +=) the sums: the first K-block, so Cp needs no zero fill. */
  kernelStore: Kernel;
  sparse: Record<SparseWidth, SparseKernel>;
}

let engine: Engine | null | undefined;
/** Which kernel products take: 'auto' (by the nonzero count), or forced (tests, measurements). */
export type SparseMode = 'auto' | 'never' | 'always' | SparseWidth;
let sparseMode: SparseMode = 'auto';
/** The panels last handed out by wasmLeftPanels, until a product uses the memory. */
let panelsOwner: LeftPanels | null = null;

function getEngine(): Engine | null {
  if (engine !== undefined) return engine;
  engine = null;
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    if (env?.WIDELIMIT_NO_WASM === '1' || typeof WebAssembly === 'undefined') return null;
    const memory = new WebAssembly.Memory({ initial: 16 });
    const mod = new WebAssembly.Module(assembleModule([
      { name: 'kernel', nParams: 9, body: assembleDenseKernel(false) },
      { name: 'kernelStore', nParams: 9, body: assembleDenseKernel(true) },
      ...SPARSE_WIDTHS.map((w) => ({ name: `sparse${w}`, nParams: 10, body: assembleSparseKernel(w) })),
    ]));
    const inst = new WebAssembly.Instance(mod, { env: { mem: memory } });
    const x = inst.exports;
    engine = { memory, kernel: x.kernel as Kernel, kernelStore: x.kernelStore as Kernel, sparse: { 12: x.sparse12 as SparseKernel, 8: x.sparse8 as SparseKernel } };
  } catch {
    engine = null;
  }
  return engine;
}

/** Whether the SIMD kernels are in use. */
export function wasmGemmAvailable(): boolean {
  return getEngine() !== null;
}

/**
 * For tests and measurements: let products take a sparse kernel by their nonzero count ('auto',
 * the default), never, always (the cheaper width), or always that of width 8 or 12 — "always"
 * meaning whenever B is finite and the product large enough for the SIMD kernels. Returns the
 * previous mode.
 */
export function setSparseGemm(mode: SparseMode): SparseMode {
  const old = sparseMode;
  sparseMode = mode;
  return old;
}

/** Memory of at least `bytes` bytes; returns f64 and i32 views of it. */
function memoryOf(e: Engine, bytes: number): { f: Float64Array; iw: Int32Array } {
  const have = e.memory.buffer.byteLength;
  if (have < bytes) e.memory.grow(Math.ceil((bytes - have) / 65536));
  return { f: new Float64Array(e.memory.buffer), iw: new Int32Array(e.memory.buffer) };
}

/**
 * C ← alpha·op(A)·op(B) + beta·C with the SIMD kernels, for op(A) m×k and op(B) k×n given as
 * row-major arrays. Returns false (and does nothing) when the kernels are unavailable or the
 * product too small to gain from them.
 */
export function wasmGemm(
  tA: boolean, tB: boolean, m: number, n: number, k: number, alpha: number,
  ad: Float64Array, bd: Float64Array, beta: number, cd: Float64Array,
): boolean {
  const r = wasmProduct(tA, tB, m, n, k, ad, bd);
  if (!r) return false;
  unpack(r.f, r.co, r.np, m, n, alpha, beta, cd);
  return true;
}

/**
 * Reads row i of a product: out row i = scale · src[so .. so + n) (plus whatever the callback
 * adds). Must not call gemm (the module's memory may grow, detaching `src`).
 */
export type RowEpilogue = (i: number, src: Float64Array, so: number, scale: number) => void;

/**
 * op(A)·op(B) (m×n) with the SIMD kernels, handed row by row to `rows(i, src, so, alpha)` instead
 * of being copied out: row i of alpha·op(A)op(B) is `alpha * src[so + j]`, j < n, the same bits
 * as `wasmGemm(…, beta = 0, …)` would write. Returns false (and calls nothing) when the product
 * would not take the kernels.
 */
export function wasmGemmRows(
  tA: boolean, tB: boolean, m: number, n: number, k: number, alpha: number,
  ad: Float64Array, bd: Float64Array, rows: RowEpilogue,
): boolean {
  const r = wasmProduct(tA, tB, m, n, k, ad, bd);
  if (!r) return false;
  for (let i = 0; i < m; i++) rows(i, r.f, r.co + i * r.np, alpha);
  return true;
}

/** The unscaled product op(A)op(B) in the module's memory: row i at f[co + i·np ..], or null. */
function wasmProduct(
  tA: boolean, tB: boolean, m: number, n: number, k: number, ad: Float64Array, bd: Float64Array,
): { f: Float64Array; co: number; np: number } | null {
  if (m < MR || n < NR || m * n * k < WASM_MIN_WORK) return null;
  const e = getEngine();
  if (!e) return null;
  panelsOwner = null;
  const dense = Math.ceil(m / MR) * MR * Math.ceil(n / NR) * NR * k;
  const listing = m * k * (tA ? COMPRESS_COST.transposed : COMPRESS_COST.rows);
  if (sparseMode !== 'never' && (sparseMode !== 'auto' || listing < dense)) {
    const nnz = countNonzero(ad, m * k);
    let best: SparseWidth = 12, cost = Infinity;
    for (const w of SPARSE_WIDTHS) {
      const c = nnz * Math.ceil(n / w) * w * SPARSE_COST[w] + listing;
      if (c < cost) { best = w; cost = c; }
    }
    if (typeof sparseMode === 'number') best = sparseMode;
    if (sparseMode !== 'auto' || cost < dense) {
      const r = sparseProduct(e, best, tA, tB, m, n, k, nnz, ad, bd);
      if (r) return r;
    }
  }
  const { f } = memoryOf(e, denseBytes(m, n, k));
  packRows(f, 0, ad, m, k, Math.ceil(m / MR) * MR, tA);
  return denseProduct(e, f, m, n, k, tB, bd);
}

/** Module memory the dense path needs: panels of op(A) at 0, of op(B) after, then Cp. */
function denseBytes(m: number, n: number, k: number): number {
  const mp = Math.ceil(m / MR) * MR, np = Math.ceil(n / NR) * NR;
  return (mp * k + np * k + mp * np) * 8;
}

/** The dense path once op(A)'s panels are at f64 index 0: packs op(B), runs the kernel. */
function denseProduct(e: Engine, f: Float64Array, m: number, n: number, k: number, tB: boolean, bd: Float64Array): { f: Float64Array; co: number; np: number } {
  const mp = Math.ceil(m / MR) * MR, np = Math.ceil(n / NR) * NR;
  const aLen = mp * k, bLen = np * k;
  const ao = 0, bo = aLen, co = aLen + bLen;
  packCols(f, bo, bd, k, n, np, tB, NR);
  // the first K-block stores its sums (no zero fill): a sum from +0 is never −0, so 0 + s = s
  for (let k0 = 0; k0 < k; k0 += KC) {
    (k0 === 0 ? e.kernelStore : e.kernel)(ao * 8, bo * 8, co * 8, mp / MR, np / NR, k, k0, Math.min(KC, k - k0), np * 8);
  }
  return { f, co, np };
}

/**
 * The left factor of a product op(A)·op(B) (m×k by k×n) written by its producer straight in the
 * dense kernel's layout, which saves the packing pass (the trainer's backward pass writes
 * Δ⁰ᵀ so): `data` is the module memory's panels, data[((i >> 2)·k + p)·4 + (i & 3)] = a(i, p),
 * rows m..⌈m⌉₄ already 0. Valid until the next product (any gemm call reuses the memory).
 */
export interface LeftPanels {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly data: Float64Array;
}

/**
 * Panels to fill for the product (tA, m, n, k), when that product takes the dense kernel whatever
 * op(A) holds (the sparse kernels are chosen by A's nonzeros, read from A itself); else null.
 * `gemm(tA, …)` would take the same kernel, so {@link wasmGemmPackedLeft} gives its bits.
 */
export function wasmLeftPanels(tA: boolean, m: number, n: number, k: number): LeftPanels | null {
  if (m < MR || n < NR || m * n * k < WASM_MIN_WORK) return null;
  const e = getEngine();
  if (!e) return null;
  const dense = Math.ceil(m / MR) * MR * Math.ceil(n / NR) * NR * k;
  const listing = m * k * (tA ? COMPRESS_COST.transposed : COMPRESS_COST.rows);
  if (sparseMode !== 'never' && (sparseMode !== 'auto' || listing < dense)) return null;
  const { f } = memoryOf(e, denseBytes(m, n, k));
  const mp = Math.ceil(m / MR) * MR;
  if (mp > m) f.fill(0, (m >> 2) * k * 4, mp * k); // the last panel, padding rows included (the caller writes the others)
  panelsOwner = { m, n, k, data: f.subarray(0, mp * k) };
  return panelsOwner;
}

/**
 * C ← alpha·op(A)·op(B) + beta·C with op(A) given as filled {@link LeftPanels}: the bits of
 * `wasmGemm(tA, tB, m, n, k, alpha, A, B, beta, C)` (either kernel: they give the same bits).
 * Throws if the panels are stale (another product ran, or the memory grew, since).
 */
export function wasmGemmPackedLeft(left: LeftPanels, tB: boolean, alpha: number, bd: Float64Array, beta: number, cd: Float64Array): void {
  const e = getEngine();
  const { m, n, k } = left;
  if (!e || left.data.buffer !== e.memory.buffer || e.memory.buffer.byteLength < denseBytes(m, n, k) || panelsOwner !== left) {
    throw new RangeError('wasmGemmPackedLeft: the panels are no longer in the module memory');
  }
  panelsOwner = null;
  const f = new Float64Array(e.memory.buffer);
  const r = denseProduct(e, f, m, n, k, tB, bd);
  unpack(r.f, r.co, r.np, m, n, alpha, beta, cd);
}

/** The sparse path (gemmSparse.ts); null, having done nothing, when B has a non-finite entry. */
function sparseProduct(
  e: Engine, nr: SparseWidth, tA: boolean, tB: boolean, m: number, n: number, k: number, nnz: number,
  ad: Float64Array, bd: Float64Array,
): { f: Float64Array; co: number; np: number } | null {
  const np = Math.ceil(n / nr) * nr, nkb = Math.ceil(k / KC);
  // f64 regions: Bp, Cp, vals; then i32 regions: idxs, ptrs
  const slots = nnz + nkb * m;
  const bo = 0, co = np * k, vo = co + m * np, io = 2 * (vo + slots), po = io + slots;
  const { f, iw } = memoryOf(e, (po + 2 * nkb * m) * 4);
  if (!packCols(f, bo, bd, k, n, np, tB, nr)) return null;
  compressRows(f, vo, iw, io, po, ad, m, k, tA, nr);
  f.fill(0, co, co + m * np);
  e.sparse[nr](bo * 8, co * 8, vo * 8, io * 4, po * 4, m, np / nr, k, nkb, np * 8);
  return { f, co, np };
}

/** C ← alpha·Cp + beta·C (beta = 0: C ← alpha·Cp), Cp with row stride np at f64 index co. */
function unpack(f: Float64Array, co: number, np: number, m: number, n: number, alpha: number, beta: number, cd: Float64Array): void {
  for (let i = 0; i < m; i++) {
    const src = co + i * np, dst = i * n;
    if (beta === 0) for (let j = 0; j < n; j++) cd[dst + j] = alpha * f[src + j];
    else for (let j = 0; j < n; j++) cd[dst + j] = alpha * f[src + j] + beta * cd[dst + j];
  }
}

/** Panels of 4 rows of op(A) (m×k): out[o + ((i>>2)·k + p)·4 + (i&3)] = a(i, p); padding rows 0. */
function packRows(out: Float64Array, o: number, ad: Float64Array, m: number, k: number, mp: number, trans: boolean): void {
  if (!trans) {
    // a(i, p) = A[i·k + p]: read rows contiguously
    for (let i = 0; i < m; i++) {
      const base = o + (i >> 2) * k * 4 + (i & 3), src = i * k;
      for (let p = 0; p < k; p++) out[base + p * 4] = ad[src + p];
    }
  } else {
    // a(i, p) = A[p·m + i]: 64 columns of A at a time, so that the 16 panels written stay in cache
    const m4 = m & ~3;
    for (let i0 = 0; i0 < m4; i0 += 64) {
      const i1 = Math.min(m4, i0 + 64);
      for (let p = 0; p < k; p++) {
        const src = p * m;
        for (let i = i0; i < i1; i += 4) {
          const dst = o + ((i >> 2) * k + p) * 4;
          out[dst] = ad[src + i];
          out[dst + 1] = ad[src + i + 1];
          out[dst + 2] = ad[src + i + 2];
          out[dst + 3] = ad[src + i + 3];
        }
      }
    }
    for (let i = m4; i < m; i++) {
      const base = o + (i >> 2) * k * 4 + (i & 3);
      for (let p = 0; p < k; p++) out[base + p * 4] = ad[p * m + i];
    }
  }
  for (let i = m; i < mp; i++) {
    const base = o + (i >> 2) * k * 4 + (i & 3);
    for (let p = 0; p < k; p++) out[base + p * 4] = 0;
  }
}

/**
 * Panels of w columns of op(B) (k×n, w a multiple of 4): out[o + (⌊j/w⌋·k + p)·w + j mod w] = b(p, j);
 * padding 0.
 * Returns whether every entry of B is finite (an integer flag: a floating-point probe would put
 * a loop-carried addition on every entry).
 */
function packCols(out: Float64Array, o: number, bd: Float64Array, k: number, n: number, np: number, trans: boolean, w: number): boolean {
  let bad = 0;
  if (!trans) {
    // b(p, j) = B[p·n + j]: rows of B read contiguously, w-wide pieces written to the panels
    const nw = n - (n % w);
    for (let p = 0; p < k; p++) {
      const src = p * n;
      for (let j0 = 0; j0 < nw; j0 += w) {
        const dst = o + j0 * k + p * w - j0;
        for (let j = j0; j < j0 + w; j += 4) {
          const v0 = bd[src + j], v1 = bd[src + j + 1], v2 = bd[src + j + 2], v3 = bd[src + j + 3];
          out[dst + j] = v0; out[dst + j + 1] = v1; out[dst + j + 2] = v2; out[dst + j + 3] = v3;
          bad |= +(v0 - v0 !== 0) | +(v1 - v1 !== 0) | +(v2 - v2 !== 0) | +(v3 - v3 !== 0);
        }
      }
      const dst = o + nw * k + p * w - nw;
      for (let j = nw; j < n; j++) { const v = bd[src + j]; out[dst + j] = v; bad |= +(v - v !== 0); }
    }
  } else {
    // b(p, j) = B[j·k + p]: by blocks of 64 p, so that the lines of the panel written stay in L1
    for (let j0 = 0; j0 < n; j0 += w) {
      const j1 = Math.min(n, j0 + w);
      for (let p0 = 0; p0 < k; p0 += 64) {
        const p1 = Math.min(k, p0 + 64);
        for (let j = j0; j < j1; j++) {
          const base = o + j0 * k + (j - j0), src = j * k;
          for (let p = p0; p < p1; p++) { const v = bd[src + p]; out[base + p * w] = v; bad |= +(v - v !== 0); }
        }
      }
    }
  }
  for (let j = n; j < np; j++) {
    const base = o + (j - (j % w)) * k + (j % w);
    for (let p = 0; p < k; p++) out[base + p * w] = 0;
  }
  return bad === 0;
}

// ---- the dense kernel, assembled -------------------------------------------------------------

/**
 * kernel(ap, bp, cp, mb, nb, k, k0, kn, rs): for every 4×4 tile (ib < mb, jb < nb),
 * Cp[tile] += Σ_{p=k0}^{k0+kn−1} Ap[ib][p] ⊗ Bp[jb][p] (with `store`, Cp[tile] ← the sum); pointers
 * in bytes, rs = row stride of Cp.
 */
function assembleDenseKernel(store: boolean): number[] {
  const AP = 0, BP = 1, CP = 2, MB = 3, NB = 4, K = 5, K0 = 6, KN = 7, RS = 8;
  let next = 9;
  const local = () => next++;
  const jb = local(), ib = local(), acur = local(), bcur = local(), aend = local(), bpan = local(), cptr = local();
  const firstVec = next;
  const acc = Array.from({ length: 8 }, local);
  const b0 = local(), b1 = local(), av = local();
  const nI32 = firstVec - 9, nVec = next - firstVec;

  const rowsOfTile: number[][] = [];
  for (let r = 0; r < 4; r++) {
    rowsOfTile.push(get(acur), splat64(8 * r), set(av));
    rowsOfTile.push(get(acc[2 * r]), get(av), get(b0), F64X2_MUL, F64X2_ADD, set(acc[2 * r]));
    rowsOfTile.push(get(acc[2 * r + 1]), get(av), get(b1), F64X2_MUL, F64X2_ADD, set(acc[2 * r + 1]));
  }
  const inner = cat(
    get(bcur), vload(0), set(b0), get(bcur), vload(16), set(b1),
    ...rowsOfTile,
    get(acur), i32(32), ADD, set(acur), get(bcur), i32(32), ADD, set(bcur),
  );
  const stores: number[][] = [get(CP), get(ib), get(RS), MUL, i32(4), MUL, ADD, get(jb), i32(32), MUL, ADD, set(cptr)];
  for (let r = 0; r < 4; r++) {
    for (let v = 0; v < 2; v++) {
      if (store) stores.push(get(cptr), get(acc[2 * r + v]), vstore(16 * v));
      else stores.push(get(cptr), get(cptr), vload(16 * v), get(acc[2 * r + v]), F64X2_ADD, vstore(16 * v));
    }
    stores.push(get(cptr), get(RS), ADD, set(cptr));
  }
  const tile = cat(
    ...acc.map((a) => cat(V128_ZERO, set(a))),
    get(AP), get(ib), get(K), MUL, get(K0), ADD, i32(32), MUL, ADD, set(acur),
    get(acur), get(KN), i32(32), MUL, ADD, set(aend),
    get(bpan), set(bcur),
    whileNot(cat(get(acur), get(aend), GE_U), inner),
    ...stores,
    get(ib), i32(1), ADD, set(ib),
  );
  const panel = cat(
    get(BP), get(jb), get(K), MUL, get(K0), ADD, i32(32), MUL, ADD, set(bpan),
    i32(0), set(ib),
    whileNot(cat(get(ib), get(MB), GE_U), tile),
    get(jb), i32(1), ADD, set(jb),
  );
  const code = cat(i32(0), set(jb), whileNot(cat(get(jb), get(NB), GE_U), panel));
  return functionBody(nI32, nVec, code);
}
