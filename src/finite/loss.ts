/**
 * Training losses (theory/conventions.md#losses), with the lazy scaling of theory/conventions.md#presets:
 *
 *   Loss(f) = (1 / (α² n)) Σ_i Σ_a ℓ(f_ia, y_ia),   f = α (F − [centred] F_{θ0}),
 *
 * averaged over the n rows (samples) and summed over the k outputs. Per output entry:
 * - `mse`:        ℓ = ½ (f − y)²                         (so Loss = (1/(2n)) Σ |f_i − y_i|² at α = 1)
 * - `hinge`:      ℓ = max(0, 1 − f y)                      (subgradient −y·[f y < 1]; 0 at the kink)
 * - `soft-hinge`: ℓ = (1/β) log(1 + e^{β(1 − f y)})        (Geiger et al. 2020, arXiv 1906.08034, β = 20)
 * - `logistic`:   ℓ = log(1 + e^{−f y})
 * For k > 1 the margin losses are applied to each output separately (one-vs-rest with ±1 targets)
 * and summed over outputs — see theory/finite.md#losses.
 * - `cross-entropy`: softmax cross-entropy over the k outputs of a row (not per entry):
 *   ℓ_i = logsumexp_a f_ia − Σ_a y_ia f_ia for targets y_i with Σ_a y_ia = 1 (one-hot labels),
 *   ∂ℓ_i/∂f_ia = softmax_a(f_i) − y_ia (theory/finite.md#cross-entropy).
 */
import type { Mat } from '../core/matrix.js';
import type { LossName } from '../spec/types.js';

export type Loss =
  | { kind: 'mse' }
  | { kind: 'hinge' }
  | { kind: 'soft-hinge'; beta: number }
  | { kind: 'logistic' }
  | { kind: 'cross-entropy' };

/** The loss named in a spec (`softHingeBeta` only read by `soft-hinge`; default 20). */
export function makeLoss(name: LossName, softHingeBeta = 20): Loss {
  switch (name) {
    case 'mse': return { kind: 'mse' };
    case 'hinge': return { kind: 'hinge' };
    case 'soft-hinge': return { kind: 'soft-hinge', beta: softHingeBeta };
    case 'logistic': return { kind: 'logistic' };
    case 'cross-entropy': return { kind: 'cross-entropy' };
    default: {
      const never: never = name;
      throw new RangeError(`unknown loss ${String(never)}`);
    }
  }
}

/** log(1 + e^u) without overflow. */
export function softplus(u: number): number {
  return u > 0 ? u + Math.log1p(Math.exp(-u)) : Math.log1p(Math.exp(u));
}

/** 1 / (1 + e^{−u}) without overflow. */
export function sigmoid(u: number): number {
  if (u >= 0) return 1 / (1 + Math.exp(-u));
  const e = Math.exp(u);
  return e / (1 + e);
}

/** A loss applied to each output entry separately (every loss but cross-entropy). */
export type PointLoss = Exclude<Loss, { kind: 'cross-entropy' }>;

/** True when ℓ acts on each output entry alone (pointLoss / pointLossDerivative apply). */
export function isPointLoss(loss: Loss): loss is PointLoss {
  return loss.kind !== 'cross-entropy';
}

/** ℓ(f, y) for one output entry. */
export function pointLoss(loss: PointLoss, f: number, y: number): number {
  switch (loss.kind) {
    case 'mse': { const r = f - y; return 0.5 * r * r; }
    case 'hinge': return Math.max(0, 1 - f * y);
    case 'soft-hinge': return softplus(loss.beta * (1 - f * y)) / loss.beta;
    case 'logistic': return softplus(-f * y);
  }
}

/** ∂ℓ/∂f for one output entry. */
export function pointLossDerivative(loss: PointLoss, f: number, y: number): number {
  switch (loss.kind) {
    case 'mse': return f - y;
    case 'hinge': return f * y < 1 ? -y : 0;
    case 'soft-hinge': return -y * sigmoid(loss.beta * (1 - f * y));
    case 'logistic': return -y * sigmoid(-f * y);
  }
}

/**
 * Loss = (1/(α² n)) Σ ℓ(f, y) over an n×k output `f` and target `y`. When `grad` (n×k) is given
 * it receives ∂Loss/∂f. Returns the loss value.
 */
export function lossAndGradient(loss: Loss, f: Mat, y: Mat, alpha: number, grad?: Mat): number {
  if (f.rows !== y.rows || f.cols !== y.cols) {
    throw new RangeError(`loss: outputs ${f.rows}x${f.cols} and targets ${y.rows}x${y.cols} differ in shape`);
  }
  const scale = 1 / (alpha * alpha * f.rows);
  const fd = f.data, yd = y.data, g = grad?.data;
  let s = 0;
  switch (loss.kind) {
    case 'mse':
      for (let i = 0; i < fd.length; i++) {
        const r = fd[i] - yd[i];
        s += r * r;
        if (g) g[i] = scale * r;
      }
      return 0.5 * scale * s;
    case 'cross-entropy':
      for (let i = 0; i < f.rows; i++) s += crossEntropyRow(fd, yd, i * f.cols, f.cols, scale, g);
      return scale * s;
    default:
      for (let i = 0; i < fd.length; i++) {
        s += pointLoss(loss, fd[i], yd[i]);
        if (g) g[i] = scale * pointLossDerivative(loss, fd[i], yd[i]);
      }
      return scale * s;
  }
}

/**
 * Softmax cross-entropy of one row (offset o, k entries): returns ℓ = logsumexp(f) − Σ y f
 * (shifted by max f against overflow) and, when `g` is given, writes g_a = scale·(softmax_a·Σy − y_a)
 * (the exact derivative for any y; softmax − y for one-hot rows).
 */
export function crossEntropyRow(f: ArrayLike<number>, y: ArrayLike<number>, o: number, k: number, scale: number, g?: Float64Array): number {
  let m = -Infinity;
  for (let a = 0; a < k; a++) if (f[o + a] > m) m = f[o + a];
  let z = 0, sy = 0, yf = 0;
  for (let a = 0; a < k; a++) { z += Math.exp(f[o + a] - m); sy += y[o + a]; yf += y[o + a] * (f[o + a] - m); }
  if (g) for (let a = 0; a < k; a++) g[o + a] = scale * ((Math.exp(f[o + a] - m) / z) * sy - y[o + a]);
  return sy * Math.log(z) - yf;
}

/**
 * ∂ℓ/∂f for every entry of an n×k output (no 1/(α² n) factor), into `g`: per entry for the
 * point losses, per row for cross-entropy. Used by the frozen-kernel dynamics.
 */
export function lossDerivatives(loss: Loss, f: ArrayLike<number>, y: ArrayLike<number>, k: number, g: Float64Array): void {
  if (isPointLoss(loss)) {
    for (let i = 0; i < g.length; i++) g[i] = pointLossDerivative(loss, f[i], y[i]);
    return;
  }
  for (let o = 0; o < g.length; o += k) crossEntropyRow(f, y, o, k, 1, g);
}
