/**
 * First-order response of the frozen-kernel MSE dynamics to a perturbation Δ of the kernel
 * (theory/finite-width.md#linear-response). With Θ = V Λ Vᵀ, B = Vᵀ Δ V, c = Vᵀ r_0 (r_0 = f_0(X) − y),
 * W = Θ* V and the divided differences R_ab = [ρ_τ(λ_a), ρ_τ(λ_b)], G_ab = [g_τ(λ_a), g_τ(λ_b)]
 * (Daleckii–Krein: d ψ(Θ)[Δ] = V (Ψ ∘ B) Vᵀ for a scalar function ψ):
 *
 *   δf_τ(X)  =  V (R ∘ B) c,
 *   δf_τ(X*) = −Δ* V (g ∘ c) − W (G ∘ B) c,      Δ* = the test × train block of Δ.
 */
import { type Schedule, integratedFactor, residualFactor } from './schedule.js';

/** Divided difference [ψ(a), ψ(b)], the derivative ψ'((a+b)/2) by a central difference when a ≈ b. */
export function dividedDifference(psi: (l: number) => number, a: number, b: number, scale: number): number {
  const d = a - b;
  const s = scale > 0 ? scale : 1;
  if (Math.abs(d) > 1e-6 * s) return (psi(a) - psi(b)) / d;
  const m = 0.5 * (a + b);
  const e = 1e-5 * s;
  return (psi(m + e) - psi(m - e)) / (2 * e);
}

export interface ResponseFactors {
  /** R, n × n row-major. */
  R: Float64Array;
  /** G, n × n row-major. */
  G: Float64Array;
  /** g_τ(λ_a). */
  g: Float64Array;
}

/** R, G and g at flow time τ (finite) for the eigenvalues `values` of Θ(X, X), n training points. */
export function responseFactors(schedule: Schedule, values: Float64Array, tau: number, n: number): ResponseFactors {
  if (!Number.isFinite(tau)) throw new RangeError('responseFactors: τ must be finite');
  const m = values.length;
  const scale = m > 0 ? Math.max(Math.abs(values[m - 1]), Math.abs(values[0])) : 1;
  const rho = (l: number): number => residualFactor(schedule, l, tau, n);
  const gf = (l: number): number => integratedFactor(schedule, l, tau, n);
  const R = new Float64Array(m * m);
  const G = new Float64Array(m * m);
  const g = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    g[a] = gf(values[a]);
    for (let b = a; b < m; b++) {
      R[a * m + b] = R[b * m + a] = dividedDifference(rho, values[a], values[b], scale);
      G[a * m + b] = G[b * m + a] = dividedDifference(gf, values[a], values[b], scale);
    }
  }
  return { R, G, g };
}

/**
 * δf on train (n × cols) and test (nTest × cols) for the columns C (n × cols, in the eigenbasis:
 * C = Vᵀ r_0 for one initial residual, or several columns at once), given B = VᵀΔV (n × n),
 * DV = Δ* V (nTest × n) and W = Θ* V (nTest × n). Returns the squared Frobenius norms of both
 * (the eigenbasis is orthonormal, so the train norm is that of V (R∘B) C).
 */
export function responseSquaredNorms(
  f: ResponseFactors, B: Float64Array, DV: Float64Array, W: Float64Array, C: Float64Array,
  n: number, nTest: number, cols: number, work: { M: Float64Array; N: Float64Array },
): { train: number; test: number } {
  const { M, N } = work;
  for (let i = 0; i < n * n; i++) M[i] = f.R[i] * B[i];
  let train = 0;
  for (let a = 0; a < n; a++) {
    for (let c = 0; c < cols; c++) {
      let s = 0;
      for (let b = 0; b < n; b++) s += M[a * n + b] * C[b * cols + c];
      train += s * s;
    }
  }
  for (let i = 0; i < n * n; i++) M[i] = f.G[i] * B[i];
  // N = DV diag(g) + W (G ∘ B)
  for (let i = 0; i < nTest; i++) {
    for (let b = 0; b < n; b++) {
      let s = DV[i * n + b] * f.g[b];
      for (let a = 0; a < n; a++) s += W[i * n + a] * M[a * n + b];
      N[i * n + b] = s;
    }
  }
  let test = 0;
  for (let i = 0; i < nTest; i++) {
    for (let c = 0; c < cols; c++) {
      let s = 0;
      for (let b = 0; b < n; b++) s += N[i * n + b] * C[b * cols + c];
      test += s * s;
    }
  }
  return { train, test };
}
