/**
 * The averages S = ⟨sin θ⟩, Π = ⟨π − θ⟩, Σ = ⟨(π − θ) s⟩ of the reduced ReLU kernel for any number
 * n = d − k ≥ 2 of dimensions orthogonal to a one-dimensional target subspace
 * (theory/subspace-reduction.md#averaged-kernel-n; n = 3 has the closed form of averagedKernel.ts).
 *
 * For independent uniform ω, ω' on S^{n−1}, s = ω·ω' = cos φ with φ ∈ [0, π] of density
 * ∝ sin^{n−2} φ, and the angle θ of the pair (w, w') = ((u, rω), (u', r'ω')) has
 *
 *   sin²(θ/2) = sin²(δ/2) + h sin²(φ/2),   cos²(θ/2) = cos²(σ/2) + h cos²(φ/2),
 *
 * δ = α − α', σ = α + α', h = sin α sin α' (α = angle of w to e_1), so θ = 2 atan2(·, ·) and
 * sin θ = 2 sin(θ/2) cos(θ/2) without cancellation anywhere. θ(φ) is analytic on [0, π] except near
 * the ends when a pair is nearly collinear (branch points at φ ≈ ±2i sin(δ/2)/√h) or nearly
 * opposite (at φ ≈ π ± 2i cos(σ/2)/√h): the integral is composite 12-point Gauss–Legendre in φ on
 * panels graded geometrically towards an end whose branch point is close (panel lengths ε, ε, 2ε,
 * 4ε, … from the end, ε its distance), so every panel sees its nearest singularity at least a panel
 * length away; and no panel longer than 4/√(n − 2), the width scale of the weight for large n.
 */
import type { ReducedNeuron } from './averagedKernel.js';

const PI = Math.PI;
const ORDER = 12;

/** Nodes and weights of `n`-point Gauss–Legendre on [−1, 1] (Newton on P_n from the Chebyshev guesses). */
export function gaussLegendreRule(n: number): { x: Float64Array; w: Float64Array } {
  const x = new Float64Array(n), w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = Math.cos((PI * (i + 0.75)) / (n + 0.5));
    let dp = 1;
    for (let it = 0; it < 100; it++) {
      let p0 = 1, p1 = z;
      for (let k = 2; k <= n; k++) { const p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k; p0 = p1; p1 = p2; }
      dp = (n * (z * p1 - p0)) / (z * z - 1);
      const dz = p1 / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-16) break;
    }
    let p0 = 1, p1 = z;
    for (let k = 2; k <= n; k++) { const p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k; p0 = p1; p1 = p2; }
    dp = (n * (z * p1 - p0)) / (z * z - 1);
    x[i] = z;
    w[i] = 2 / ((1 - z * z) * dp * dp);
  }
  return { x, w };
}

const RULE = gaussLegendreRule(ORDER);

/** Breakpoints of [0, L] graded towards 0 for a branch point at distance ε from it (just [0, L] when ε ≥ L/2). */
function graded(eps: number, L: number): number[] {
  const b = [0];
  if (eps < L / 2) {
    let t = Math.max(eps, 1e-12 * L);
    while (t < L / 2) { b.push(t); t *= 2; }
  }
  b.push(L);
  return b;
}

/** Panels no longer than `maxLen`: sin^{n−2} φ is a bump of width ≈ 1/√(n − 2) about π/2 for large n. */
function refined(breaks: number[], maxLen: number): number[] {
  const out = [breaks[0]];
  for (let k = 0; k + 1 < breaks.length; k++) {
    const parts = Math.ceil((breaks[k + 1] - breaks[k]) / maxLen);
    for (let j = 1; j <= parts; j++) out.push(breaks[k] + ((breaks[k + 1] - breaks[k]) * j) / parts);
  }
  return out;
}

/**
 * S, Π, Σ of the pair (p, q) into out[0..2] for n = `dims` ≥ 2 orthogonal dimensions. Symmetric in
 * (p, q). Normalized by the same quadrature of ∫ sin^{n−2} φ dφ.
 */
export function averagedAnglesN(p: ReducedNeuron, q: ReducedNeuron, dims: number, out: Float64Array): Float64Array {
  if (!(Number.isInteger(dims) && dims >= 2)) throw new RangeError(`averagedAnglesN: need an integer n = d − k ≥ 2, got ${dims}`);
  const h = p.sa * q.sa;
  const d2 = Math.sin(0.5 * (p.alpha - q.alpha)), c2 = Math.cos(0.5 * (p.alpha + q.alpha));
  if (h === 0) {
    // θ does not depend on φ, and ⟨s⟩ = 0
    const t = Math.abs(p.alpha - q.alpha);
    out[0] = Math.sin(t); out[1] = PI - t; out[2] = 0;
    return out;
  }
  const sh = Math.sqrt(h);
  const left = graded((2 * Math.abs(d2)) / sh, PI / 2);
  const right = graded((2 * Math.abs(c2)) / sh, PI / 2).map((b) => PI - b).reverse();
  const pow = dims - 2;
  const breaks = refined([...left.slice(0, -1), ...right], pow > 0 ? 4 / Math.sqrt(pow) : PI);
  let z = 0, a0 = 0, a1 = 0, a2 = 0;
  for (let k = 0; k + 1 < breaks.length; k++) {
    const mid = 0.5 * (breaks[k] + breaks[k + 1]), half = 0.5 * (breaks[k + 1] - breaks[k]);
    for (let i = 0; i < ORDER; i++) {
      const phi = mid + half * RULE.x[i];
      const sp = Math.sin(0.5 * phi), cp = Math.cos(0.5 * phi);
      const sa = Math.sqrt(d2 * d2 + h * sp * sp), ca = Math.sqrt(c2 * c2 + h * cp * cp);
      const theta = 2 * Math.atan2(sa, ca);
      const sinT = (2 * sa * ca) / (sa * sa + ca * ca); // sa² + ca² = 1 up to rounding
      const wt = half * RULE.w[i] * (pow === 0 ? 1 : Math.pow(Math.sin(phi), pow));
      z += wt;
      a0 += wt * sinT;
      a1 += wt * (PI - theta);
      a2 += wt * (PI - theta) * Math.cos(phi);
    }
  }
  out[0] = a0 / z; out[1] = a1 / z; out[2] = a2 / z;
  return out;
}
