/**
 * Forward pass of the finite network (math.md §1), samples as rows:
 *
 *   Z^l = m_l · A^{l−1} (W^l)ᵀ + β_l · 1 (b^l)ᵀ,   A^{−1} = X (n×d),   A^l = φ(Z^l) for l < L,
 *   F = Z^L (n×k),
 *
 * with layers indexed 0..L (0-based; math.md's layer l+1). The product is `gemm(false, true, …)`
 * on contiguous rows. The cached variant keeps A^l and φ'(Z^l) in a preallocated
 * {@link ForwardWorkspace} that backprop reads and that is reused from step to step; the
 * activation and its derivative are computed in one fused loop, in place over Z^l.
 */
import { gemm } from '../core/gemm.js';
import { type Mat, mat, assertShape } from '../core/matrix.js';
import type { Activation } from './activation.js';
import type { Architecture } from './architecture.js';
import type { Params } from './params.js';

/** Buffers of one forward/backward pass on n samples. */
export interface ForwardWorkspace {
  readonly n: number;
  /** act[l] = φ(Z^l), n × n_l, hidden layers l = 0..L−1. */
  readonly act: Mat[];
  /** dphi[l] = φ'(Z^l), n × n_l, hidden layers l = 0..L−1 (filled when derivatives are asked). */
  readonly dphi: Mat[];
  /** F = Z^L, n × k. */
  readonly out: Mat;
  /** delta[l] = ∂S/∂Z^l, n × n_l, l = 0..L, for the seed S put in delta[L] (see backward.ts). */
  readonly delta: Mat[];
}

/** Allocate a workspace for n samples. */
export function createWorkspace(arch: Architecture, n: number): ForwardWorkspace {
  const L = arch.layers.length - 1;
  const act: Mat[] = [];
  const dphi: Mat[] = [];
  const delta: Mat[] = [];
  for (let l = 0; l <= L; l++) {
    const w = arch.layers[l].nOut;
    if (l < L) {
      act.push(mat(n, w));
      dphi.push(mat(n, w));
    }
    delta.push(mat(n, w));
  }
  return { n, act, dphi, out: mat(n, arch.layers[L].nOut), delta };
}

/** The same buffers restricted to their first m ≤ n rows (views, no copy). */
export function workspaceRows(ws: ForwardWorkspace, m: number): ForwardWorkspace {
  if (m > ws.n) throw new RangeError(`workspaceRows: ${m} rows requested from a workspace of ${ws.n}`);
  const cut = (a: Mat) => mat(m, a.cols, a.data.subarray(0, m * a.cols));
  return { n: m, act: ws.act.map(cut), dphi: ws.dphi.map(cut), out: cut(ws.out), delta: ws.delta.map(cut) };
}

/**
 * Cached forward pass: fills `ws` (act, dphi when `withDerivative`, out) and returns `ws.out`
 * (F(x), n × k, before α and centring). `x` is n × d with n = ws.n.
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
  for (let l = 0; l <= L; l++) {
    const lay = arch.layers[l];
    const z = l === L ? ws.out : ws.act[l];
    gemm(false, true, lay.multiplier, a, params.W[l], 0, z);
    const b = params.b[l];
    if (b && lay.bias) addRowVector(z, b, lay.bias.multiplier);
    if (l < L) activateInPlace(arch.activation, z.data, withDerivative ? ws.dphi[l].data : null);
    a = z;
  }
  return ws.out;
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
