/**
 * φ'(Z^l) of a hidden layer as the cached forward pass (forward.ts) left it, for backward.ts: the
 * slope of ABReLU read from the activations or from the mask, or the table of φ'; and the same
 * product by φ' as an epilogue of the native engine (gemmNative.ts).
 */
import type { Mat } from '../../core/matrix.js';
import type { NativeEpilogue } from '../../core/gemm.js';
import { engine } from '../../core/engine.js';
import { nativeNarrowBackward } from '../../core/gemmNative.js';
import type { Architecture } from '../architecture.js';
import { type ForwardWorkspace, slopeFromActivation } from './forward.js';

/**
 * φ'(Z^l) as forward.ts left it: ABReLU's a + (b − a)·[Z > 0] (the same expression, so the same
 * bits) with [Z > 0] read from act (b = 1, a ≥ 0) or from the mask `positive`; else the table dphi.
 */
export type Slope =
  | { kind: 'act'; a: number; ba: number; act: Float64Array }
  | { kind: 'mask'; a: number; ba: number; positive: Uint8Array }
  | { kind: 'table'; dphi: Float64Array };

export function slopeOf(arch: Architecture, ws: ForwardWorkspace, l: number): Slope {
  const fam = arch.activation.family;
  if (fam.kind !== 'abrelu') return { kind: 'table', dphi: ws.dphi[l].data };
  const a = fam.a, ba = fam.b - fam.a;
  return slopeFromActivation(arch.activation)
    ? { kind: 'act', a, ba, act: ws.act[l].data }
    : { kind: 'mask', a, ba, positive: ws.positive[l] };
}

/** The same product by φ' as a fused epilogue of the native engine (the same arithmetic). */
export function nativeSlope(slope: Slope): NativeEpilogue {
  switch (slope.kind) {
    case 'act': return { kind: 'slopeAct', a: slope.a, ba: slope.ba, act: slope.act };
    case 'mask': return { kind: 'slopeMask', a: slope.a, ba: slope.ba, positive: slope.positive };
    case 'table': return { kind: 'slopeTable', dphi: slope.dphi };
  }
}


/** Layers below this many entries (n·h) stay in JavaScript: the call would cost more than the loop. */
const NATIVE_NARROW_MIN = 1 << 12;

/**
 * The pass of backward.ts's narrowLayer (k ≤ 3 outputs, no packed panels) on the native engine:
 * below = (m Δ W) ∘ φ' and, with `grad`, ∂S/∂W = m Δᵀ A, with the same bits. False when it is not
 * taken (another engine, k = 4, a small layer): then run the JavaScript loops.
 */
export function narrowLayerNative(delta: Mat, w: Mat, m: number, slope: Slope, below: Mat, grad: { a: Mat; gw: Mat } | null): boolean {
  const { rows: n, cols: k } = delta, h = w.cols;
  if (k > 3 || n * h < NATIVE_NARROW_MIN || engine() !== 'native') return false;
  return nativeNarrowBackward(delta.data, n, k, w.data, h, m, grad ? { a: grad.a.data, gw: grad.gw.data } : null, slope, below.data);
}
