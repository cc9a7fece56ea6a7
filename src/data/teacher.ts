/**
 * The `teacher-relu` target (theory/data.md#teacher-relu): a fixed random two-layer ReLU network,
 * shifted and scaled so that under x ~ N(0, I_d) its output has mean 0 and variance 1 exactly.
 *
 *   g(x) = Σ_{j=1..m} a_j relu(w_j·x/√d),   w_j ~ N(0, I_d),  a_j ~ N(0, 1),
 *   f*(x) = (g(x) − E g) / √Var g.
 *
 * The moments are closed-form: u_j = w_j·x/√d are jointly Gaussian with covariance
 * Λ_jk = w_j·w_k/d, E relu(u_j) = √Λ_jj/√(2π), and E relu(u_j) relu(u_k) is the first-order
 * arc-cosine kernel √(Λ_jj Λ_kk)(sin θ + (π − θ) cos θ)/(2π), cos θ = Λ_jk/√(Λ_jj Λ_kk)
 * (Cho & Saul 2009; theory/ntk.md#recursion).
 */
import { mat, type Mat } from '../core/matrix.js';
import type { Rng } from '../core/rng.js';
import { clipRho } from '../core/arccos.js';

export interface ReluTeacher {
  /** Teacher width m. */
  readonly width: number;
  /** First-layer weights w_j, m×d (rows), N(0, 1) entries. */
  readonly w: Mat;
  /** Second-layer weights a_j, length m. */
  readonly a: Float64Array;
  /** E g under x ~ N(0, I_d). */
  readonly mean: number;
  /** √Var g under x ~ N(0, I_d). */
  readonly std: number;
}

/** Default teacher width m of `teacher-relu`. */
export const TEACHER_WIDTH = 16;

/** E relu(u) relu(v) for (u, v) ~ N(0, [[s11, s12], [s12, s22]]) (arc-cosine kernel of order 1). */
export function reluCross(s11: number, s12: number, s22: number): number {
  const r = Math.sqrt(s11 * s22);
  if (r === 0) return 0;
  // ρ clipped by the one rule of core/arccos.ts; sin θ as Math.sin(θ) and the division by 2π
  // last are this function's original arrangement, kept because the teacher's normalization (and
  // so every teacher-relu data set) depends on it to the bit (√(1 − ρ²) moves std by 1 ulp).
  const c = clipRho(s12 / r);
  const th = Math.acos(c);
  return (r * (Math.sin(th) + (Math.PI - th) * c)) / (2 * Math.PI);
}

/**
 * Draw a teacher of width `m` on R^d from `rng`: first the m×d entries of W (row-major), then
 * the m entries of a; then compute its exact mean and standard deviation.
 */
export function drawReluTeacher(d: number, m: number, rng: Rng): ReluTeacher {
  const w = mat(m, d);
  rng.fillNormal(w.data);
  const a = rng.fillNormal(new Float64Array(m));
  const lam = mat(m, m);
  for (let j = 0; j < m; j++) {
    for (let k = 0; k <= j; k++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += w.data[j * d + i] * w.data[k * d + i];
      lam.data[j * m + k] = lam.data[k * m + j] = s / d;
    }
  }
  let mean = 0;
  for (let j = 0; j < m; j++) mean += (a[j] * Math.sqrt(lam.data[j * m + j])) / Math.sqrt(2 * Math.PI);
  let second = 0;
  for (let j = 0; j < m; j++) {
    for (let k = 0; k < m; k++) {
      second += a[j] * a[k] * reluCross(lam.data[j * m + j], lam.data[j * m + k], lam.data[k * m + k]);
    }
  }
  const variance = second - mean * mean;
  return { width: m, w, a, mean, std: Math.sqrt(Math.max(variance, Number.MIN_VALUE)) };
}

/** f*(x) for each row of X (n×d) into column `col` of `out` (n×k). */
export function applyReluTeacher(t: ReluTeacher, X: Mat, out: Mat, col: number): void {
  const d = X.cols;
  const scale = 1 / Math.sqrt(d);
  for (let i = 0; i < X.rows; i++) {
    let g = 0;
    for (let j = 0; j < t.width; j++) {
      let u = 0;
      for (let q = 0; q < d; q++) u += t.w.data[j * d + q] * X.data[i * d + q];
      u *= scale;
      if (u > 0) g += t.a[j] * u;
    }
    out.data[i * out.cols + col] = (g - t.mean) / t.std;
  }
}
