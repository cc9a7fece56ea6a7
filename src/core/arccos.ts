/**
 * The arc-cosine kernels of ReLU units (Cho & Saul 2009), the one place their angle is formed
 * (theory/ntk.md#rho-clipping). For (u, v) centred Gaussian with variances l11, l22 and covariance
 * l12, s = √(l11 l22), ρ = l12/s and θ = arccos ρ:
 *
 *   E[relu(u) relu(v)] = s·(sin θ + (π − θ)·ρ)/(2π),   E[1{u>0} 1{v>0}] = (π − θ)/(2π).
 *
 * One clipping rule for ρ ({@link clipRho}); sin θ is √(1 − ρ²) of the clipped ρ. Callers in hot
 * loops keep their own arrangement of the products around these primitives (the NTK recursion,
 * the mean-field pair sums); the primitives are small enough to be inlined.
 */

/**
 * Correlations within this distance of ±1 are set to ±1: arccos is ill-conditioned there
 * (θ ≈ √(2(1 − ρ))), so a ρ that should be exactly ±1 (duplicate or opposite inputs or particles,
 * a diagonal computed by the diagonal map) but is off by a few ulp would give θ ≈ 1e-8 of noise.
 * Snapping changes θ by at most √(2·4e-15) ≈ 9e-8 for a genuine ρ in that band.
 */
export const RHO_SNAP = 4e-15;
const HI = 1 - RHO_SNAP;
const LO = RHO_SNAP - 1;

/** ρ clipped to [−1, 1] and snapped to ±1 within {@link RHO_SNAP} (NaN stays NaN). */
export function clipRho(r: number): number {
  return r > HI ? 1 : r < LO ? -1 : r;
}

/** π − θ = π − arccos ρ, for a clipped ρ. */
export function piMinusTheta(rho: number): number {
  return Math.PI - Math.acos(rho);
}

/** sin θ = √(1 − ρ²), for a clipped ρ. */
export function sinTheta(rho: number): number {
  return Math.sqrt(1 - rho * rho);
}

export const INV_2PI = 1 / (2 * Math.PI);

/** E[relu(u) relu(v)] = s·(sin θ + (π − θ)ρ)/(2π) for a clipped ρ and s = √(l11 l22). */
export function reluArcCos(s: number, rho: number): number {
  return s * (sinTheta(rho) + piMinusTheta(rho) * rho) * INV_2PI;
}
