/**
 * The ABReLU kernel recursion of abreluRecursion.ts on the native engine, for the symmetric case
 * (X×X): the same operations on the same entries, but a block of rows at a time and split around
 * the arc cosine. The engine (native/arccos.h) does the first layer, ρ = Λ12/s clipped, and after
 * it E[φφ], E[φ'φ'] and the layer's update of Σ and Θ, then mirrors the block; π − arccos ρ is
 * computed here in between, with Math.acos, so every entry has the bits of the JavaScript loop
 * (the engine's arithmetic is that loop's, one rounding per operation, no fused multiply-adds).
 */
import { piMinusTheta } from '../../core/arccos.js';
import { engine } from '../../core/engine.js';
import { nativeArc } from '../../core/gemmNative.js';

/** Per-layer constants of ABReLU(a, b) and the L + 1 layer scales, as flat arrays for the loop. */
export interface Plan {
  /** ReLU = ABReLU(0, 1): the loop without the ab and (b − a)² terms. */
  readonly relu: boolean;
  readonly ab: number;
  readonly c2: number;
  /** E[φ'(0)φ'(v)] with one variance zero, and with both zero. */
  readonly degenerateOne: number;
  readonly degenerateBoth: number;
  /** E[φ(u)²]/Λ11 = E[φ'(u)²] = (a² + b²)/2. */
  readonly sq: number;
  readonly L: number;
  readonly wv: Float64Array;
  readonly bv: Float64Array;
  readonly wt: Float64Array;
  readonly bt: Float64Array;
}

/** Rows per block: the block of Σ and Θ and the ρ, π − θ buffers stay in the core's cache (~0.5 MiB at n = 2000). */
const ROWS = 8;

/**
 * abreluKernelsSymmetric's loop on the native engine: S, T (n × n) as there, q the per-layer
 * √diagonals, `diag` the output diagonals. False (nothing done) when the native engine is not in
 * use or there is no hidden layer: then run the JavaScript loop.
 */
export function abreluSymmetricNative(
  p: Plan, S: Float64Array, T: Float64Array, n: number, q: Float64Array, diag: { sig: Float64Array; ntk: Float64Array },
): boolean {
  const arc = engine() === 'native' && p.L > 0 ? nativeArc() : null;
  if (!arc) return false;
  const rho = new Float64Array(ROWS * n), pt = new Float64Array(ROWS * n);
  for (let i0 = 0; i0 < n; i0 += ROWS) {
    const i1 = Math.min(n, i0 + ROWS);
    const entries = (i1 - i0) * (n - 1) - (i1 * (i1 - 1) - i0 * (i0 - 1)) / 2;
    for (let l = 1; l <= p.L; l++) {
      const ql = q.subarray((l - 1) * n, l * n);
      arc.arcBefore(S, T, n, i0, i1, ql, l === 1, p.wv[0], p.bv[0], p.wt[0], p.bt[0], rho);
      piMinusThetaAll(rho, pt, entries);
      arc.arcAfter(S, T, n, i0, i1, ql, rho, pt, p.relu, p.ab, p.c2, p.degenerateOne, p.degenerateBoth, p.wv[l], p.bv[l], p.wt[l], p.bt[l]);
    }
    for (let i = i0; i < i1; i++) {
      S[i * n + i] = diag.sig[i];
      T[i * n + i] = diag.ntk[i];
    }
    arc.arcMirror(S, T, n, i0, i1);
  }
  return true;
}

/** pt[e] = π − arccos rho[e], e < len. */
function piMinusThetaAll(rho: Float64Array, pt: Float64Array, len: number): void {
  for (let e = 0; e < len; e++) pt[e] = piMinusTheta(rho[e]);
}
