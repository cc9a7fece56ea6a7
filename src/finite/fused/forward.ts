/**
 * Forward pass of the finite network (theory/conventions.md#presets), samples as rows:
 *
 *   Z^l = m_l · A^{l−1} (W^l)ᵀ + β_l · 1 (b^l)ᵀ,   A^{−1} = X (n×d),   A^l = φ(Z^l) for l < L,
 *   F = Z^L (n×k),
 *
 * with layers indexed 0..L (0-based; layer l+1 of theory/conventions.md#layer-form). The product is `gemm(false, true, …)`
 * on contiguous rows. The cached variant keeps A^l and φ'(Z^l) in a preallocated
 * {@link ForwardWorkspace} that backprop reads and that is reused from step to step; the
 * activation and its derivative are computed in one fused loop, in place over Z^l.
 */
import { type NativeEpilogue, type RowEpilogue, gemm, gemmRows } from '../../core/gemm.js';
import { nativeRowDots } from '../../core/gemmNative.js';
import { type Mat, mat, assertShape } from '../../core/matrix.js';
import type { Activation } from '../activation.js';
import type { Architecture } from '../architecture.js';
import type { Params } from '../params.js';

/** Buffers of one forward/backward pass on n samples. */
export interface ForwardWorkspace {
  readonly n: number;
  /** act[l] = φ(Z^l), n × n_l, hidden layers l = 0..L−1. */
  readonly act: Mat[];
  /**
   * dphi[l] = φ'(Z^l), n × n_l, hidden layers l = 0..L−1 (filled when derivatives are asked,
   * except for ABReLU, whose φ' = a + (b − a)·[Z > 0] is kept as `positive` instead, or read
   * from act when b = 1 and a ≥ 0, see {@link slopeFromActivation}).
   */
  readonly dphi: Mat[];
  /** positive[l][i] = [Z^l_i > 0] (n·n_l bytes; ABReLU with b ≠ 1 or a < 0, filled when derivatives are asked; else empty). */
  readonly positive: Uint8Array[];
  /** F = Z^L, n × k. */
  readonly out: Mat;
  /** delta[l] = ∂S/∂Z^l, n × n_l, l = 0..L, for the seed S put in delta[L] (see backward.ts). */
  readonly delta: Mat[];
}

/** Allocate a workspace for n samples. */
export function createWorkspace(arch: Architecture, n: number): ForwardWorkspace {
  const L = arch.layers.length - 1;
  const relu = arch.activation.family.kind === 'abrelu';
  const mask = relu && !slopeFromActivation(arch.activation);
  const act: Mat[] = [];
  const dphi: Mat[] = [];
  const positive: Uint8Array[] = [];
  const delta: Mat[] = [];
  for (let l = 0; l <= L; l++) {
    const w = arch.layers[l].nOut;
    if (l < L) {
      act.push(mat(n, w));
      dphi.push(relu ? mat(0, w) : mat(n, w));
      positive.push(new Uint8Array(mask ? n * w : 0));
    }
    delta.push(mat(n, w));
  }
  return { n, act, dphi, positive, out: mat(n, arch.layers[L].nOut), delta };
}

/** The same buffers restricted to their first m ≤ n rows (views, no copy). */
export function workspaceRows(ws: ForwardWorkspace, m: number): ForwardWorkspace {
  if (m > ws.n) throw new RangeError(`workspaceRows: ${m} rows requested from a workspace of ${ws.n}`);
  const cut = (a: Mat) => (a.rows === 0 ? a : mat(m, a.cols, a.data.subarray(0, m * a.cols)));
  return {
    n: m, act: ws.act.map(cut), dphi: ws.dphi.map(cut), out: cut(ws.out), delta: ws.delta.map(cut),
    positive: ws.positive.map((p, l) => p.subarray(0, p.length === 0 ? 0 : m * ws.act[l].cols)),
  };
}

/**
 * Cached forward pass: fills `ws` (act, dphi or positive when `withDerivative`, out) and returns
 * `ws.out` (F(x), n × k, before α and centring). `x` is n × d with n = ws.n.
 *
 * Each hidden layer is one product followed by one pass over its rows (gemmRows: read from the
 * SIMD kernels' memory, no copy) that adds the bias, applies φ, keeps φ' and — when the next
 * layer is the output layer with k < 4 outputs — accumulates the output product F = m_L A W_Lᵀ
 * row by row, in the order of gemm's own loops for such products (one sum per entry, p
 * ascending from 0), so the bits are those of the unfused passes.
 */
export function forwardCached(
  arch: Architecture,
  params: Params,
  x: Mat,
  ws: ForwardWorkspace,
  withDerivative = true,
): Mat {
  assertShape('forward(x)', x, ws.n, arch.inputDim);
  const L = arch.layers.length - 1;
  let a = x;
  let outDone = false;
  for (let l = 0; l <= L; l++) {
    const lay = arch.layers[l];
    const b = params.b[l];
    const bias = b && lay.bias ? { b, s: lay.bias.multiplier } : null;
    if (l < L) {
      const z = ws.act[l];
      const next = arch.layers[l + 1];
      // gemm's JavaScript loops compute products with fewer than 4 columns (gemmWasm.ts needs n ≥ 4)
      const fuseOut = l + 1 === L && next.nOut < 4 && next.multiplier !== 0 && ws.n > 0;
      const d = withDerivative ? { dphi: ws.dphi[l].data, positive: ws.positive[l] } : null;
      const epi = layerEpilogue(arch.activation, z, bias, d, fuseOut ? { w: params.W[L], m: next.multiplier, out: ws.out } : null);
      gemmRows(false, true, lay.multiplier, a, params.W[l], z, epi.rows, epi.fused ?? undefined);
      outDone = fuseOut;
      a = z;
    } else {
      if (!outDone) gemm(false, true, lay.multiplier, a, params.W[l], 0, ws.out);
      if (bias) addRowVector(ws.out, bias.b, bias.s);
    }
  }
  return ws.out;
}

/**
 * ABReLU slopes come from the activations themselves when b = 1 and a ≥ 0 (relu, leaky relu):
 * then [Z > 0] = [φ(Z) > 0] exactly (φ(z) = z for z > 0; a·z ≤ 0 otherwise, NaN for NaN), and no
 * mask is stored.
 */
export function slopeFromActivation(act: Activation): boolean {
  const fam = act.family;
  return fam.kind === 'abrelu' && fam.b === 1 && fam.a >= 0;
}

/**
 * The pass over row i of a hidden layer's product (see forwardCached): z = scale·src (+ s·b),
 * act ← φ(z), φ' into `deriv`, and with `out`, F[i, c] = 0 + m Σ_j act[i, j] W[c, j] (j ascending),
 * computed four rows at a time (four independent sums) once their activations are written.
 * The row loops are top-level functions with every array a parameter: V8 compiles those into
 * much tighter loops than closures over captured arrays. For ABReLU, `fused` is the same work for
 * the native engine: bias, φ and the mask in its kernels, then the output sums row by row.
 */
function layerEpilogue(
  act: Activation, z: Mat, bias: { b: Float64Array; s: number } | null,
  deriv: { dphi: Float64Array; positive: Uint8Array } | null,
  out: { w: Mat; m: number; out: Mat } | null,
): { rows: RowEpilogue; fused: { epi: NativeEpilogue; done?: () => void } | null } {
  const h = z.cols, n = z.rows, zd = z.data, fam = act.family;
  const bv = bias ? bias.b : null, bs = bias ? bias.s : 0;
  const k = out ? out.out.cols : 0, wd = out ? out.w.data : null, od = out ? out.out.data : null, om = out ? out.m : 0;
  const dots = (i: number) => {
    if (!wd || !od) return;
    const i0 = i - (i & 3);
    if ((i & 3) === 3) {
      for (let c = 0; c < k; c++) dots4(zd, i0 * h, h, wd, c * h, od, i0 * k + c, k, om);
    } else if (i === n - 1) {
      for (let r = i0; r <= i; r++) for (let c = 0; c < k; c++) od[r * k + c] = 0 + om * dot1(zd, r * h, wd, c * h, h);
    }
  };
  if (fam.kind === 'abrelu') {
    const { a, b } = fam;
    const ba = b - a;
    const pos = deriv && !slopeFromActivation(act) ? deriv.positive : null;
    const rows: RowEpilogue = (i, src, so, scale) => {
      const o = i * h;
      if (bv) addBias(src, so, scale, zd, o, h, bv, bs);
      if (pos) {
        if (bv) abreluMaskRow(zd, o, 1, zd, o, h, a, ba, pos);
        else abreluMaskRow(src, so, scale, zd, o, h, a, ba, pos);
      } else if (bv) abreluRow(zd, o, 1, zd, o, h, a, ba);
      else abreluRow(src, so, scale, zd, o, h, a, ba);
      dots(i);
    };
    // the output sums of all rows at once on the engine's threads (the same sums as dots)
    const done = wd && od ? () => { if (!nativeRowDots(zd, wd, om, od, n, h, k)) for (let i = 0; i < n; i++) dots(i); } : undefined;
    return { rows, fused: { epi: { kind: 'abrelu', a, ba, bias: bv ? { b: bv, s: bs } : null, mask: pos }, done } };
  }
  const dphi = deriv ? deriv.dphi : null;
  const tanh = act.name === 'tanh' && fam.kind !== 'identity';
  const { f, df } = act;
  const rows: RowEpilogue = (i, src, so, scale) => {
    const o = i * h;
    for (let j = 0; j < h; j++) {
      let v = scale * src[so + j];
      if (bv) v += bs * bv[j];
      if (fam.kind === 'identity') {
        zd[o + j] = v;
        if (dphi) dphi[o + j] = 1;
      } else if (tanh) {
        const t = Math.tanh(v);
        zd[o + j] = t;
        if (dphi) dphi[o + j] = 1 - t * t;
      } else {
        if (dphi) dphi[o + j] = df(v);
        zd[o + j] = f(v);
      }
    }
    dots(i);
  };
  return { rows, fused: null };
}

/** z[o + j] = scale·src[so + j] + s·b[j]. */
function addBias(src: Float64Array, so: number, scale: number, zd: Float64Array, o: number, h: number, b: Float64Array, s: number): void {
  for (let j = 0; j < h; j++) zd[o + j] = scale * src[so + j] + s * b[j];
}

/** z[o + j] = φ(scale·src[so + j]) for ABReLU(a, a + ba), branch-free as in activateInPlace. */
function abreluRow(src: Float64Array, so: number, scale: number, zd: Float64Array, o: number, h: number, a: number, ba: number): void {
  for (let j = 0; j < h; j++) {
    const v = scale * src[so + j];
    zd[o + j] = (a + ba * +(v > 0)) * v;
  }
}

/** {@link abreluRow} that also keeps pos[o + j] = [v > 0]. */
function abreluMaskRow(
  src: Float64Array, so: number, scale: number, zd: Float64Array, o: number, h: number, a: number, ba: number, pos: Uint8Array,
): void {
  for (let j = 0; j < h; j++) {
    const v = scale * src[so + j];
    const p = +(v > 0);
    pos[o + j] = p;
    zd[o + j] = (a + ba * p) * v;
  }
}

/** Σ_j A[o + j] W[wo + j], j ascending from 0. */
function dot1(ad: Float64Array, o: number, wd: Float64Array, wo: number, h: number): number {
  let s = 0;
  for (let j = 0; j < h; j++) s += ad[o + j] * wd[wo + j];
  return s;
}

/** out[q + r·k] = 0 + m·Σ_j A[o + r·h + j] W[wo + j] for the four rows r < 4 (each sum j ascending). */
function dots4(ad: Float64Array, o: number, h: number, wd: Float64Array, wo: number, out: Float64Array, q: number, k: number, m: number): void {
  const o1 = o + h, o2 = o1 + h, o3 = o2 + h;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (let j = 0; j < h; j++) {
    const y = wd[wo + j];
    s0 += ad[o + j] * y; s1 += ad[o1 + j] * y; s2 += ad[o2 + j] * y; s3 += ad[o3 + j] * y;
  }
  out[q] = 0 + m * s0; out[q + k] = 0 + m * s1; out[q + 2 * k] = 0 + m * s2; out[q + 3 * k] = 0 + m * s3;
}

/** F(x) (n × k, before α and centring), allocating its own buffers. */
export function forwardRaw(arch: Architecture, params: Params, x: Mat): Mat {
  const ws = createWorkspace(arch, x.rows);
  return forwardCached(arch, params, x, ws, false);
}

/** Z[i, :] += s · b for every row i. */
function addRowVector(z: Mat, b: Float64Array, s: number): void {
  const { rows, cols, data } = z;
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) data[o + j] += s * b[j];
  }
}

/**
 * z ← φ(z) and, when `d` is given, d ← φ'(z_old), in one pass. ABReLU, identity and tanh have
 * fused loops; other activations call their scalar f and df.
 */
export function activateInPlace(act: Activation, z: Float64Array, d: Float64Array | null): void {
  const fam = act.family;
  const n = z.length;
  if (fam.kind === 'abrelu') {
    // branch-free: the slope is a + (b − a)·[v > 0] (random signs defeat branch prediction; ~7× faster)
    const { a, b } = fam;
    const ba = b - a;
    if (d) {
      for (let i = 0; i < n; i++) {
        const v = z[i];
        const s = a + ba * +(v > 0);
        d[i] = s;
        z[i] = s * v;
      }
    } else {
      for (let i = 0; i < n; i++) { const v = z[i]; z[i] = (a + ba * +(v > 0)) * v; }
    }
  } else if (fam.kind === 'identity') {
    if (d) d.fill(1);
  } else if (act.name === 'tanh') {
    for (let i = 0; i < n; i++) {
      const t = Math.tanh(z[i]);
      z[i] = t;
      if (d) d[i] = 1 - t * t;
    }
  } else {
    const { f, df } = act;
    if (d) for (let i = 0; i < n; i++) { const v = z[i]; d[i] = df(v); z[i] = f(v); }
    else for (let i = 0; i < n; i++) z[i] = f(z[i]);
  }
}
