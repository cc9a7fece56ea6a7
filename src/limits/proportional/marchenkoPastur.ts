/**
 * Closed form of gradient descent on least squares in the proportional limit
 * (theory/proportional.md#linear-regression): β ← β + η √D XᵀΔ/P from β(0) = β0 with
 * u(0) = β0 − β* of variance c per coordinate, isotropic Gaussian inputs, P = αD. The losses are
 * integrals over the Marchenko–Pastur law of Σ̂ = XᵀX/P (ratio q = 1/α), computed with the
 * substitution λ = 1 + q + 2√q cos θ and the midpoint rule in θ (spectrally accurate: the
 * integrand is smooth and its θ-derivatives of odd order vanish at both ends).
 */

export interface RegressionCurve {
  trainLoss: Float64Array;
  testLoss: Float64Array;
}

/** ∫ F dμ over the continuous part of the Marchenko–Pastur law of ratio q (mass min(1, 1/q)). */
export function mpIntegral(q: number, f: (lambda: number) => number, points = 4000): number {
  const m = 1 + q;
  const w = 2 * Math.sqrt(q);
  let acc = 0;
  for (let i = 0; i < points; i++) {
    const th = (Math.PI * (i + 0.5)) / points;
    const s = Math.sin(th);
    const lam = m + w * Math.cos(th);
    acc += (s * s * f(lam)) / lam;
  }
  return (2 / Math.PI) * (Math.PI / points) * acc;
}

/**
 * Train and test losses at steps 0..T of depth-0 gradient descent with rate η, label noise σ,
 * initial error variance c: test = ½[c∫(1−ηλ)^{2t}dμ + (σ²/α)∫(1−(1−ηλ)^t)²/λ dμ + σ²],
 * train = ½[(1/α)∫(1−ηλ)^{2t}(σ² + cαλ)dμ + (1 − 1/α)σ²], μ with its atom 1 − α at 0 when α < 1.
 */
export function regressionCurve(alpha: number, eta: number, sigma: number, c: number, steps: number): RegressionCurve {
  const q = 1 / alpha;
  const s2 = sigma * sigma;
  const atom = Math.max(0, 1 - alpha);
  const trainLoss = new Float64Array(steps + 1);
  const testLoss = new Float64Array(steps + 1);
  for (let t = 0; t <= steps; t++) {
    const decay = (lam: number) => Math.pow(1 - eta * lam, 2 * t);
    const signal = mpIntegral(q, decay) + atom;
    const noise = mpIntegral(q, (lam) => Math.pow(1 - Math.pow(1 - eta * lam, t), 2) / lam);
    testLoss[t] = 0.5 * (c * signal + (s2 / alpha) * noise + s2);
    const fit = mpIntegral(q, (lam) => decay(lam) * (s2 + c * alpha * lam)) + atom * s2;
    trainLoss[t] = 0.5 * (fit / alpha + (1 - 1 / alpha) * s2);
  }
  return { trainLoss, testLoss };
}
