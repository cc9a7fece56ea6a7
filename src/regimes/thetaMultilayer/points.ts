/**
 * Points of the multi-layer θ diagram (theory/theta.md#multilayer): a depth L (hidden layers), a
 * point (γ, γ') of the two-layer plane and the hidden-to-hidden exponent ph (β_h = m^{−ph}). With the
 * input layer at β_2 = m^{−p2}, the readout at β_1 = m^{−p1} and the output divided by α = m^q,
 *
 *   κ = m^{(L+1)/2} β_1 β_2 β_h^{L−1} / α = m^{1−γ},   γ = p1 + p2 + q + (L − 1)(ph − ½),   γ' = p1 − p2,
 *
 * so the θ-lazy condition log κ/log m > 0 is γ < 1 at every depth and every ph (Li, Luo, Zhou 2024,
 * arXiv 2404.04859: lazy whatever the initialization scheme). ph = ½ puts the hidden layers at the NTK
 * scale and the (p1, p2, q) of a point equal the two-layer ones.
 */
import type { ThetaExponents } from '../../finite/parameterization.js';
import { type ThetaConvention, type ThetaPoint, thetaExponents } from '../theta/exponents.js';

export interface MultilayerPoint {
  depth: number;
  point: ThetaPoint;
  /** Hidden-to-hidden exponent (β_h = m^{−ph}). */
  ph: number;
}

/** The preset's exponents of a point: the two-layer (p1, p2, q) with q moved by −(L − 1)(ph − ½). */
export function multilayerExponents(p: MultilayerPoint, conv: ThetaConvention): ThetaExponents {
  const e = thetaExponents(p.point, conv);
  return { p1: e.p1, p2: e.p2, q: e.q - (p.depth - 1) * (p.ph - 0.5), ph: p.ph };
}

/** lim log κ/log m of the built network: (L+1)/2 − p1 − p2 − (L−1)ph − q (= 1 − γ by construction). */
export function kappaExponentOf(depth: number, e: ThetaExponents): number {
  return (depth + 1) / 2 - e.p1 - e.p2 - (depth - 1) * (e.ph ?? 0.5) - e.q;
}

/** ASCII key of a point in metric names: `L=2,gamma=0.5,gammaPrime=0` (`,ph=0.25` when ph ≠ ½). */
export function multilayerKey(p: MultilayerPoint): string {
  const r = (v: number) => Number(v.toPrecision(6));
  return `L=${p.depth},gamma=${r(p.point.gamma)},gammaPrime=${r(p.point.gammaPrime)}${p.ph === 0.5 ? '' : `,ph=${r(p.ph)}`}`;
}
