/**
 * Exact learning dynamics of deep linear networks from small, balanced, decoupled initial weights
 * (Saxe, McClelland, Ganguli 2014, arXiv 1312.6120; theory/deeplinear.md#saxe; theory/deeplinear.md#saxe).
 *
 * With whitened inputs (Σ^{11} = E[x xᵀ] = I), input–output correlation Σ^{31} = E[y xᵀ] = U S Vᵀ
 * and gradient flow τ dW/dt = −∂(½ E|y − f|²)/∂W (τ = 1/η), a network of m weight matrices started
 * at W^1 = R_1 A Vᵀ, W^i = R_i A R_{i−1}ᵀ, W^m = U A R_{m−1}ᵀ (R_i orthonormal frames, A diagonal,
 * the same in every layer: balanced) stays decoupled, and each mode strength u_α = U_αᵀ W^m⋯W^1 V_α
 * obeys (m = N_l − 1 in the paper's count of neuron layers N_l)
 *
 *   τ u' = m u^{2 − 2/m} (s − u),
 *
 * which for m = 2 (one hidden layer) is τ u' = 2u(s − u) with the closed form (their Eq. 6–7)
 *   u(t) = s e^{2st/τ} / (e^{2st/τ} − 1 + s/u_0) = s / (1 + (s/u_0 − 1) e^{−2st/τ}).
 */
import { type Mat, mat } from '../../core/matrix.js';
import { eigh } from '../../core/eigh.js';
import { type Solution, odex, solve } from '../../core/ode/solve.js';

/** Two weight matrices: u(t) for strength s, initial u0 ∈ (0, s), time constant τ (Saxe et al. Eq. 7). */
export function saxeTwoLayer(s: number, u0: number, t: number, tau: number): number {
  return s / (1 + (s / u0 - 1) * Math.exp((-2 * s * t) / tau));
}

/** Right-hand side τ u' = m u^{2−2/m} (s − u) of one mode of an m-matrix network. */
export function saxeModeRate(m: number, s: number, u: number, tau: number): number {
  return (m * Math.pow(Math.max(u, 0), 2 - 2 / m) * (s - u)) / tau;
}

/** Integrate the mode ODE with the ODE adapter: u at each of `times` (ascending, from 0). */
export function saxeModeTrajectory(m: number, s: number, u0: number, times: number[], tau: number): { u: Float64Array; solution: Solution } {
  const sol = solve((_t, y, dy) => { dy[0] = saxeModeRate(m, s, y[0], tau); }, odex({ rtol: 1e-10, atol: 1e-14 }), times[0] ?? 0, new Float64Array([u0]), { ts: times }, null);
  return { u: Float64Array.from(sol.ys, (y) => y[0]), solution: sol };
}

/**
 * Time for a mode to grow from u0 to uf (0 < u0 < uf < s): t = τ ∫ du / (m u^{2−2/m}(s − u)).
 * m = 2: closed form t = (τ/2s) ln(uf (s − u0) / (u0 (s − uf))) (Saxe et al. Eq. 8); m > 2:
 * composite 8-point Gauss–Legendre in z = ln u (smooth integrand), 400 panels.
 */
export function saxeLearningTime(m: number, s: number, u0: number, uf: number, tau: number): number {
  if (!(u0 > 0 && uf > u0 && uf < s)) throw new RangeError(`saxeLearningTime: need 0 < u0 < uf < s, got u0 = ${u0}, uf = ${uf}, s = ${s}`);
  if (m === 2) return (tau / (2 * s)) * Math.log((uf * (s - u0)) / (u0 * (s - uf)));
  const g = (z: number) => {
    const u = Math.exp(z);
    return 1 / (m * Math.pow(u, 1 - 2 / m) * (s - u));
  };
  return tau * gaussLegendre(g, Math.log(u0), Math.log(uf), 400);
}

/** Time for a mode to reach half its final strength from u0 (m = 2: (τ/2s) ln(s/u0 − 1)). */
export function saxeHalfTime(m: number, s: number, u0: number, tau: number): number {
  return saxeLearningTime(m, s, u0, s / 2, tau);
}

const GL8_X = [0.1834346424956498, 0.525532409916329, 0.7966664774136267, 0.9602898564975363];
const GL8_W = [0.362683783378362, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763];

function gaussLegendre(g: (z: number) => number, a: number, b: number, panels: number): number {
  const h = (b - a) / panels;
  let total = 0;
  for (let p = 0; p < panels; p++) {
    const c = a + (p + 0.5) * h;
    let s = 0;
    for (let i = 0; i < 4; i++) s += GL8_W[i] * (g(c - 0.5 * h * GL8_X[i]) + g(c + 0.5 * h * GL8_X[i]));
    total += 0.5 * h * s;
  }
  return total;
}

/** Thin SVD M = U diag(s) Vᵀ of a k×D matrix with rank r ≤ min(k, D), from eigh(MᵀM); s descending. */
export function thinSvd(M: Mat, tol = 1e-12): { U: Mat; s: Float64Array; V: Mat } {
  const k = M.rows;
  const D = M.cols;
  const mtm = mat(D, D);
  for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) {
    let acc = 0;
    for (let q = 0; q < k; q++) acc += M.data[q * D + i] * M.data[q * D + j];
    mtm.data[i * D + j] = acc;
  }
  const e = eigh(mtm);
  const order = Array.from({ length: D }, (_, i) => D - 1 - i); // descending
  const top = Math.max(e.values[D - 1], 0);
  const keep = order.filter((j) => e.values[j] > tol * Math.max(top, 1e-300)).slice(0, Math.min(k, D));
  const r = keep.length;
  const U = mat(k, r);
  const V = mat(D, r);
  const s = new Float64Array(r);
  keep.forEach((j, a) => {
    s[a] = Math.sqrt(e.values[j]);
    for (let i = 0; i < D; i++) V.data[i * r + a] = e.vectors.data[i * D + j];
    for (let q = 0; q < k; q++) {
      let acc = 0;
      for (let i = 0; i < D; i++) acc += M.data[q * D + i] * V.data[i * r + a];
      U.data[q * r + a] = acc / s[a];
    }
  });
  return { U, s, V };
}

/**
 * Balanced, decoupled initial weights of an m-matrix network of width N ≥ r (Saxe et al. §2):
 * every layer carries mode α with strength a_α = u0_α^{1/m}, the hidden frames R_i being the
 * first r coordinate vectors. Returns W^1 (N×D), W^2..W^{m−1} (N×N), W^m (k×N); the product
 * W^m⋯W^1 is U diag(u0) Vᵀ.
 */
export function decoupledBalancedWeights(U: Mat, V: Mat, u0: ArrayLike<number>, width: number, m: number): Mat[] {
  const r = U.cols;
  if (V.cols !== r || u0.length !== r) throw new RangeError('decoupledBalancedWeights: U, V and u0 disagree on the number of modes');
  if (width < r) throw new RangeError(`decoupledBalancedWeights: width ${width} < number of modes ${r}`);
  if (m < 2) throw new RangeError(`decoupledBalancedWeights: need at least 2 weight matrices, got ${m}`);
  const k = U.rows;
  const D = V.rows;
  const a = Array.from(u0, (u) => Math.pow(u, 1 / m));
  const out: Mat[] = [];
  const first = mat(width, D);
  for (let al = 0; al < r; al++) for (let i = 0; i < D; i++) first.data[al * D + i] = a[al] * V.data[i * r + al];
  out.push(first);
  for (let l = 1; l < m - 1; l++) {
    const w = mat(width, width);
    for (let al = 0; al < r; al++) w.data[al * width + al] = a[al];
    out.push(w);
  }
  const last = mat(k, width);
  for (let q = 0; q < k; q++) for (let al = 0; al < r; al++) last.data[q * width + al] = a[al] * U.data[q * r + al];
  out.push(last);
  return out;
}

/** Mode strengths u_α = U_αᵀ M V_α of an end-to-end map M (k×D). */
export function modeStrengths(M: Mat, U: Mat, V: Mat): Float64Array {
  const r = U.cols;
  const k = M.rows;
  const D = M.cols;
  const out = new Float64Array(r);
  for (let al = 0; al < r; al++) {
    let acc = 0;
    for (let q = 0; q < k; q++) for (let i = 0; i < D; i++) acc += U.data[q * r + al] * M.data[q * D + i] * V.data[i * r + al];
    out[al] = acc;
  }
  return out;
}
