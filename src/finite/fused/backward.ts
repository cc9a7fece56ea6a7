/**
 * Reverse mode through the cached forward pass (forward.ts), written out by hand.
 *
 * For a scalar S whose gradient with respect to the output, G = ∂S/∂F (n×k), is placed in
 * `ws.delta[L]`, with Δ^l = ∂S/∂Z^l (n × n_l) and layers 0..L:
 *
 *   ∂S/∂W^l = m_l (Δ^l)ᵀ A^{l−1}            (n_l × n_{l−1}, gemm TN)
 *   ∂S/∂b^l = β_l Σ_i Δ^l_{i,:}              (n_l)
 *   Δ^{l−1} = (m_l Δ^l W^l) ∘ φ'(Z^{l−1})    (n × n_{l−1}, gemm NN)
 *
 * which is the chain rule applied to `Z^l = m_l A^{l−1} (W^l)ᵀ + β_l 1 (b^l)ᵀ`, `A = φ(Z)`.
 * No allocation: all buffers are in the workspace and in `grads`.
 */
import { type LeftPanels, gemm, gemmLeftPanels, gemmPackedLeft, gemmRows } from '../../core/gemm.js';
import type { Mat } from '../../core/matrix.js';
import type { Architecture } from '../architecture.js';
import type { ForwardWorkspace } from './forward.js';
import { type Slope, narrowLayerNative, nativeSlope, slopeOf } from './slope.js';
import type { Params } from '../params.js';

/**
 * Backpropagate the seed in `ws.delta[L]` through the pass cached in `ws` (run
 * `forwardCached(…, withDerivative = true)` on the same `params` and `x` first). Fills
 * `ws.delta[l]` for every layer and, when `grads` is given, writes ∂S/∂W^l and ∂S/∂b^l into it;
 * then `ws.delta[0]` may be left unwritten, when it is needed only for ∂S/∂W⁰ (one narrow layer
 * above, no bias at layer 0) and goes straight into that product's packed layout (gemmLeftPanels).
 */
export function backward(
  arch: Architecture,
  params: Params,
  x: Mat,
  ws: ForwardWorkspace,
  grads?: Params,
): void {
  const L = arch.layers.length - 1;
  let panels: LeftPanels | null = null;
  for (let l = L; l >= 0; l--) {
    const lay = arch.layers[l];
    const delta = ws.delta[l];
    const prev = l === 0 ? x : ws.act[l - 1];
    const slope = l === 0 ? null : slopeOf(arch, ws, l - 1);
    if (grads) {
      const gb = grads.b[l];
      if (gb && lay.bias) columnSums(delta, lay.bias.multiplier, gb);
    }
    if (slope && grads && lay.nOut < 4 && lay.multiplier !== 0) {
      // gemm computes this ∂S/∂W^l (k × n_{l−1}, k < 4) with its JavaScript loops: fused below.
      // When Δ^{l−1} = Δ⁰ serves only ∂S/∂W⁰ = m_0 Δ⁰ᵀ X, it goes straight into that product's panels.
      panels = l === 1 && !(grads.b[0] && arch.layers[0].bias) && arch.layers[0].multiplier !== 0
        ? gemmLeftPanels(true, arch.layers[0].nOut, x.cols, x.rows) : null;
      narrowLayer(delta, params.W[l], lay.multiplier, prev, slope, ws.delta[l - 1], grads.W[l], panels);
      continue;
    }
    if (grads && panels) gemmPackedLeft(panels, false, lay.multiplier, prev, 0, grads.W[l]);
    else if (grads) gemm(true, false, lay.multiplier, delta, prev, 0, grads.W[l]);
    if (slope) {
      const below = ws.delta[l - 1];
      if (lay.nOut <= 4) {
        narrowLayer(delta, params.W[l], lay.multiplier, null, slope, below, null, null);
      } else {
        const h = below.cols, d = below.data;
        gemmRows(false, false, lay.multiplier, delta, params.W[l], below, (i, src, so, scale) => {
          const o = i * h;
          switch (slope.kind) {
            case 'act': scaleByActSlope(src, so, scale, d, o, h, slope.a, slope.ba, slope.act); break;
            case 'mask': scaleByMaskSlope(src, so, scale, d, o, h, slope.a, slope.ba, slope.positive); break;
            case 'table': scaleByTable(src, so, scale, d, o, h, slope.dphi); break;
          }
        }, { epi: nativeSlope(slope) });
      }
    }
  }
}

/** d[o + j] = scale·src[so + j]·(a + ba·[act[o + j] > 0]). */
function scaleByActSlope(src: Float64Array, so: number, scale: number, d: Float64Array, o: number, h: number, a: number, ba: number, act: Float64Array): void {
  for (let j = 0; j < h; j++) d[o + j] = scale * src[so + j] * (a + ba * +(act[o + j] > 0));
}

/** d[o + j] = scale·src[so + j]·(a + ba·pos[o + j]). */
function scaleByMaskSlope(src: Float64Array, so: number, scale: number, d: Float64Array, o: number, h: number, a: number, ba: number, pos: Uint8Array): void {
  for (let j = 0; j < h; j++) d[o + j] = scale * src[so + j] * (a + ba * pos[o + j]);
}

/** d[o + j] = scale·src[so + j]·dphi[o + j]. */
function scaleByTable(src: Float64Array, so: number, scale: number, d: Float64Array, o: number, h: number, dphi: Float64Array): void {
  for (let j = 0; j < h; j++) d[o + j] = scale * src[so + j] * dphi[o + j];
}

/**
 * For a layer with few outputs (Δ n×k, k ≤ 4, typically the output layer), one pass over the
 * rows: below = (m Δ W) ∘ φ' and, when `gw` is given (k < 4), ∂S/∂W = m Δᵀ A (k × h, A = `prev`),
 * with gemm's own loop order for that product (gemmRowStream: samples by groups of four, each
 * group's four terms summed left to right and added to the entry, groups whose four Δ entries
 * are all ±0 skipped), so every bit is that of gemm.
 */
function narrowLayer(
  delta: Mat, w: Mat, m: number, prev: Mat | null, slope: Slope, below: Mat, gw: Mat | null, panels: LeftPanels | null,
): void {
  if (!panels && narrowLayerNative(delta, w, m, slope, below, gw && prev ? { a: prev, gw } : null)) return;
  const { rows: n, cols: k } = delta;
  const h = w.cols, dd = delta.data, wd = w.data;
  const out = panels ? panels.data : below.data;
  const belowRow = (i: number) => {
    const o = i * h;
    if (k === 1) {
      const c = m * dd[i];
      if (panels) {
        switch (slope.kind) {
          case 'act': panelTimesActSlope(out, i, n, c, wd, h, slope.a, slope.ba, slope.act, o); break;
          case 'mask': panelTimesMaskSlope(out, i, n, c, wd, h, slope.a, slope.ba, slope.positive, o); break;
          case 'table': panelTimesTable(out, i, n, c, wd, h, slope.dphi, o); break;
        }
        return;
      }
      switch (slope.kind) {
        case 'act': rowTimesActSlope(out, o, c, wd, h, slope.a, slope.ba, slope.act); break;
        case 'mask': rowTimesMaskSlope(out, o, c, wd, h, slope.a, slope.ba, slope.positive); break;
        case 'table': rowTimesTable(out, o, c, wd, h, slope.dphi); break;
      }
    } else {
      for (let j = 0; j < h; j++) {
        let s = 0;
        for (let q = 0; q < k; q++) s += dd[i * k + q] * wd[q * h + j];
        const phi = slope.kind === 'act' ? slope.a + slope.ba * +(slope.act[o + j] > 0)
          : slope.kind === 'mask' ? slope.a + slope.ba * slope.positive[o + j] : slope.dphi[o + j];
        out[panels ? panelIndex(i, j, n) : o + j] = m * s * phi;
      }
    }
  };
  if (!gw || !prev) {
    for (let i = 0; i < n; i++) belowRow(i);
    return;
  }
  const g = gw.data, A = prev.data;
  g.fill(0);
  const n4 = n - (n % 4);
  let p = 0;
  for (; p < n4; p += 4) {
    for (let c = 0; c < k; c++) {
      const a0 = m * dd[p * k + c], a1 = m * dd[(p + 1) * k + c], a2 = m * dd[(p + 2) * k + c], a3 = m * dd[(p + 3) * k + c];
      if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue;
      addFourRows(g, c * h, A, p * h, h, a0, a1, a2, a3);
    }
    if (panels && k === 1) panelRows4(out, p, n, m, dd, wd, h, slope);
    else { belowRow(p); belowRow(p + 1); belowRow(p + 2); belowRow(p + 3); }
  }
  for (; p < n; p++) {
    for (let c = 0; c < k; c++) {
      const a0 = m * dd[p * k + c];
      if (a0 === 0) continue;
      addOneRow(g, c * h, A, p * h, h, a0);
    }
    belowRow(p);
  }
}

/** g[go + j] += a0·A[b + j] + a1·A[b + h + j] + a2·A[b + 2h + j] + a3·A[b + 3h + j] (gemmRowStream's order). */
function addFourRows(g: Float64Array, go: number, A: Float64Array, b0: number, h: number, a0: number, a1: number, a2: number, a3: number): void {
  const b1 = b0 + h, b2 = b1 + h, b3 = b2 + h;
  for (let j = 0; j < h; j++) g[go + j] += a0 * A[b0 + j] + a1 * A[b1 + j] + a2 * A[b2 + j] + a3 * A[b3 + j];
}

function addOneRow(g: Float64Array, go: number, A: Float64Array, b0: number, h: number, a0: number): void {
  for (let j = 0; j < h; j++) g[go + j] += a0 * A[b0 + j];
}

/**
 * Where entry (i, j) of Δ (n × h) goes in the panels of Δᵀ (gemmWasm.ts's packed left factor,
 * 4 columns of Δ per panel): ((j >> 2)·n + i)·4 + (j & 3).
 */
function panelIndex(i: number, j: number, n: number): number {
  return ((j >> 2) * n + i) * 4 + (j & 3);
}

/**
 * Rows i..i+3 (k = 1) into the panels of Δᵀ, where they are 16 contiguous values per panel (whole
 * cache lines, against 4 at a stride of 32n bytes row by row): the values of belowRow.
 */
function panelRows4(out: Float64Array, i: number, n: number, m: number, dd: Float64Array, wd: Float64Array, h: number, slope: Slope): void {
  const c0 = m * dd[i], c1 = m * dd[i + 1], c2 = m * dd[i + 2], c3 = m * dd[i + 3];
  switch (slope.kind) {
    case 'act': panel4ActSlope(out, i, n, c0, c1, c2, c3, wd, h, slope.a, slope.ba, slope.act); break;
    case 'mask': panel4MaskSlope(out, i, n, c0, c1, c2, c3, wd, h, slope.a, slope.ba, slope.positive); break;
    case 'table': panel4Table(out, i, n, c0, c1, c2, c3, wd, h, slope.dphi); break;
  }
}

function panel4ActSlope(
  out: Float64Array, i: number, n: number, c0: number, c1: number, c2: number, c3: number,
  wd: Float64Array, h: number, a: number, ba: number, act: Float64Array,
): void {
  const o0 = i * h, o1 = o0 + h, o2 = o1 + h, o3 = o2 + h;
  for (let j = 0; j < h; j++) {
    const q = j & 3, d = (j - q) * n + 4 * i + q, w = wd[j];
    out[d] = c0 * w * (a + ba * +(act[o0 + j] > 0));
    out[d + 4] = c1 * w * (a + ba * +(act[o1 + j] > 0));
    out[d + 8] = c2 * w * (a + ba * +(act[o2 + j] > 0));
    out[d + 12] = c3 * w * (a + ba * +(act[o3 + j] > 0));
  }
}

function panel4MaskSlope(
  out: Float64Array, i: number, n: number, c0: number, c1: number, c2: number, c3: number,
  wd: Float64Array, h: number, a: number, ba: number, pos: Uint8Array,
): void {
  const o0 = i * h, o1 = o0 + h, o2 = o1 + h, o3 = o2 + h;
  for (let j = 0; j < h; j++) {
    const q = j & 3, d = (j - q) * n + 4 * i + q, w = wd[j];
    out[d] = c0 * w * (a + ba * pos[o0 + j]);
    out[d + 4] = c1 * w * (a + ba * pos[o1 + j]);
    out[d + 8] = c2 * w * (a + ba * pos[o2 + j]);
    out[d + 12] = c3 * w * (a + ba * pos[o3 + j]);
  }
}

function panel4Table(
  out: Float64Array, i: number, n: number, c0: number, c1: number, c2: number, c3: number,
  wd: Float64Array, h: number, dphi: Float64Array,
): void {
  const o0 = i * h, o1 = o0 + h, o2 = o1 + h, o3 = o2 + h;
  for (let j = 0; j < h; j++) {
    const q = j & 3, d = (j - q) * n + 4 * i + q, w = wd[j];
    out[d] = c0 * w * dphi[o0 + j];
    out[d + 4] = c1 * w * dphi[o1 + j];
    out[d + 8] = c2 * w * dphi[o2 + j];
    out[d + 12] = c3 * w * dphi[o3 + j];
  }
}

/** {@link rowTimesActSlope} for row i, written to the panels of Δᵀ (act row at o). */
function panelTimesActSlope(out: Float64Array, i: number, n: number, c: number, wd: Float64Array, h: number, a: number, ba: number, act: Float64Array, o: number): void {
  const step = 4 * n, h4 = h & ~3;
  let d = 4 * i, j = 0;
  for (; j < h4; j += 4, d += step) {
    out[d] = c * wd[j] * (a + ba * +(act[o + j] > 0));
    out[d + 1] = c * wd[j + 1] * (a + ba * +(act[o + j + 1] > 0));
    out[d + 2] = c * wd[j + 2] * (a + ba * +(act[o + j + 2] > 0));
    out[d + 3] = c * wd[j + 3] * (a + ba * +(act[o + j + 3] > 0));
  }
  for (let q = 0; j < h; j++, q++) out[d + q] = c * wd[j] * (a + ba * +(act[o + j] > 0));
}

function panelTimesMaskSlope(out: Float64Array, i: number, n: number, c: number, wd: Float64Array, h: number, a: number, ba: number, pos: Uint8Array, o: number): void {
  const step = 4 * n, h4 = h & ~3;
  let d = 4 * i, j = 0;
  for (; j < h4; j += 4, d += step) {
    out[d] = c * wd[j] * (a + ba * pos[o + j]);
    out[d + 1] = c * wd[j + 1] * (a + ba * pos[o + j + 1]);
    out[d + 2] = c * wd[j + 2] * (a + ba * pos[o + j + 2]);
    out[d + 3] = c * wd[j + 3] * (a + ba * pos[o + j + 3]);
  }
  for (let q = 0; j < h; j++, q++) out[d + q] = c * wd[j] * (a + ba * pos[o + j]);
}

function panelTimesTable(out: Float64Array, i: number, n: number, c: number, wd: Float64Array, h: number, dphi: Float64Array, o: number): void {
  const step = 4 * n, h4 = h & ~3;
  let d = 4 * i, j = 0;
  for (; j < h4; j += 4, d += step) {
    out[d] = c * wd[j] * dphi[o + j];
    out[d + 1] = c * wd[j + 1] * dphi[o + j + 1];
    out[d + 2] = c * wd[j + 2] * dphi[o + j + 2];
    out[d + 3] = c * wd[j + 3] * dphi[o + j + 3];
  }
  for (let q = 0; j < h; j++, q++) out[d + q] = c * wd[j] * dphi[o + j];
}

/** out[o + j] = c·w[j]·(a + ba·[act[o + j] > 0]). */
function rowTimesActSlope(out: Float64Array, o: number, c: number, wd: Float64Array, h: number, a: number, ba: number, act: Float64Array): void {
  for (let j = 0; j < h; j++) out[o + j] = c * wd[j] * (a + ba * +(act[o + j] > 0));
}

function rowTimesMaskSlope(out: Float64Array, o: number, c: number, wd: Float64Array, h: number, a: number, ba: number, pos: Uint8Array): void {
  for (let j = 0; j < h; j++) out[o + j] = c * wd[j] * (a + ba * pos[o + j]);
}

function rowTimesTable(out: Float64Array, o: number, c: number, wd: Float64Array, h: number, dphi: Float64Array): void {
  for (let j = 0; j < h; j++) out[o + j] = c * wd[j] * dphi[o + j];
}

/** out[j] = s Σ_i M[i, j]. */
function columnSums(m: Mat, s: number, out: Float64Array): void {
  out.fill(0);
  const { rows, cols, data } = m;
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) out[j] += data[o + j];
  }
  if (s !== 1) for (let j = 0; j < cols; j++) out[j] *= s;
}
