/**
 * The ReLU population kernel averaged over the relative orientation of two neurons' components
 * orthogonal to a one-dimensional target subspace H = span(e_1), for x ~ N(0, v I_4)
 * (theory/subspace-reduction.md#averaged-kernel; Hajjar, Chizat 2023, arXiv 2211.08771,
 * low-dimensional targets). A neuron is w = (u, r ω) with u ∈ R, r ≥ 0, ω on the unit sphere
 * S² of the complement; write N = ‖w‖ and α = atan2(r, u) ∈ [0, π], its angle to e_1. For two
 * neurons whose ω, ω' are independent and uniform on S², s = ω·ω' is uniform on [−1, 1] and the
 * angle θ of (w, w') has cos θ = cos α cos α' + sin α sin α' s. The three averages
 *
 *   S = ⟨sin θ⟩,   Π = ⟨π − θ⟩,   Σ = ⟨(π − θ) s⟩        (⟨·⟩ = ½ ∫_{−1}^{1} · ds)
 *
 * give the averaged kernel K̄ = (v/2π)(N N' S + u u' Π + r r' Σ) and its gradient. With
 * h = sin α sin α' and c = cos θ, ds = dc/h = −sin θ dθ/h, so ⟨g⟩ = (1/2h) ∫_{θ₋}^{θ₊} g sin θ dθ,
 * θ₋ = |α − α'|, θ₊ = min(α + α', 2π − α − α'): closed-form antiderivatives (h ≥ {@link H_CLOSED})
 * or, for nearly degenerate pairs where their differences cancel, Gauss–Legendre in θ on
 * [θ₋, θ₊] (an entire integrand on an interval shorter than 0.07: exact to rounding).
 */

const PI = Math.PI;

/** Below this h = sin α sin α' the antiderivative differences (÷h, ÷h²) lose digits: quadrature instead. */
export const H_CLOSED = 1e-2;

/** One neuron in reduced coordinates, with the trigonometric quantities the pair loop reuses. */
export interface ReducedNeuron {
  /** ‖w‖. */
  n: number;
  /** cos α = u/‖w‖, sin α = |r|/‖w‖ (α = π/2 for w = 0). */
  ca: number;
  sa: number;
  /** α ∈ [0, π]. */
  alpha: number;
}

/** (N, cos α, sin α, α) of (u, r); r enters through |r| (the kernel is even in r). */
export function reducedNeuron(u: number, r: number, out: ReducedNeuron = { n: 0, ca: 0, sa: 1, alpha: PI / 2 }): ReducedNeuron {
  const ar = Math.abs(r);
  const n = Math.hypot(u, ar);
  out.n = n;
  out.ca = n > 0 ? u / n : 0;
  out.sa = n > 0 ? ar / n : 1;
  out.alpha = Math.atan2(ar, u);
  return out;
}

// 6-point Gauss–Legendre on [−1, 1]
const GL_X = [-0.932469514203152, -0.6612093864662645, -0.2386191860831969, 0.2386191860831969, 0.6612093864662645, 0.932469514203152];
const GL_W = [0.1713244923791704, 0.3607615730481386, 0.4679139345726910, 0.4679139345726910, 0.3607615730481386, 0.1713244923791704];

/** G₁' = sin²θ, G₂' = (π − θ) sin θ, G₃' = (π − θ) sin θ cos θ. */
function g1(t: number, s: number, c: number): number { return 0.5 * (t - s * c); }
function g2(t: number, s: number, c: number): number { return -(PI - t) * c - s; }
function g3(t: number, s: number, c: number): number { return -0.25 * (PI - t) * (c * c - s * s) - 0.25 * s * c; }

/**
 * S, Π, Σ of the pair (p, q) into out[0..2] (theory/subspace-reduction.md#averaged-kernel).
 * Symmetric in (p, q).
 */
export function averagedAngles(p: ReducedNeuron, q: ReducedNeuron, out: Float64Array): Float64Array {
  const h = p.sa * q.sa;
  const c0 = p.ca * q.ca;
  const tm = Math.abs(p.alpha - q.alpha);
  const sum = p.alpha + q.alpha;
  const tp = sum <= PI ? sum : 2 * PI - sum;
  if (h >= H_CLOSED) {
    const cm = c0 + h, cp = c0 - h;
    const sm = Math.abs(p.sa * q.ca - p.ca * q.sa), sp = Math.abs(p.sa * q.ca + p.ca * q.sa);
    const d2 = g2(tp, sp, cp) - g2(tm, sm, cm);
    out[0] = (g1(tp, sp, cp) - g1(tm, sm, cm)) / (2 * h);
    out[1] = d2 / (2 * h);
    out[2] = (g3(tp, sp, cp) - g3(tm, sm, cm) - c0 * d2) / (2 * h * h);
    return out;
  }
  if (h === 0 || tp === tm) {
    out[0] = Math.sin(tm);
    out[1] = PI - tm;
    out[2] = 0;
    return out;
  }
  return averagedByQuadrature(p, q, tm, tp, h, out);
}

/** The same averages by 6-point Gauss–Legendre in θ, normalized by the quadrature of ∫ sin θ dθ = 2h. */
export function averagedByQuadrature(
  p: ReducedNeuron, q: ReducedNeuron, tm: number, tp: number, h: number, out: Float64Array,
): Float64Array {
  const mid = 0.5 * (tp + tm), half = 0.5 * (tp - tm);
  const delta = p.alpha - q.alpha;
  let z = 0, a0 = 0, a1 = 0, a2 = 0;
  for (let k = 0; k < 6; k++) {
    const t = mid + half * GL_X[k];
    const st = Math.sin(t);
    const wk = GL_W[k] * st;
    // s = (cos θ − cos α cos α')/h = 1 − (cos δ − cos θ)/h, with cos δ − cos θ = 2 sin((θ+δ)/2) sin((θ−δ)/2)
    const s = 1 - (2 * Math.sin(0.5 * (t + delta)) * Math.sin(0.5 * (t - delta))) / h;
    z += wk;
    a0 += wk * st;
    a1 += wk * (PI - t);
    a2 += wk * (PI - t) * s;
  }
  out[0] = a0 / z;
  out[1] = a1 / z;
  out[2] = a2 / z;
  return out;
}
