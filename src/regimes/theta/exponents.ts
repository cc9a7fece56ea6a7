/**
 * The two-layer θ-parameterization's exponents (Luo, Xu, Ma, Zhang 2021, JMLR 22:71, §2;
 * Li, Luo, Zhou 2024, arXiv 2404.04859; theory/conventions.md#presets; theory/theta.md#exponents):
 *
 *   f(x) = (1/α) Σ_k a_k φ(w_k·x),  a_k ~ N(0, β_1²),  w_k ~ N(0, β_2² I_d),
 *   β_1 = m^{−p1},  β_2 = m^{−p2},  α = m^{q},
 *   γ = −log(β_1β_2/α)/log m = p1 + p2 + q,   γ' = −log(β_1/β_2)/log m = p1 − p2,
 *   κ = m β_1β_2/α = m^{1−γ},   κ' = β_1/β_2 = m^{−γ'}.
 *
 * After rescaling a = β_1 ā, w = β_2 w̄ and time s = t/α, the gradient flow only depends on κ and
 * κ' (theory/theta.md#normalization): (γ, γ') fix the regime and the third exponent only sets the
 * time unit. A convention fixes one of p1, p2, q; here the default is p2 = 0 (input weights at
 * unit scale), so p1 = γ', q = γ − γ'; the NTK point (γ, γ') = (1/2, 0) is then the `theta`
 * preset's default {p1: 0, p2: 0, q: 1/2} and the mean-field point (1, 0) has q = 1.
 */
import { InputError, requireFinite } from '../../core/errors.js';
import type { ThetaExponents } from '../../finite/parameterization.js';

/** A point of the phase diagram. */
export interface ThetaPoint {
  gamma: number;
  gammaPrime: number;
}

/** Which exponent is held at `value` when (γ, γ') are given. */
export interface ThetaConvention {
  fix: 'p1' | 'p2' | 'q';
  value: number;
}

export const DEFAULT_CONVENTION: ThetaConvention = { fix: 'p2', value: 0 };

/** (γ, γ') → (p1, p2, q) under `conv` (exact inverse of {@link thetaPoint}). */
export function thetaExponents(pt: ThetaPoint, conv: ThetaConvention = DEFAULT_CONVENTION): ThetaExponents {
  const g = requireFinite('gamma', pt.gamma), gp = requireFinite('gammaPrime', pt.gammaPrime), v = requireFinite('convention.value', conv.value);
  switch (conv.fix) {
    case 'q': return { p1: (g - v + gp) / 2, p2: (g - v - gp) / 2, q: v };
    case 'p2': return { p1: gp + v, p2: v, q: g - gp - 2 * v };
    case 'p1': return { p1: v, p2: v - gp, q: g + gp - 2 * v };
    default: {
      const never: never = conv.fix;
      throw new InputError('convention.fix', `must be p1, p2 or q, got ${String(never)}`);
    }
  }
}

/** (p1, p2, q) → (γ, γ'). */
export function thetaPoint(e: ThetaExponents): ThetaPoint {
  return { gamma: e.p1 + e.p2 + e.q, gammaPrime: e.p1 - e.p2 };
}

/** lim log κ / log m = 1 − γ (Li–Luo–Zhou: θ-lazy when > 0; NTK 1/2, mean field 0). */
export function kappaExponent(pt: ThetaPoint): number {
  return 1 - pt.gamma;
}

export type Regime = 'linear' | 'critical' | 'condensed';

/**
 * The regime Luo et al. (2021, §4, Fig. 1) put at (γ, γ'): linear if γ < 1 or γ' > γ − 1;
 * condensed if γ > 1 and γ' < γ − 1; critical on the boundary {γ = 1, γ' ≤ 0} ∪ {γ ≥ 1, γ' = γ − 1}.
 * `eps` absorbs rounding on the boundary.
 */
export function theoreticalRegime(pt: ThetaPoint, eps = 1e-9): Regime {
  const { gamma: g, gammaPrime: gp } = pt;
  if (g < 1 - eps || gp > g - 1 + eps) return 'linear';
  if (g > 1 + eps && gp < g - 1 - eps) return 'condensed';
  return 'critical';
}

/**
 * Heuristic exponent e of the input weights' relative change RD(θ_w) ∝ m^e at the end of training
 * **[derived]** (theory/theta.md#rd-exponent; a scaling argument, not a theorem; used for the
 * integrator's tolerance and shown beside the measurement):
 *   γ < 1:  e = γ − 1 − 2 max(γ', 0);
 *   γ ≥ 1:  e = γ − 1 if γ' ≤ 0, else e = 2(γ − 1 − γ').
 * Its sign reproduces Luo et al.'s boundaries.
 */
export function predictedRdExponent(pt: ThetaPoint): number {
  const { gamma: g, gammaPrime: gp } = pt;
  if (g < 1) return g - 1 - 2 * Math.max(gp, 0);
  return gp <= 0 ? g - 1 : 2 * (g - 1 - gp);
}

/** The class of a measured width-exponent e of RD: e < −band linear, e > band condensed, else critical. */
export function classifyExponent(e: number, band: number): Regime | 'unknown' {
  if (!Number.isFinite(e)) return 'unknown';
  if (e < -band) return 'linear';
  if (e > band) return 'condensed';
  return 'critical';
}

/** Short label of a point for figures and notes: `γ=0.5,γ'=0`. */
export function pointLabel(pt: ThetaPoint): string {
  return `γ=${Number(pt.gamma.toPrecision(6))},γ'=${Number(pt.gammaPrime.toPrecision(6))}`;
}

/** ASCII key of a point, used in metric names (and so in figure file names): `gamma=0.5,gammaPrime=0`. */
export function pointKey(pt: ThetaPoint): string {
  return `gamma=${Number(pt.gamma.toPrecision(6))},gammaPrime=${Number(pt.gammaPrime.toPrecision(6))}`;
}
