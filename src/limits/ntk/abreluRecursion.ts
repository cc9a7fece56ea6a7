/**
 * The whole ABReLU kernel recursion (first layer and L hidden layers, theory/ntk.md#dual-activations) in ONE pass over
 * the input Gram matrix K⁰: the hot loop of kernels.ts.
 *
 * The recursion is entrywise once the diagonals Σ^l(x_i, x_i) of every layer are known, and those
 * follow from the diagonal map alone (ρ = 1). So the diagonals of all layers are computed first
 * (O(nL)), then each row runs all layers over its segment while it is in cache (K⁰ read once from
 * memory, Σ and Θ written once, the mirror image written as the row is finished) instead of one
 * sweep of both matrices per layer plus a mirroring sweep. Per entry and hidden layer:
 *
 *   s = √Λ11 √Λ22 (square roots precomputed per row and layer),  ρ = Λ12/s clipped and snapped
 *   (dualTypes.ts),  π − θ = π − arccos ρ (one Math.acos),  sin θ = √(1 − ρ²) (one Math.sqrt),
 *   E[φφ] = ab ρ s + (b − a)² s (sin θ + (π − θ) ρ)/(2π),   E[φ'φ'] = ab + (b − a)² (π − θ)/(2π),
 *   Σ ← wv E[φφ] + bv,   Θ ← wt E[φφ] + bt + Θ · wv E[φ'φ'],
 *
 * (Cho & Saul 2009, arc-cosine kernels; Jacot et al. 2018, arXiv 1806.07572, Thm 1; the ABReLU
 * expansion of dualAbrelu.ts, theory/ntk.md#abrelu), with the degenerate-variance conventions of
 * {@link abreluDual}. The operations and their order are those of the layer-by-layer loop this
 * replaces, so given the same K⁰ the results are bitwise the same; they agree with the generic
 * pair maps to rounding (s is √Λ11·√Λ22 instead of √(Λ11Λ22)). On the native engine the
 * symmetric case runs the same arithmetic in blocks of rows there (abreluNative.ts): the same bits.
 */
import { INV_2PI, clipRho, piMinusTheta, sinTheta } from '../../core/arccos.js';
import type { KernelLayer } from './kernelOptions.js';
import { type Plan, abreluSymmetricNative } from './abreluNative.js';


function plan(a: number, b: number, layers: readonly KernelLayer[]): Plan {
  const L = layers.length - 1;
  const f = (key: keyof KernelLayer) => Float64Array.from(layers, (lay) => lay[key]);
  return {
    relu: a === 0 && b === 1, ab: a * b, c2: (b - a) * (b - a), degenerateOne: a * ((a + b) / 2), degenerateBoth: a * a,
    sq: (a * a + b * b) / 2, L,
    wv: f('weightVar'), bv: f('biasVar'), wt: f('weightTangent'), bt: f('biasTangent'),
  };
}

/**
 * Diagonals of every layer from K⁰_ii = k0[i]: q[(l − 1)·n + i] = √Σ^l_ii (0 when Σ^l_ii ≤ 0) for
 * the hidden layers l = 1..L, and, when asked, the output diagonals Σ^{L+1}_ii and Θ^{L+1}_ii.
 */
function diagonals(p: Plan, k0: Float64Array, out?: { sig: Float64Array; ntk: Float64Array }): Float64Array {
  const { L, wv, bv, wt, bt, sq, degenerateBoth } = p;
  const n = k0.length;
  const q = new Float64Array(n * L);
  for (let i = 0; i < n; i++) {
    let sv = wv[0] * k0[i] + bv[0];
    let tv = wt[0] * k0[i] + bt[0];
    for (let l = 1; l <= L; l++) {
      q[(l - 1) * n + i] = sv > 0 ? Math.sqrt(sv) : 0;
      const d0 = sv > 0 ? sq * sv : 0;
      const d1 = sv > 0 ? sq : degenerateBoth;
      sv = wv[l] * d0 + bv[l];
      tv = wt[l] * d0 + bt[l] + tv * wv[l] * d1;
    }
    if (out) {
      out.sig[i] = sv;
      out.ntk[i] = tv;
    }
  }
  return q;
}

/**
 * Σ^{L+1} and Θ^{L+1} of ABReLU(a, b) on X×X from K⁰ = c X Xᵀ, in place: on entry S (n×n) holds K⁰
 * above the diagonal and `k0diag` its diagonal; on exit S = Σ^{L+1} and T = Θ^{L+1}, both full and
 * exactly symmetric (the upper triangle is computed, the lower mirrored row by row).
 */
export function abreluKernelsSymmetric(
  a: number, b: number, layers: readonly KernelLayer[],
  S: Float64Array, T: Float64Array, n: number, k0diag: Float64Array,
): void {
  const p = plan(a, b, layers);
  const diag = { sig: new Float64Array(n), ntk: new Float64Array(n) };
  const q = diagonals(p, k0diag, diag);
  if (abreluSymmetricNative(p, S, T, n, q, diag)) return;
  for (let i = 0; i < n; i++) {
    const o = i * n;
    rowSegment(p, S, T, o + i + 1, o + n, q, i, n, q, i + 1, n);
    S[o + i] = diag.sig[i];
    T[o + i] = diag.ntk[i];
    for (let j = i + 1; j < n; j++) {
      S[j * n + i] = S[o + j];
      T[j * n + i] = T[o + j];
    }
  }
}

/**
 * Σ^{L+1} and Θ^{L+1} of ABReLU(a, b) between two input sets, in place: on entry S (n×m) holds
 * K⁰ = c X X2ᵀ, and k0a, k0b the diagonals c‖x_i‖², c‖x2_j‖²; on exit S = Σ^{L+1}, T = Θ^{L+1}.
 */
export function abreluKernelsCross(
  a: number, b: number, layers: readonly KernelLayer[],
  S: Float64Array, T: Float64Array, n: number, m: number, k0a: Float64Array, k0b: Float64Array,
): void {
  const p = plan(a, b, layers);
  const q1 = diagonals(p, k0a);
  const q2 = diagonals(p, k0b);
  for (let i = 0; i < n; i++) rowSegment(p, S, T, i * m, (i + 1) * m, q1, i, n, q2, 0, m);
}

/**
 * All layers for the entries S[o0..o1) of row i (columns j0, j0 + 1, … of the second input set;
 * K⁰ in S on entry), one layer at a time over the segment: the segment stays in cache between
 * layers and the inner loop is the same for every layer. q1/q2: per-layer √diagonals (n1 and n2
 * entries per layer).
 */
function rowSegment(
  p: Plan, S: Float64Array, T: Float64Array, o0: number, o1: number,
  q1: Float64Array, i: number, n1: number, q2: Float64Array, j0: number, n2: number,
): void {
  const w0 = p.wv[0], b0 = p.bv[0], u0 = p.wt[0], c0 = p.bt[0];
  for (let o = o0; o < o1; o++) {
    const k0 = S[o];
    S[o] = w0 * k0 + b0;
    T[o] = u0 * k0 + c0;
  }
  for (let l = 1; l <= p.L; l++) {
    const qi = q1[(l - 1) * n1 + i];
    const d = (l - 1) * n2 + j0 - o0; // q2[o + d] = √Σ^l_jj of the entry at o
    if (p.relu) reluLayer(p, l, S, T, o0, o1, qi, q2, d);
    else abreluLayer(p, l, S, T, o0, o1, qi, q2, d);
  }
}

/** Hidden layer l over S[o0..o1), T[o0..o1) for ABReLU(a, b) (formulas in the file comment). */
function abreluLayer(
  p: Plan, l: number, S: Float64Array, T: Float64Array, o0: number, o1: number,
  qi: number, q2: Float64Array, d: number,
): void {
  const { ab, c2, degenerateOne, degenerateBoth } = p;
  const w = p.wv[l], bb = p.bv[l], u = p.wt[l], c = p.bt[l];
  for (let o = o0; o < o1; o++) {
    const qj = q2[o + d];
    const s = qi * qj;
    let e0: number, e1: number;
    if (s > 0) {
      const rho = clipRho(S[o] / s);
      const pt = piMinusTheta(rho);
      e0 = ab * rho * s + c2 * (s * (sinTheta(rho) + pt * rho) * INV_2PI);
      e1 = ab + c2 * (pt * INV_2PI);
    } else {
      e0 = 0;
      e1 = qi > 0 || qj > 0 ? degenerateOne : degenerateBoth;
    }
    S[o] = w * e0 + bb;
    T[o] = u * e0 + c + T[o] * w * e1;
  }
}

/**
 * {@link abreluLayer} for ReLU = ABReLU(0, 1), where ab = 0 and (b − a)² = 1 make the dropped
 * terms exact no-ops (0 + x = x, 1·x = x; a signed zero at most, which the next affine map
 * removes): bitwise the same values, four fewer operations per entry.
 */
function reluLayer(
  p: Plan, l: number, S: Float64Array, T: Float64Array, o0: number, o1: number,
  qi: number, q2: Float64Array, d: number,
): void {
  const w = p.wv[l], bb = p.bv[l], u = p.wt[l], c = p.bt[l];
  for (let o = o0; o < o1; o++) {
    const s = qi * q2[o + d];
    let e0 = 0, e1 = 0; // relu'(0) = 0: E[φ'φ'] = 0 when a variance is 0
    if (s > 0) {
      const rho = clipRho(S[o] / s);
      const pt = piMinusTheta(rho);
      e0 = s * (sinTheta(rho) + pt * rho) * INV_2PI;
      e1 = pt * INV_2PI;
    }
    S[o] = w * e0 + bb;
    T[o] = u * e0 + c + T[o] * w * e1;
  }
}
