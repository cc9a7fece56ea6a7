/**
 * Gradient flow versus gradient descent in the frozen-kernel (lazy) limit, as scalar functions of
 * one eigenvalue λ of Θ = Θ(X, X) (theory/ntk.md#dynamics; Lee et al. 2019, arXiv 1902.06720, Eq. (8)–(11);
 * theory/ntk.md#flow-vs-gd). Time is the reported flow time τ = η · steps.
 *
 *   residual factor   ρ_τ(λ) = e^{−λτ/n}                 (flow)
 *                             = (1 − ηλ/n)^{τ/η}          (gradient descent, step η)
 *   integrated factor g_τ(λ) = (1 − ρ_τ(λ))/λ,   g_τ(0) = τ/n,
 *
 * so that, for MSE, f_τ(X) − y = ρ_τ(Θ)(f_0(X) − y) and
 * f_τ(x*) = f_0(x*) − Θ* g_τ(Θ)(f_0(X) − y)   (g_τ(Θ) = Θ^{−1}(I − ρ_τ(Θ)) without inverting Θ).
 * GD is stable iff |1 − ηλ/n| < 1 for every λ, i.e. η < 2n/λ_max.
 * τ = ∞: ρ = 0, g = 1/λ for λ above the null threshold, and ρ = 1, g = 0 below it (the
 * pseudo-inverse limit: null directions of Θ are never trained, and Θ* vanishes on them).
 */

export type Schedule =
  /** Gradient flow: ḟ = −(1/n) Θ ∇ℓ in the flow time τ. */
  | { kind: 'flow' }
  /** Gradient descent with step `lr` (τ = lr · steps; τ/lr is rounded to an integer). */
  | { kind: 'gd'; lr: number };

/** Number of GD steps for flow time τ (rounded: τ = lr · steps up to rounding). */
export function gdSteps(lr: number, tau: number): number {
  return Math.round(tau / lr);
}

/** ρ_τ(λ) for n training points; λ < 0 (rounding of a PSD matrix) is treated as 0. */
export function residualFactor(s: Schedule, lambda: number, tau: number, n: number, nullThreshold = 0): number {
  const l = lambda > 0 ? lambda : 0;
  if (tau === Infinity) return l > nullThreshold ? (s.kind === 'gd' && gdUnstable(s.lr, l, n) ? NaN : 0) : 1;
  switch (s.kind) {
    case 'flow':
      return Math.exp((-l * tau) / n);
    case 'gd': {
      const steps = gdSteps(s.lr, tau);
      const x = (s.lr * l) / n;
      return x < 1 ? Math.exp(steps * Math.log1p(-x)) : Math.pow(1 - x, steps);
    }
    default: {
      const never: never = s;
      throw new RangeError(`unknown schedule ${JSON.stringify(never)}`);
    }
  }
}

/** g_τ(λ) = (1 − ρ_τ(λ))/λ, computed without cancellation (expm1); g_τ(0) = τ/n. */
export function integratedFactor(s: Schedule, lambda: number, tau: number, n: number, nullThreshold = 0): number {
  const l = lambda > 0 ? lambda : 0;
  if (tau === Infinity) return l > nullThreshold ? (s.kind === 'gd' && gdUnstable(s.lr, l, n) ? NaN : 1 / l) : 0;
  switch (s.kind) {
    case 'flow':
      return l === 0 ? tau / n : -Math.expm1((-l * tau) / n) / l;
    case 'gd': {
      const steps = gdSteps(s.lr, tau);
      if (l === 0) return (steps * s.lr) / n;
      const x = (s.lr * l) / n;
      return x < 1 ? -Math.expm1(steps * Math.log1p(-x)) / l : (1 - Math.pow(1 - x, steps)) / l;
    }
    default: {
      const never: never = s;
      throw new RangeError(`unknown schedule ${JSON.stringify(never)}`);
    }
  }
}

/** True when one GD step amplifies the eigen-direction λ: |1 − ηλ/n| ≥ 1 ⇔ η ≥ 2n/λ. */
export function gdUnstable(lr: number, lambda: number, n: number): boolean {
  return lr * lambda >= 2 * n;
}

/** The stability bound 2n/λ_max on the GD step. */
export function gdStabilityBound(lambdaMax: number, n: number): number {
  return lambdaMax > 0 ? (2 * n) / lambdaMax : Infinity;
}
