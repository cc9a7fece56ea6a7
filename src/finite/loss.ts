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
 */
import type { Mat } from '../core/matrix.js';
import type { LossName } from '../spec/types.js';

export type Loss =
  | { kind: 'mse' }
  | { kind: 'hinge' }
  | { kind: 'soft-hinge'; beta: number }
  | { kind: 'logistic' };

/** The loss named in a spec (`softHingeBeta` only read by `soft-hinge`; default 20). */
export function makeLoss(name: LossName, softHingeBeta = 20): Loss {
  switch (name) {
    case 'mse': return { kind: 'mse' };
    case 'hinge': return { kind: 'hinge' };
    case 'soft-hinge': return { kind: 'soft-hinge', beta: softHingeBeta };
    case 'logistic': return { kind: 'logistic' };
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

/** ℓ(f, y) for one output entry. */
export function pointLoss(loss: Loss, f: number, y: number): number {
  switch (loss.kind) {
    case 'mse': { const r = f - y; return 0.5 * r * r; }
    case 'hinge': return Math.max(0, 1 - f * y);
    case 'soft-hinge': return softplus(loss.beta * (1 - f * y)) / loss.beta;
    case 'logistic': return softplus(-f * y);
  }
}

/** ∂ℓ/∂f for one output entry. */
export function pointLossDerivative(loss: Loss, f: number, y: number): number {
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
    default:
      for (let i = 0; i < fd.length; i++) {
        s += pointLoss(loss, fd[i], yd[i]);
        if (g) g[i] = scale * pointLossDerivative(loss, fd[i], yd[i]);
      }
      return scale * s;
  }
}
