/**
 * Dual activations (kernel maps) of theory/ntk.md#dual-activations: for a pre-activation pair (u, v) ~ N(0, Λ),
 * Λ = [[Λ11, Λ12], [Λ12, Λ22]], the two expectations the kernel recursion needs,
 *
 *   E[φ(u)φ(v)]   (next NNGP layer)   and   E[φ'(u)φ'(v)]   (the derivative kernel Σ̇),
 *
 * and their diagonal variants (u = v, Λ = Λ11). One implementation per activation family
 * (theory/ntk.md#dual-activations): closed forms for ABReLU and erf, Wick's theorem for
 * polynomials (identity included), the Hermite (Mehler) expansion for other smooth functions, and
 * 2-D Gauss–Hermite quadrature for kinked ones (and as the expansion's fallback).
 */

import { clipRho } from '../../core/arccos.js';

export type DualMethod = 'closed-form' | 'wick' | 'hermite' | 'quadrature';

export interface DualActivation {
  /** Canonical activation name this map belongs to. */
  readonly name: string;
  readonly method: DualMethod;
  /**
   * out[0] = E[φ(u)φ(v)], out[1] = E[φ'(u)φ'(v)] for (u, v) ~ N(0, [[l11, l12], [l12, l22]]).
   * l11, l22 ≥ 0; |l12| ≤ √(l11 l22) up to rounding (ρ is clipped to [−1, 1]). Zero variances are
   * allowed (a degenerate Gaussian: u ≡ 0) and never give NaN.
   */
  pair(l11: number, l12: number, l22: number, out: Float64Array): void;
  /** out[0] = E[φ(u)²], out[1] = E[φ'(u)²] for u ~ N(0, l11). */
  diag(l11: number, out: Float64Array): void;
  /**
   * Caveats about accuracy (quadrature over a kink; an expansion that fell back to quadrature —
   * such maps append here while they are used, so read it after the computation).
   */
  readonly warnings: readonly string[];
  /** Set for ABReLU(a, b): lets the kernel recursion run its one-pass closed-form loop (abreluRecursion.ts). */
  readonly abrelu?: { readonly a: number; readonly b: number };
}

/** ρ = l12/s (s = √(l11 l22) > 0) under the one clipping rule of core/arccos.ts (theory/ntk.md#rho-clipping). */
export function clippedCorrelation(l12: number, s: number): number {
  return clipRho(l12 / s);
}
