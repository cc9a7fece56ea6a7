/**
 * Measures of the integrable-parameterization cells for k-class cross-entropy (theory/ip.md#ten-class):
 * the loss decrease computed from the outputs (exact where L_0 − L_k is far below the rounding of L),
 * the cross-entropy of the best constant predictor, and the argmax test accuracy.
 */

/**
 * L_0 − L_k for softmax cross-entropy from the n×k outputs (flattened) and one-hot targets:
 * per row, ℓ(f_0) − ℓ(f_k) = −log Σ_a p_a e^{δ_a} + Σ_a y_a δ_a with δ = f_k − f_0 and p = softmax(f_0)
 * (log1p/expm1, so an output change of 1e-15 keeps its digits); divided by α² n.
 */
export function crossEntropyDecrease(alpha: number, n: number, f0: ArrayLike<number>, fk: ArrayLike<number>, y: ArrayLike<number>): number {
  const k = f0.length / n;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let m = -Infinity;
    for (let a = 0; a < k; a++) m = Math.max(m, f0[o + a]);
    let z = 0, acc = 0, yd = 0;
    for (let a = 0; a < k; a++) {
      const e = Math.exp(f0[o + a] - m);
      const d = fk[o + a] - f0[o + a];
      z += e;
      acc += e * Math.expm1(d);
      yd += y[o + a] * d;
    }
    s += yd - Math.log1p(acc / z);
  }
  return s / (alpha * alpha * n);
}

/** −Σ_a ȳ_a log ȳ_a: the cross-entropy of the best constant predictor (ȳ the label frequencies). */
export function constantCrossEntropy(y: ArrayLike<number>, k: number): number {
  const n = y.length / k;
  const freq = new Float64Array(k);
  for (let i = 0; i < y.length; i++) freq[i % k] += y[i] / n;
  let h = 0;
  for (const p of freq) if (p > 0) h -= p * Math.log(p);
  return h;
}

/** Share of rows whose largest output is the labelled class (one-hot y, k columns). */
export function argmaxAccuracy(f: ArrayLike<number>, y: ArrayLike<number>, k: number): number {
  const n = y.length / k;
  if (n === 0) return NaN;
  let hit = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let a = 1; a < k; a++) if (f[i * k + a] > f[i * k + best]) best = a;
    if (y[i * k + best] === 1) hit++;
  }
  return hit / n;
}
