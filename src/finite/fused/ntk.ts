/**
 * Empirical (finite-width) tangent kernel of the raw output F, rate-weighted (theory/conventions.md#tangent-kernel;
 * Jacot, Gabriel, Hongler 2018, arXiv 1806.07572, Eq. (5)):
 *
 *   Θ_ab(x, x') = Σ_p r_p ∂_p F_a(x) ∂_p F_b(x').
 *
 * The n×P Jacobian is never formed. Per layer l (0-based), with A^{l−1} the layer's input and
 * Δ^l_a = ∂F_a/∂Z^l (n × n_l, from backward.ts with seed e_a):
 *
 *   Θ_ab += r_l m_l² (A^{l−1} A'^{l−1}ᵀ) ∘ (Δ^l_a Δ'^l_bᵀ) + rb_l β_l² (Δ^l_a Δ'^l_bᵀ),
 *
 * since ∂F_a(x_i)/∂W^l_{qp} = m_l Δ^l_{a,iq} A^{l−1}_{ip} and ∂F_a(x_i)/∂b^l_q = β_l Δ^l_{a,iq}
 * (theory/finite.md#empirical-ntk). No α: with f = α(F − F0) and Loss/α², the training outputs
 * move as df/dt = −(η/n) Θ ∇_f ℓ (theory/finite.md#lazy-scaling). The rates are the layers'
 * steady rates (ip-llr's first-step rates are not used).
 */
import { gemm } from '../../core/gemm.js';
import { type Mat, mat, assertShape } from '../../core/matrix.js';
import type { Architecture } from '../architecture.js';
import { backward } from './backward.js';
import { type ForwardWorkspace, createWorkspace, forwardCached } from './forward.js';
import type { Params } from '../params.js';

/** Δ^l_a for every output a and layer l, and the layer inputs A^{l−1}, on inputs x. */
interface Sensitivities {
  /** inputs[l] = A^{l−1}, n × n_{l−1} (inputs[0] = x). */
  inputs: Mat[];
  /** deltas[a][l] = ∂F_a/∂Z^l, n × n_l. */
  deltas: Mat[][];
}

/**
 * Buffers reused from call to call for one architecture (the trainer records the kernel at every
 * record step: allocating them each time cost more than the arithmetic of the narrow layers).
 * Two workspaces, for the two input sets of Θ(x, x2); the Gram buffers by shape.
 */
interface Scratch {
  ws: (ForwardWorkspace | null)[];
  ga: Mat | null;
  gd: Mat | null;
}

const scratchOf = new WeakMap<Architecture, Scratch>();

function scratch(arch: Architecture): Scratch {
  let s = scratchOf.get(arch);
  if (!s) {
    s = { ws: [null, null], ga: null, gd: null };
    scratchOf.set(arch, s);
  }
  return s;
}

/** The cached workspace `slot` (0 or 1) of `arch` for n samples. */
function workspaceFor(arch: Architecture, n: number, slot: 0 | 1): ForwardWorkspace {
  const s = scratch(arch);
  let ws = s.ws[slot];
  if (!ws || ws.n !== n) s.ws[slot] = ws = createWorkspace(arch, n);
  return ws;
}

/** Cached n × n2 Gram buffers of `arch`. */
function gramBuffers(arch: Architecture, n: number, n2: number): { ga: Mat; gd: Mat } {
  const s = scratch(arch);
  if (!s.ga || !s.gd || s.ga.rows !== n || s.ga.cols !== n2) {
    s.ga = mat(n, n2);
    s.gd = mat(n, n2);
  }
  return { ga: s.ga, gd: s.gd };
}

/**
 * Sensitivities on x, in the cached workspace `slot`. For k = 1 the deltas are the workspace's
 * own buffers (valid until the next call on the same slot); for k > 1 each output's are copied.
 */
function sensitivities(
  arch: Architecture, params: Params, x: Mat, slot: 0 | 1, forward?: ForwardWorkspace,
): Sensitivities {
  assertShape('empiricalNtk(x)', x, x.rows, arch.inputDim);
  const n = x.rows;
  const L = arch.layers.length - 1;
  const k = arch.outputDim;
  if (forward && forward.n !== n) {
    throw new RangeError(`empiricalNtk: the forward workspace has ${forward.n} rows, x has ${n}`);
  }
  const ws = forward ?? workspaceFor(arch, n, slot);
  if (!forward) forwardCached(arch, params, x, ws, true);
  const deltas: Mat[][] = [];
  for (let a = 0; a < k; a++) {
    const seed = ws.delta[L];
    seed.data.fill(0);
    for (let i = 0; i < n; i++) seed.data[i * k + a] = 1;
    backward(arch, params, x, ws);
    deltas.push(k === 1 ? ws.delta.slice() : ws.delta.map((d) => mat(d.rows, d.cols, d.data.slice())));
  }
  return { inputs: [x, ...ws.act], deltas };
}

/**
 * Θ(x, x2) of F (no α factor), rate-weighted. `x` is n×d, `x2` n2×d (default x). Shape n×n2 for
 * k = 1; for k > 1, (n·k)×(n2·k) with row index i·k + a and column index j·k + b. A new matrix
 * each call (the work buffers are reused per architecture).
 *
 * `forward`, when given, is a workspace of n rows already holding `forwardCached(arch, params, x,
 * forward, withDerivative)` with what backward reads (withDerivative = true, or any when
 * {@link slopeFromActivation}); its forward pass on x is then not repeated (the trainer passes
 * its own at the record steps) and its delta buffers are overwritten. The kernel is the same bits.
 */
export function empiricalNtk(arch: Architecture, params: Params, x: Mat, x2?: Mat, forward?: ForwardWorkspace): Mat {
  const s1 = sensitivities(arch, params, x, 0, forward);
  const s2 = x2 === undefined || x2 === x ? s1 : sensitivities(arch, params, x2, 1);
  const n = x.rows, n2 = x2 ? x2.rows : n, k = arch.outputDim;
  const theta = mat(n * k, n2 * k);
  const { ga, gd } = gramBuffers(arch, n, n2);
  arch.layers.forEach((lay, l) => {
    // G_A = r_l m_l² A A'ᵀ + rb_l β_l² (the bias enters as a constant input β_l with rate rb_l)
    gemm(false, true, lay.rate * lay.multiplier * lay.multiplier, s1.inputs[l], s2.inputs[l], 0, ga);
    if (lay.bias) {
      const c = lay.bias.rate * lay.bias.multiplier * lay.bias.multiplier;
      for (let i = 0; i < ga.data.length; i++) ga.data[i] += c;
    }
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++) {
        gemm(false, true, 1, s1.deltas[a][l], s2.deltas[b][l], 0, gd);
        accumulate(theta, ga, gd, k, a, b);
      }
    }
  });
  return theta;
}

/** Θ[i·k + a, j·k + b] += G_A[i, j] · G_Δ[i, j]. */
function accumulate(theta: Mat, ga: Mat, gd: Mat, k: number, a: number, b: number): void {
  const { rows: n, cols: n2 } = ga;
  const t = theta.data, A = ga.data, D = gd.data, tc = theta.cols;
  for (let i = 0; i < n; i++) {
    const row = (i * k + a) * tc + b;
    for (let j = 0; j < n2; j++) t[row + j * k] += A[i * n2 + j] * D[i * n2 + j];
  }
}
