/**
 * Analytic infinite-width kernels: the NNGP Σ^{L+1} and the NTK Θ^{L+1} (theory/ntk.md#recursion).
 *
 *   Σ¹ = σ_w² x·x'/d + σ_b²,  Θ¹ = Σ¹;   for l = 1..L, with Λ = Σ^l on {x, x'}:
 *   Σ^{l+1} = σ_w² E[φ(u)φ(v)] + σ_b²,   Σ̇^{l+1} = σ_w² E[φ'(u)φ'(v)],   Θ^{l+1} = Σ^{l+1} + Θ^l Σ̇^{l+1}
 *
 * (Jacot, Gabriel, Hongler 2018, arXiv 1806.07572, Thm 1; Arora et al. 2019, arXiv 1904.11955,
 * Eq. (4)–(5); Lee et al. 2019, arXiv 1902.06720, App. C), generalised to per-layer scales and
 * rates in kernelOptions.ts (theory/ntk.md#recursion). The output kernel of a k-output network is
 * Θ ⊗ I_k; the matrices here are the n × n2 scalar factor.
 *
 * Cost: one Gram X X2ᵀ (the blocked syrk of src/core/syrk.ts for X×X, about half a gemm), then
 * for ABReLU one pass over the upper triangle (X×X, mirrored as it goes) or the full n × n2 block
 * running all layers per entry, with one arccos and one square root per entry and layer
 * (abreluRecursion.ts); for other activations one pass per layer with the dual maps. Diagonal
 * entries use the diagonal maps (exact at ρ = 1).
 */
import { type Mat, mat } from '../../core/matrix.js';
import { InputError, firstNonFinite } from '../../core/errors.js';
import { largeFloat64Array } from '../../core/gemmNative.js';
import { dualActivation } from './dual.js';
import type { DualActivation } from './dualTypes.js';
import { mirrorTriangle } from '../../core/syrk.js';
import { gramCross, gramUpper, rowSquaredNorms } from './gram.js';
import { type KernelLayer, type KernelOptions, resolveLayers } from './kernelOptions.js';
import { abreluKernelsCross, abreluKernelsSymmetric } from './abreluRecursion.js';

export { type KernelLayer, type KernelOptions, kernelOptionsFromArchitecture, resolveLayers } from './kernelOptions.js';

export interface AnalyticKernels {
  /** NNGP Σ^{L+1}(x_i, x2_j), n × n2. */
  nngp: Mat;
  /** NTK Θ^{L+1}(x_i, x2_j), n × n2 (rate-weighted, theory/conventions.md#notation). */
  ntk: Mat;
  warnings: string[];
}

/** Per-side state of the recursion: the diagonal Σ^l(x_i, x_i). */
interface Side {
  sig: Float64Array;
}

/**
 * Σ^{L+1} and Θ^{L+1} on x × x2 (x: n × d, x2: n2 × d; default x2 = x, then both are symmetric).
 * Throws {@link InputError} for non-finite inputs or mismatched dimensions.
 */
export function analyticKernels(opts: KernelOptions, x: Mat, x2?: Mat): AnalyticKernels {
  const sym = x2 === undefined || x2 === x;
  const d = x.cols;
  if (!sym && x2.cols !== d) throw new InputError('x2', `inputs have dimension ${x2.cols}, expected ${d}`);
  checkFinite('x', x);
  if (!sym) checkFinite('x2', x2);
  const layers = resolveLayers(opts, d);
  const dual = dualActivation(opts.activation, { quadratureNodes: opts.quadratureNodes });
  const c = d > 0 ? 1 / d : 0;

  const S = sym ? gramUpper(x, c) : gramCross(x, x2, c);
  const side1: Side = { sig: rowSquaredNorms(x, c) };
  const side2: Side = sym ? side1 : { sig: rowSquaredNorms(x2, c) };
  const T = mat(S.rows, S.cols, largeFloat64Array(S.rows * S.cols));
  const fam = dual.abrelu;
  if (fam && sym) abreluKernelsSymmetric(fam.a, fam.b, layers, S.data, T.data, S.rows, side1.sig);
  else if (fam) abreluKernelsCross(fam.a, fam.b, layers, S.data, T.data, S.rows, S.cols, side1.sig, side2.sig);
  else {
    firstLayer(layers[0], S, T, side1, side2, sym);
    for (let l = 1; l < layers.length; l++) genericLayer(dual, layers[l], S, T, side1, side2, sym);
    if (sym) {
      mirrorTriangle(S, true);
      mirrorTriangle(T, true);
    }
  }
  // read after the recursion: maps that fall back to quadrature append their warning while used
  const warnings = [...(opts.notes ?? []), ...dual.warnings];
  return { nngp: S, ntk: T, warnings };
}

function checkFinite(name: string, m: Mat): void {
  const i = firstNonFinite(m.data);
  if (i >= 0) {
    throw new InputError(name, `input entry (${Math.floor(i / m.cols)}, ${i % m.cols}) is not finite`);
  }
}

/** Σ¹ = weightVar·K⁰ + biasVar, Θ¹ = weightTangent·K⁰ + biasTangent (S holds K⁰ on entry). */
function firstLayer(lay: KernelLayer, S: Mat, T: Mat, s1: Side, s2: Side, sym: boolean): void {
  const { weightVar: wv, biasVar: bv, weightTangent: wt, biasTangent: bt } = lay;
  const Sd = S.data, Td = T.data, n = S.rows, m = S.cols;
  for (let i = 0; i < n; i++) {
    for (let j = sym ? i : 0; j < m; j++) {
      const k0 = Sd[i * m + j];
      Sd[i * m + j] = wv * k0 + bv;
      Td[i * m + j] = wt * k0 + bt;
    }
  }
  for (const s of sym ? [s1] : [s1, s2]) for (let i = 0; i < s.sig.length; i++) s.sig[i] = wv * s.sig[i] + bv;
}

/**
 * One hidden layer l → l+1 for any dual activation, in place over the upper triangle (sym) or the
 * whole block: Σ ← wv E[φφ] + bv, Θ ← wt E[φφ] + bt + Θ · wv E[φ'φ'], and the diagonals by the
 * diagonal maps.
 */
function genericLayer(dual: DualActivation, lay: KernelLayer, S: Mat, T: Mat, s1: Side, s2: Side, sym: boolean): void {
  const { weightVar: wv, biasVar: bv, weightTangent: wt, biasTangent: bt } = lay;
  const Sd = S.data, Td = T.data, n = S.rows, m = S.cols;
  const e = new Float64Array(2);
  const d1 = s1.sig, d2 = s2.sig;
  for (let i = 0; i < n; i++) {
    const l11 = d1[i];
    for (let j = sym ? i : 0; j < m; j++) {
      const o = i * m + j;
      if (sym && j === i) dual.diag(l11, e);
      else dual.pair(l11, Sd[o], d2[j], e);
      Sd[o] = wv * e[0] + bv;
      Td[o] = wt * e[0] + bt + Td[o] * wv * e[1];
    }
  }
  // Diagonals: Σ^{l+1}(x, x) from the diagonal map (after the block: the loop above read the old ones).
  for (const s of sym ? [s1] : [s1, s2]) {
    for (let i = 0; i < s.sig.length; i++) {
      dual.diag(s.sig[i], e);
      s.sig[i] = wv * e[0] + bv;
    }
  }
}
