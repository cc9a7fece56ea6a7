/**
 * The native engine: a Node-API addon built from native/*.cc by `npm ci` (node-gyp, see
 * binding.gyp and scripts/build-native.mjs) with AVX-512 or AVX2 fused multiply-add kernels chosen
 * at run time by CPU detection. Loaded once; when it is missing (no compiler at install time),
 * cannot load, or the CPU lacks both instruction sets, `gemm` keeps the WebAssembly kernels.
 *
 * `WIDELIMIT_ENGINE=native|wasm` chooses explicitly (native asked for but unavailable: one warning
 * on stderr, then wasm). `WIDELIMIT_THREADS` sets the threads of one product (default: every core
 * on the main thread, 1 in worker threads, so sweeps keep one cell per worker). Threads split a
 * product's output into ranges of whole tiles and never a sum, so the bits do not depend on the
 * thread count; native and wasm results differ in rounding (fused multiply-adds), README
 * "Engines and determinism".
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';

/** Epilogue codes of native/gemm.h. */
export const EPI = { none: 0, abrelu: 1, slopeAct: 2, slopeMask: 3, slopeTable: 4 } as const;

/** What the addon exports (native/addon.cc). */
interface Addon {
  isa(): string | null;
  gemm(
    tA: boolean, tB: boolean, m: number, n: number, k: number, alpha: number,
    a: Float64Array, b: Float64Array, beta: number, c: Float64Array, threads: number,
    kind: number, ea: number, eba: number, ebs: number, vec: Float64Array | null, mask: Uint8Array | null,
  ): void;
  syrkUpper(n: number, k: number, alpha: number, a: Float64Array, c: Float64Array, threads: number): void;
  axpy(t: Float64Array, g: Float64Array, c: number, offset: number, len: number, accumulate: boolean, threads: number): void;
  hugePages(a: Float64Array): boolean;
  rowDots(a: Float64Array, w: Float64Array, m: number, out: Float64Array, n: number, h: number, k: number, threads: number): void;
  arcBefore(
    S: Float64Array, T: Float64Array, n: number, i0: number, i1: number, q: Float64Array, first: boolean,
    w: number, bb: number, u: number, c: number, rho: Float64Array,
  ): void;
  arcAfter(
    S: Float64Array, T: Float64Array, n: number, i0: number, i1: number, q: Float64Array, rho: Float64Array, pt: Float64Array,
    relu: boolean, ab: number, c2: number, degOne: number, degBoth: number, w: number, bb: number, u: number, c: number,
  ): void;
  arcMirror(S: Float64Array, T: Float64Array, n: number, i0: number, i1: number): void;
  narrowBackward(
    dd: Float64Array, n: number, k: number, w: Float64Array, h: number, m: number, a: Float64Array | null, gw: Float64Array | null,
    kind: number, sa: number, sba: number, vec: Float64Array | null, pos: Uint8Array | null, below: Float64Array | null, threads: number,
  ): void;
}

let addon: Addon | null | undefined;
let loadError = '';

/** The addon file, searched upwards from this module (src/core or dist/src/core). */
function addonPath(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 5; up++) {
    const p = join(dir, 'build', 'Release', 'widelimit_native.node');
    if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  return null;
}

function load(): Addon | null {
  if (addon !== undefined) return addon;
  addon = null;
  try {
    const p = addonPath();
    if (!p) {
      loadError = 'not built (no build/Release/widelimit_native.node; `npm ci` builds it where a C++ compiler exists)';
      return null;
    }
    const a = createRequire(import.meta.url)(p) as Addon;
    if (!a.isa()) {
      loadError = 'this CPU has neither AVX2 with FMA nor AVX-512';
      return null;
    }
    addon = a;
  } catch (e) {
    loadError = `cannot load: ${(e as Error).message}`;
  }
  return addon;
}

/** Why the native engine is not in use ('' when it is). */
export function nativeUnavailableReason(): string {
  return load() ? '' : loadError;
}

/** The kernel the addon runs ('avx512' or 'avx2'), or null without the addon. */
export function nativeIsa(): string | null {
  return load()?.isa() ?? null;
}

let threadsOverride: number | undefined;
let threadsDefault: number | undefined;

/** Threads of one product: setNativeThreads, else WIDELIMIT_THREADS, else cores (main thread) or 1 (workers); read once. */
export function nativeThreads(): number {
  if (threadsOverride !== undefined) return threadsOverride;
  if (threadsDefault === undefined) {
    const env = Number(process.env.WIDELIMIT_THREADS);
    threadsDefault = Number.isInteger(env) && env >= 1 ? env : isMainThread ? Math.max(1, availableParallelism()) : 1;
  }
  return threadsDefault;
}

/** For tests and measurements: the thread count of native products (undefined: the default). Returns the previous override. */
export function setNativeThreads(t: number | undefined): number | undefined {
  const old = threadsOverride;
  threadsOverride = t;
  return old;
}

/** A fused epilogue of the native kernels (native/gemm.h), applied to each finished entry. */
export type NativeEpilogue =
  | { kind: 'abrelu'; a: number; ba: number; bias: { b: Float64Array; s: number } | null; mask: Uint8Array | null }
  | { kind: 'slopeAct'; a: number; ba: number; act: Float64Array }
  | { kind: 'slopeMask'; a: number; ba: number; positive: Uint8Array }
  | { kind: 'slopeTable'; dphi: Float64Array };

/**
 * C ← alpha·op(A)op(B) + beta·C (beta = 0: C not read), then `epi`, with the native kernels.
 * False (nothing done) without the addon.
 */
export function nativeGemm(
  tA: boolean, tB: boolean, m: number, n: number, k: number, alpha: number,
  ad: Float64Array, bd: Float64Array, beta: number, cd: Float64Array, epi?: NativeEpilogue,
): boolean {
  const x = load();
  if (!x) return false;
  const t = nativeThreads();
  if (!epi) x.gemm(tA, tB, m, n, k, alpha, ad, bd, beta, cd, t, EPI.none, 0, 0, 0, null, null);
  else if (epi.kind === 'abrelu') {
    x.gemm(tA, tB, m, n, k, alpha, ad, bd, beta, cd, t, EPI.abrelu, epi.a, epi.ba, epi.bias ? epi.bias.s : 0, epi.bias ? epi.bias.b : null, epi.mask);
  } else if (epi.kind === 'slopeAct') x.gemm(tA, tB, m, n, k, alpha, ad, bd, beta, cd, t, EPI.slopeAct, epi.a, epi.ba, 0, epi.act, null);
  else if (epi.kind === 'slopeMask') x.gemm(tA, tB, m, n, k, alpha, ad, bd, beta, cd, t, EPI.slopeMask, epi.a, epi.ba, 0, null, epi.positive);
  else x.gemm(tA, tB, m, n, k, alpha, ad, bd, beta, cd, t, EPI.slopeTable, 0, 0, 0, epi.dphi, null);
  return true;
}

/**
 * C ← alpha·A Aᵀ (A: n × k, C: n × n) on the native engine's tiles that hold the upper triangle
 * (j ≥ i): every entry there has the bits of `nativeGemm(false, true, …)`; entries below the
 * diagonal are unspecified (some written, most not). False (nothing done) without the addon.
 */
export function nativeSyrkUpper(n: number, k: number, alpha: number, a: Float64Array, c: Float64Array): boolean {
  const x = load();
  if (!x) return false;
  x.syrkUpper(n, k, alpha, a, c, nativeThreads());
  return true;
}

/**
 * t[o + i] ← t[o + i] + c·g[o + i] (accumulate) or c·g[o + i], i < len, on the native engine's
 * threads: the multiply rounded before the add, so the bits of the same loop in JavaScript. False
 * (nothing done) without the addon.
 */
export function nativeAxpy(t: Float64Array, g: Float64Array, c: number, o: number, len: number, accumulate: boolean): boolean {
  const x = load();
  if (!x) return false;
  x.axpy(t, g, c, o, len, accumulate, nativeThreads());
  return true;
}

/**
 * out[i·k + c] = 0 + m·Σ_j A[i·h + j]·W[c·h + j] (each sum j ascending from 0), i < n, c < k, on
 * the native engine's threads (rows split, never a sum): the bits of the same loop in JavaScript.
 * False (nothing done) without the addon.
 */
export function nativeRowDots(a: Float64Array, w: Float64Array, m: number, out: Float64Array, n: number, h: number, k: number): boolean {
  const x = load();
  if (!x) return false;
  x.rowDots(a, w, m, out, n, h, k, nativeThreads());
  return true;
}

/** φ' of the layer below for {@link nativeNarrowBackward}: a + ba·[act > 0], a + ba·pos, or a table. */
export type NarrowSlope =
  | { kind: 'act'; a: number; ba: number; act: Float64Array }
  | { kind: 'mask'; a: number; ba: number; positive: Uint8Array }
  | { kind: 'table'; dphi: Float64Array };

/**
 * Backward through a layer with k ≤ 3 outputs (Δ n × k, W k × h, multiplier m), native/narrow.h:
 * gw = m Δᵀ A (when given, A n × h) in the order of gemm's row-stream loop, below = (m Δ W) ∘ φ'
 * (when given), on the native engine's threads, with the bits of the JavaScript loops of
 * src/finite/fused/backward.ts. False (nothing done) without the addon.
 */
export function nativeNarrowBackward(
  dd: Float64Array, n: number, k: number, w: Float64Array, h: number, m: number,
  grad: { a: Float64Array; gw: Float64Array } | null, slope: NarrowSlope, below: Float64Array | null,
): boolean {
  const x = load();
  if (!x) return false;
  const [kind, sa, sba, vec, pos] = slope.kind === 'act' ? [0, slope.a, slope.ba, slope.act, null]
    : slope.kind === 'mask' ? [1, slope.a, slope.ba, null, slope.positive] : [2, 0, 0, slope.dphi, null];
  x.narrowBackward(dd, n, k, w, h, m, grad ? grad.a : null, grad ? grad.gw : null, kind, sa, sba, vec, pos, below, nativeThreads());
  return true;
}

/** The passes of the ABReLU kernel recursion around the arc cosine (native/arccos.h). */
export type NativeArc = Pick<Addon, 'arcBefore' | 'arcAfter' | 'arcMirror'>;

/** The addon's kernel-recursion passes (src/limits/ntk/abreluNative.ts), or null without the addon. */
export function nativeArc(): NativeArc | null {
  return load();
}

/** Arrays at least this large are backed by huge pages where the addon can ask for them. */
const HUGE_BYTES = 8 << 20;

/**
 * A zero-filled Float64Array of length n; when it is large (≥ 8 MiB: weight matrices of wide
 * layers and their gradients) and the addon is loaded, the kernel is asked to back it with 2 MiB
 * pages before it is first touched (madvise): on some virtual machines each first touch of a
 * 4 KiB page costs microseconds, seconds per h = 4096 weight matrix. Values are unaffected.
 */
export function largeFloat64Array(n: number): Float64Array {
  const a = new Float64Array(n);
  if (n * 8 >= HUGE_BYTES) load()?.hugePages(a);
  return a;
}
