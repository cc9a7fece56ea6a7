/**
 * One-hidden-layer network with the polynomial leaky ReLU, homogeneous of degree p = r + 1 with
 * locally Lipschitz gradients for r ≥ 2 (Kumar & Haupt 2024, arXiv 2403.08121, §4; the setting
 * of their Theorem; theory/kumar-haupt.md#poly-leaky):
 *
 *   σ(z) = z^r (z ≥ 0),  σ(z) = −α|z|^r (z < 0),      H(x; u) = Σ_j a_j σ(w_jᵀx),
 *
 * no biases. Flat layout of u (length P = h(d + 1)): a_1..a_h, then W (h×d row-major, row j = w_j).
 * H(x; cu) = c^{r+1} H(x; u) for c > 0. r = 1 is the leaky ReLU (p = 2, gradient not locally
 * Lipschitz: the contrast case). The NCF N(u) = Σ_i y_i H(x_i; u) is separable over neurons:
 * N(u) = Σ_j a_j g(w_j) with g(w) = Σ_i y_i σ(wᵀx_i), homogeneous of degree r.
 */
import type { Rng } from '../../core/rng.js';

export interface PolyNet {
  /** Input dimension d, hidden width h, activation degree r, negative-side factor α. */
  readonly d: number;
  readonly h: number;
  readonly r: number;
  readonly alpha: number;
  /** p = r + 1 and P = h(d + 1). */
  readonly degree: number;
  readonly size: number;
}

export function polyNet(d: number, h: number, r: number, alpha: number): PolyNet {
  return { d, h, r, alpha, degree: r + 1, size: h * (d + 1) };
}

/** σ(z). */
export function polyLeaky(z: number, r: number, alpha: number): number {
  const m = Math.pow(Math.abs(z), r);
  return z >= 0 ? m : -alpha * m;
}

/** σ'(z) = r|z|^{r−1} (z ≥ 0), rα|z|^{r−1} (z < 0) (at z = 0 and r = 1: the right derivative 1). */
export function polyLeakyDerivative(z: number, r: number, alpha: number): number {
  const m = r === 1 ? 1 : r * Math.pow(Math.abs(z), r - 1);
  return z >= 0 ? m : alpha * m;
}

/**
 * The data term of the network on a fixed data set X (n×d row-major), y (n): `forward` writes
 * H(X; u) into `out` (n); `pullback` writes Jᵀe = ∂(eᵀH(X; u))/∂u into `grad` (P).
 */
export interface PolyProblem {
  readonly net: PolyNet;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly n: number;
  forward(u: Float64Array, out: Float64Array): void;
  pullback(u: Float64Array, e: Float64Array, grad: Float64Array): void;
  /** N(u) and, when `grad` is given, ∇N(u). */
  ncf(u: Float64Array, grad?: Float64Array): number;
  /** ½‖H(X; w) − y‖² and its gradient in the original weights w (into `grad`). */
  loss(w: Float64Array, grad: Float64Array): number;
}

export function polyProblem(net: PolyNet, x: Float64Array, y: Float64Array): PolyProblem {
  const { d, h, r, alpha } = net;
  const n = y.length;
  if (x.length !== n * d) throw new RangeError(`polyProblem: x has ${x.length} entries, expected n·d = ${n * d}`);
  const H = new Float64Array(n);
  const e = new Float64Array(n);
  const forward = (u: Float64Array, out: Float64Array): void => {
    out.fill(0);
    for (let j = 0; j < h; j++) {
      const a = u[j];
      const o = h + j * d;
      for (let i = 0; i < n; i++) {
        let z = 0;
        for (let k = 0; k < d; k++) z += u[o + k] * x[i * d + k];
        out[i] += a * polyLeaky(z, r, alpha);
      }
    }
  };
  const pullback = (u: Float64Array, err: Float64Array, grad: Float64Array): void => {
    grad.fill(0);
    for (let j = 0; j < h; j++) {
      const a = u[j];
      const o = h + j * d;
      for (let i = 0; i < n; i++) {
        let z = 0;
        for (let k = 0; k < d; k++) z += u[o + k] * x[i * d + k];
        grad[j] += err[i] * polyLeaky(z, r, alpha);
        const c = err[i] * a * polyLeakyDerivative(z, r, alpha);
        if (c !== 0) for (let k = 0; k < d; k++) grad[o + k] += c * x[i * d + k];
      }
    }
  };
  return {
    net, x, y, n, forward, pullback,
    ncf(u, grad) {
      forward(u, H);
      let v = 0;
      for (let i = 0; i < n; i++) v += y[i] * H[i];
      if (grad) pullback(u, y, grad);
      return v;
    },
    loss(w, grad) {
      forward(w, H);
      let l = 0;
      for (let i = 0; i < n; i++) {
        e[i] = H[i] - y[i];
        l += e[i] * e[i];
      }
      pullback(w, e, grad);
      return 0.5 * l;
    },
  };
}

/**
 * A unit initial direction ŵ with the balance of every KKT point (theory/kumar-haupt.md#balance):
 * a and W drawn N(0, 1) from `rng`, rescaled to ‖a‖² = 1/p and ‖W‖² = r/p.
 */
export function balancedPolyDirection(net: PolyNet, rng: Rng): Float64Array {
  const u = new Float64Array(net.size);
  for (let i = 0; i < u.length; i++) u[i] = rng.normal();
  const scale = (from: number, to: number, target: number) => {
    let s = 0;
    for (let i = from; i < to; i++) s += u[i] * u[i];
    const f = Math.sqrt(target / s);
    for (let i = from; i < to; i++) u[i] *= f;
  };
  scale(0, net.h, 1 / net.degree);
  scale(net.h, net.size, net.r / net.degree);
  return u;
}
