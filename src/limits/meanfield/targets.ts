/**
 * Targets f* of the exact population risk for x ~ N(0, v I_d), and the two expectations the
 * particle flow needs for an ABReLU(p, q) student neuron (theory/meanfield.md#targets):
 *
 *   P(w) = E[φ(w·x) f*(x)],   ∇P(w) = E[φ'(w·x) f*(x) x],   and E f*² (for the risk value).
 *
 * - `linear`: f* = β·x. P = ((p+q)/2) v β·w.
 * - `odd`: any odd f* (f*(−x) = −f*(x)), known through X̄ = E[f* x] and E f*². Since
 *   φ(u) = ((p+q)/2) u + ((q−p)/2)|u| and E[|w·x| f*] = 0 by parity, P = ((p+q)/2) w·X̄ exactly.
 *   `linear` is the case X̄ = vβ. {@link cubicOddTarget} is Hajjar–Chizat's target.
 * - `teacher-relu`: f* = c0 + Σ_k c_k relu(u_k·x) (the data module's teacher, mean-centred);
 *   P = c0 E[φ(w·x)] + Σ_k c_k E[φ(w·x) relu(u_k·x)] by the arc-cosine formulas of arccos.ts.
 */
import { type Mat, mat } from '../../core/matrix.js';
import type { Rng } from '../../core/rng.js';
import type { Target } from '../../data/target.js';
import {
  abreluMean, abreluMeanGrad, abreluReluCross, abreluReluCrossGrad, reluPairKernel,
} from './arccos.js';

export type PopulationTarget =
  | { kind: 'linear'; beta: Float64Array }
  | { kind: 'odd'; xbar: Float64Array; energy: number; f?: (x: Float64Array) => number; label: string }
  | { kind: 'teacher-relu'; weights: Mat; coeffs: Float64Array; offset: number }
  | { kind: 'even-quadratic'; z: Float64Array; scale: number; variance: number };

/** Input dimension d of a target. */
export function targetDim(t: PopulationTarget): number {
  switch (t.kind) {
    case 'linear': return t.beta.length;
    case 'odd': return t.xbar.length;
    case 'teacher-relu': return t.weights.cols;
    case 'even-quadratic': return t.z.length;
  }
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>, n = a.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

/**
 * P(w) = E[φ(w·x) f*(x)] and ∇P(w) (into `grad`, length d) for ABReLU(p, q), x ~ N(0, vI).
 * `scratch` (length d) avoids allocation in loops over particles.
 */
export function targetProjection(
  t: PopulationTarget, p: number, q: number, v: number, w: Float64Array, grad: Float64Array, scratch: Float64Array,
): number {
  const d = w.length;
  const h = 0.5 * (p + q);
  switch (t.kind) {
    case 'linear':
      for (let i = 0; i < d; i++) grad[i] = h * v * t.beta[i];
      return h * v * dot(w, t.beta);
    case 'odd':
      for (let i = 0; i < d; i++) grad[i] = h * t.xbar[i];
      return h * dot(w, t.xbar);
    case 'teacher-relu': {
      let P = t.offset * abreluMean(p, q, w, v);
      abreluMeanGrad(p, q, w, v, grad);
      for (let i = 0; i < d; i++) grad[i] *= t.offset;
      const U = t.weights;
      for (let k = 0; k < U.rows; k++) {
        const u = U.data.subarray(k * d, (k + 1) * d);
        const c = t.coeffs[k];
        P += c * abreluReluCross(p, q, w, u, v);
        abreluReluCrossGrad(p, q, w, u, v, scratch);
        for (let i = 0; i < d; i++) grad[i] += c * scratch[i];
      }
      return P;
    }
    case 'even-quadratic': {
      // P = ((q−p)/2) E[|w·x| f*] = ((q−p)/2) C √(2/π) v^{3/2} Σ z_k w_k²/‖w‖ (theory/meanfield.md#even-target)
      const nw = Math.sqrt(dot(w, w));
      const k = 0.5 * (q - p) * t.scale * Math.sqrt(2 / Math.PI) * Math.pow(v, 1.5);
      if (nw === 0) { grad.fill(0); return 0; }
      let S = 0;
      for (let i = 0; i < d; i++) S += t.z[i] * w[i] * w[i];
      for (let i = 0; i < d; i++) grad[i] = k * (2 * t.z[i] * w[i] / nw - S * w[i] / (nw * nw * nw));
      return k * S / nw;
    }
  }
}

/** E f*² under x ~ N(0, vI). */
export function targetEnergy(t: PopulationTarget, v: number): number {
  switch (t.kind) {
    case 'linear': return v * dot(t.beta, t.beta);
    case 'odd': return t.energy;
    case 'teacher-relu': {
      const U = t.weights;
      const d = U.cols;
      const row = (k: number) => U.data.subarray(k * d, (k + 1) * d);
      let s = t.offset * t.offset;
      for (let k = 0; k < U.rows; k++) {
        s += 2 * t.offset * t.coeffs[k] * abreluMean(0, 1, row(k), v);
        for (let l = 0; l < U.rows; l++) s += t.coeffs[k] * t.coeffs[l] * reluPairKernel(row(k), row(l), v);
      }
      return s;
    }
    case 'even-quadratic': return 2 * v * v * t.scale * t.scale * dot(t.z, t.z);
  }
}

/** f*(x) for one input x (length d). An `odd` target without `f` cannot be sampled. */
export function targetValue(t: PopulationTarget, x: Float64Array): number {
  switch (t.kind) {
    case 'linear': return dot(t.beta, x);
    case 'odd':
      if (!t.f) throw new RangeError(`targetValue: the odd target ${t.label} has no pointwise formula`);
      return t.f(x);
    case 'teacher-relu': {
      const U = t.weights;
      const d = U.cols;
      let s = t.offset;
      for (let k = 0; k < U.rows; k++) {
        const z = dot(U.data.subarray(k * d, (k + 1) * d), x, d);
        if (z > 0) s += t.coeffs[k] * z;
      }
      return s;
    }
    case 'even-quadratic': {
      let s = 0;
      for (let i = 0; i < x.length; i++) s += t.z[i] * x[i] * x[i];
      return t.scale * s - t.scale * t.variance * sum(t.z);
    }
  }
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

/**
 * An even target for the symmetry experiments (Hajjar, Chizat 2023, arXiv 2211.08771, symmetric
 * targets; theory/meanfield.md#even-target): f*(x) = C Σ_k z_k (x_k² − v), x ~ N(0, vI), with
 * ½E f*² = 1: Var x_k² = 2v², so E f*² = 2v²C²‖z‖² and C = 1/(v‖z‖). Zero mean; supported on
 * the coordinates where z ≠ 0 (a subspace target when z vanishes outside them).
 */
export function quadraticEvenTarget(v: number, z: Float64Array): PopulationTarget & { kind: 'even-quadratic' } {
  const C = 1 / (v * Math.sqrt(dot(z, z)));
  return { kind: 'even-quadratic', z: z.slice(), scale: C, variance: v };
}

/**
 * Hajjar–Chizat's odd target (theory/meanfield.md#odd-target; Hajjar, Chizat 2023, arXiv 2211.08771, odd targets):
 * f*(x) = C Σ_k z_k x_k³ with x ~ N(0, vI), C chosen so that ½ E f*² = 1.
 * E(Σ z_k x_k³)² = 15 v³ ‖z‖² (E x⁶ = 15v³, odd moments vanish), so C = √(2/(15 v³ ‖z‖²)),
 * and X̄ = E[f* x] = 3 C v² z (E x⁴ = 3v²). `z` defaults to a standard Gaussian draw from `rng`.
 */
export function cubicOddTarget(d: number, v: number, zOrRng: Float64Array | Rng): PopulationTarget & { kind: 'odd' } {
  const z = zOrRng instanceof Float64Array ? zOrRng.slice() : zOrRng.fillNormal(new Float64Array(d));
  if (z.length !== d) throw new RangeError(`cubicOddTarget: z has length ${z.length}, expected ${d}`);
  const C = Math.sqrt(2 / (15 * v * v * v * dot(z, z)));
  const xbar = new Float64Array(d);
  for (let i = 0; i < d; i++) xbar[i] = 3 * C * v * v * z[i];
  const f = (x: Float64Array) => {
    let s = 0;
    for (let i = 0; i < d; i++) s += z[i] * x[i] * x[i] * x[i];
    return C * s;
  };
  return { kind: 'odd', xbar, energy: 2, f, label: `cubic C Σ z_k x_k³ (d=${d})` };
}

/**
 * The population target of output `col` of a data-module target (src/data/target.ts) for the
 * gaussian source (x ~ N(0, I), so v = 1): `linear` β·x/√d → β/√d; `teacher-relu`
 * (g − E g)/√Var g with g = Σ a_j relu(w_j·x/√d) → u_j = w_j/√d, c_j = a_j/std, c0 = −mean/std.
 * Returns null for targets with no closed-form expectations (`sign`, expressions).
 */
export function populationTargetOf(t: Target, d: number, col = 0): PopulationTarget | null {
  const s = 1 / Math.sqrt(d);
  switch (t.kind) {
    case 'linear': {
      const beta = new Float64Array(d);
      for (let i = 0; i < d; i++) beta[i] = s * t.beta.data[col * d + i];
      return { kind: 'linear', beta };
    }
    case 'teacher-relu': {
      const th = t.teachers[col];
      const weights = mat(th.width, d);
      for (let i = 0; i < weights.data.length; i++) weights.data[i] = s * th.w.data[i];
      const coeffs = new Float64Array(th.width);
      for (let j = 0; j < th.width; j++) coeffs[j] = th.a[j] / th.std;
      return { kind: 'teacher-relu', weights, coeffs, offset: -th.mean / th.std };
    }
    case 'sign':
    case 'expression':
      return null;
  }
}
