/**
 * A WebAssembly SIMD (f64x2) kernel behind `gemm` for products large enough to pay for packing.
 *
 * The module is assembled here, byte by byte (no toolchain): one function computing
 * `Cp += Ap · Bp` over a K-block, where Ap holds op(A) in panels of 4 rows (for each panel and
 * each p, the 4 values a(i..i+3, p) contiguously), Bp holds op(B) in panels of 4 columns, and Cp
 * is row-major with rows and columns padded to multiples of 4. The micro-kernel keeps a 4×4 tile
 * of C in eight f64x2 registers; per p it loads two vectors of B and broadcasts four values of A
 * (16 multiply-adds for six loads). Packing also does the transposes, so the NN, NT, TN and TT
 * products share the kernel. Operands are copied into the module's own memory at each call (the
 * memory may grow, which would detach views kept across calls).
 *
 * Summation order depends only on the shapes (K-blocks of 256, p ascending within a block), so
 * results are bit-identical from run to run. Without WebAssembly SIMD, or with
 * `WIDELIMIT_NO_WASM=1` in the environment, `gemm` uses its JavaScript loops.
 */

/** Use the kernel when m, n ≥ 4 and m·n·k ≥ this many multiply-adds. */
export const WASM_MIN_WORK = 1 << 15;
const KC = 256;
const MR = 4;
const NR = 4;

type Kernel = (ap: number, bp: number, cp: number, mb: number, nb: number, k: number, k0: number, kn: number, rs: number) => void;

interface Engine {
  memory: WebAssembly.Memory;
  kernel: Kernel;
}

let engine: Engine | null | undefined;

function getEngine(): Engine | null {
  if (engine !== undefined) return engine;
  engine = null;
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    if (env?.WIDELIMIT_NO_WASM === '1' || typeof WebAssembly === 'undefined') return null;
    const memory = new WebAssembly.Memory({ initial: 16 });
    const mod = new WebAssembly.Module(new Uint8Array(assembleKernel()));
    const inst = new WebAssembly.Instance(mod, { env: { mem: memory } });
    engine = { memory, kernel: inst.exports.kernel as Kernel };
  } catch {
    engine = null;
  }
  return engine;
}

/** Whether the SIMD kernel is in use. */
export function wasmGemmAvailable(): boolean {
  return getEngine() !== null;
}

/**
 * C ← alpha·op(A)·op(B) + beta·C with the SIMD kernel, for op(A) m×k and op(B) k×n given as
 * row-major arrays. Returns false (and does nothing) when the kernel is unavailable or the
 * product too small to gain from it.
 */
export function wasmGemm(
  tA: boolean, tB: boolean, m: number, n: number, k: number, alpha: number,
  ad: Float64Array, bd: Float64Array, beta: number, cd: Float64Array,
): boolean {
  if (m < MR || n < NR || m * n * k < WASM_MIN_WORK) return false;
  const e = getEngine();
  if (!e) return false;
  const mp = Math.ceil(m / MR) * MR, np = Math.ceil(n / NR) * NR;
  const aLen = mp * k, bLen = np * k, cLen = mp * np;
  const bytes = (aLen + bLen + cLen) * 8;
  if (e.memory.buffer.byteLength < bytes) e.memory.grow(Math.ceil((bytes - e.memory.buffer.byteLength) / 65536));
  const f = new Float64Array(e.memory.buffer);
  const ao = 0, bo = aLen, co = aLen + bLen;
  packRows(f, ao, ad, m, k, mp, tA);
  packCols(f, bo, bd, k, n, np, tB);
  f.fill(0, co, co + cLen);
  for (let k0 = 0; k0 < k; k0 += KC) e.kernel(ao * 8, bo * 8, co * 8, mp / MR, np / NR, k, k0, Math.min(KC, k - k0), np * 8);
  for (let i = 0; i < m; i++) {
    const src = co + i * np, dst = i * n;
    if (beta === 0) for (let j = 0; j < n; j++) cd[dst + j] = alpha * f[src + j];
    else for (let j = 0; j < n; j++) cd[dst + j] = alpha * f[src + j] + beta * cd[dst + j];
  }
  return true;
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
    // a(i, p) = A[p·m + i]
    for (let p = 0; p < k; p++) {
      const src = p * m;
      for (let i = 0; i < m; i++) out[o + ((i >> 2) * k + p) * 4 + (i & 3)] = ad[src + i];
    }
  }
  for (let i = m; i < mp; i++) {
    const base = o + (i >> 2) * k * 4 + (i & 3);
    for (let p = 0; p < k; p++) out[base + p * 4] = 0;
  }
}

/** Panels of 4 columns of op(B) (k×n): out[o + ((j>>2)·k + p)·4 + (j&3)] = b(p, j); padding 0. */
function packCols(out: Float64Array, o: number, bd: Float64Array, k: number, n: number, np: number, trans: boolean): void {
  if (!trans) {
    // b(p, j) = B[p·n + j]
    for (let p = 0; p < k; p++) {
      const src = p * n;
      for (let j = 0; j < n; j++) out[o + ((j >> 2) * k + p) * 4 + (j & 3)] = bd[src + j];
    }
  } else {
    // b(p, j) = B[j·k + p]
    for (let j = 0; j < n; j++) {
      const base = o + (j >> 2) * k * 4 + (j & 3), src = j * k;
      for (let p = 0; p < k; p++) out[base + p * 4] = bd[src + p];
    }
  }
  for (let j = n; j < np; j++) {
    const base = o + (j >> 2) * k * 4 + (j & 3);
    for (let p = 0; p < k; p++) out[base + p * 4] = 0;
  }
}

// ---- the module, assembled ------------------------------------------------------------------

const uLEB = (v: number): number[] => {
  const o: number[] = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v) b |= 0x80;
    o.push(b);
  } while (v);
  return o;
};
const sLEB = (v: number): number[] => {
  const o: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && !(b & 0x40)) || (v === -1 && b & 0x40)) {
      o.push(b);
      return o;
    }
    o.push(b | 0x80);
  }
};
const vec = (items: number[][]): number[] => [...uLEB(items.length), ...items.flat()];
const section = (id: number, b: number[]): number[] => [id, ...uLEB(b.length), ...b];
const name = (s: string): number[] => [...uLEB(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];
const cat = (...parts: number[][]): number[] => parts.flat();

const I32 = 0x7f, V128 = 0x7b;
const get = (i: number) => [0x20, ...uLEB(i)];
const set = (i: number) => [0x21, ...uLEB(i)];
const i32 = (v: number) => [0x41, ...sLEB(v)];
const ADD = [0x6a], MUL = [0x6c], GE_U = [0x4f];
const vload = (off: number) => [0xfd, 0x00, 4, ...uLEB(off)];
const vstore = (off: number) => [0xfd, 0x0b, 4, ...uLEB(off)];
const splat64 = (off: number) => [0xfd, 0x0a, 3, ...uLEB(off)];
const F64X2_ADD = [0xfd, 0xf0, 0x01], F64X2_MUL = [0xfd, 0xf2, 0x01];
const V128_ZERO = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
/** block { loop { if (cond) break; body; continue } } */
const whileNot = (exitCond: number[], body: number[]) => cat([0x02, 0x40, 0x03, 0x40], exitCond, [0x0d, 1], body, [0x0c, 0, 0x0b, 0x0b]);

/**
 * kernel(ap, bp, cp, mb, nb, k, k0, kn, rs): for every 4×4 tile (ib < mb, jb < nb),
 * Cp[tile] += Σ_{p=k0}^{k0+kn−1} Ap[ib][p] ⊗ Bp[jb][p]; pointers in bytes, rs = row stride of Cp.
 */
function assembleKernel(): number[] {
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
  const store: number[][] = [get(CP), get(ib), get(RS), MUL, i32(4), MUL, ADD, get(jb), i32(32), MUL, ADD, set(cptr)];
  for (let r = 0; r < 4; r++) {
    for (let v = 0; v < 2; v++) store.push(get(cptr), get(cptr), vload(16 * v), get(acc[2 * r + v]), F64X2_ADD, vstore(16 * v));
    store.push(get(cptr), get(RS), ADD, set(cptr));
  }
  const tile = cat(
    ...acc.map((a) => cat(V128_ZERO, set(a))),
    get(AP), get(ib), get(K), MUL, get(K0), ADD, i32(32), MUL, ADD, set(acur),
    get(acur), get(KN), i32(32), MUL, ADD, set(aend),
    get(bpan), set(bcur),
    whileNot(cat(get(acur), get(aend), GE_U), inner),
    ...store,
    get(ib), i32(1), ADD, set(ib),
  );
  const panel = cat(
    get(BP), get(jb), get(K), MUL, get(K0), ADD, i32(32), MUL, ADD, set(bpan),
    i32(0), set(ib),
    whileNot(cat(get(ib), get(MB), GE_U), tile),
    get(jb), i32(1), ADD, set(jb),
  );
  const code = cat(i32(0), set(jb), whileNot(cat(get(jb), get(NB), GE_U), panel));
  const body = cat(vec([[...uLEB(nI32), I32], [...uLEB(nVec), V128]]), code, [0x0b]);
  return cat(
    [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    section(1, vec([[0x60, ...vec(new Array(9).fill([I32])), 0]])),
    section(2, vec([cat(name('env'), name('mem'), [0x02, 0x00], uLEB(1))])),
    section(3, vec([[0]])),
    section(7, vec([cat(name('kernel'), [0x00, 0])])),
    section(10, vec([cat(uLEB(body.length), body)])),
  );
}
