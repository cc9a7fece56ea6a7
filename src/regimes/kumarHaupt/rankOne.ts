/**
 * Rank-one structure of the layers of a weight vector (Kumar & Haupt 2024, arXiv 2403.08121,
 * §4: rank-one KKT points of the NCF for (leaky) ReLU networks; theory/kumar-haupt.md [open]: the paper's
 * exact conditions are not checked here — theory/kumar-haupt.md#rank-one says what is).
 *
 * For each weight matrix W^l (n_l × n_{l−1}) the ratio s_2/s_1 of its two largest singular
 * values, from the eigenvalues of the smaller Gram matrix (WᵀW or WWᵀ) by src/core/eigh.ts:
 * 0 for an exactly rank-one layer. Layers with a single row or column are rank one by shape and
 * give 0. Subnormal weights (dead units of a KKT point decay to ~1e-322) are fine: eigh scales
 * Householder vectors of subnormal norm (src/core/householderTridiagonal.ts).
 */
import { gemm } from '../../core/gemm.js';
import { eighValues } from '../../core/eigh.js';
import { mat } from '../../core/matrix.js';
import type { Architecture } from '../../finite/architecture.js';
import { viewParams } from '../../finite/params.js';

/** s_2/s_1 of every layer of the flat weight vector `w` (one number per layer). */
export function layerRankRatios(arch: Architecture, w: Float64Array): number[] {
  const p = viewParams(arch, w);
  return p.W.map((W) => {
    const small = Math.min(W.rows, W.cols);
    if (small < 2) return 0;
    const G = mat(small, small);
    // G = WᵀW (cols ≤ rows) or WWᵀ
    if (W.cols <= W.rows) gemm(true, false, 1, W, W, 0, G);
    else gemm(false, true, 1, W, W, 0, G);
    const ev = eighValues(G);
    const l1 = Math.max(ev[small - 1], 0);
    const l2 = Math.max(ev[small - 2], 0);
    return l1 > 0 ? Math.sqrt(l2 / l1) : NaN;
  });
}

