/**
 * The rank-one KKT conditions of the NCF for the one-hidden-layer polynomial-leaky-ReLU network
 * (polyNet.ts; Kumar & Haupt 2024, arXiv 2403.08121, §4; derived for this architecture in
 * theory/kumar-haupt.md#rank-one-conditions). A unit vector u = (a, W) with N(u) > 0 is a KKT point
 * of max N s.t. ‖u‖ = 1 whose first layer is rank one (w_j = z_j v) iff, for every active neuron j
 * (‖(a_j, w_j)‖ > 0), with s_j = sign z_j and g(w) = Σ_i y_i σ(wᵀx_i):
 *
 *   (R) every active w_j is parallel to ±v                               (rank one);
 *   (D) s_j v is a KKT point of g on the unit sphere: ∇g(s_j v) = r g(s_j v) s_j v;
 *   (B) r a_j² = ‖w_j‖²                                                  (neuron balance);
 *   (S) sign a_j = sign g(s_j v);
 *   (L) √r |g(s_j v)| ‖w_j‖^{r−1} = λ = p N(u)                           (one multiplier).
 *
 * Each is returned as a residual (0 when it holds exactly): the largest over active neurons.
 */
import type { PolyProblem } from './polyNet.js';
import { polyLeaky, polyLeakyDerivative } from './polyNet.js';

export interface RankOneConditions {
  /** Neurons with ‖(a_j, w_j)‖ > 10⁻³ max_k ‖(a_k, w_k)‖. */
  active: number;
  /** (R): max_j (1 − |cos(w_j, v)|), v the direction of the largest active neuron. */
  rank: number;
  /** (D): max_j ‖∇g(s_j v) − r g s_j v‖ / ‖∇g(s_j v)‖. */
  direction: number;
  /** (B): max_j |r a_j² − ‖w_j‖²| / ‖w_j‖². */
  balance: number;
  /** (S): number of active neurons with sign a_j ≠ sign g(s_j v). */
  signViolations: number;
  /** (L): max_j |√r |g(s_j v)| ‖w_j‖^{r−1} / (p N(u)) − 1|. */
  multiplier: number;
}

/** g(w) and ∇g(w) (into `grad`) for one neuron's input weights w (length d). */
export function neuronCorrelation(prob: PolyProblem, w: Float64Array, grad: Float64Array): number {
  const { d, r, alpha } = prob.net;
  grad.fill(0);
  let g = 0;
  for (let i = 0; i < prob.n; i++) {
    let z = 0;
    for (let k = 0; k < d; k++) z += w[k] * prob.x[i * d + k];
    g += prob.y[i] * polyLeaky(z, r, alpha);
    const c = prob.y[i] * polyLeakyDerivative(z, r, alpha);
    for (let k = 0; k < d; k++) grad[k] += c * prob.x[i * d + k];
  }
  return g;
}

export function rankOneConditions(prob: PolyProblem, u: Float64Array): RankOneConditions {
  const { d, h, r } = prob.net;
  const p = prob.net.degree;
  const row = (j: number) => u.subarray(h + j * d, h + (j + 1) * d);
  const wNorm = (j: number) => Math.hypot(...row(j));
  const size = Array.from({ length: h }, (_x, j) => Math.hypot(u[j], wNorm(j)));
  const top = size.indexOf(Math.max(...size));
  const active = size.map((s, j) => (s > 1e-3 * size[top] ? j : -1)).filter((j) => j >= 0);
  const v = Float64Array.from(row(top)).map((x) => x / wNorm(top));
  const lambda = p * prob.ncf(u);
  const grad = new Float64Array(d);
  const sv = new Float64Array(d);
  const out: RankOneConditions = { active: active.length, rank: 0, direction: 0, balance: 0, signViolations: 0, multiplier: 0 };
  for (const j of active) {
    const w = row(j);
    const nw = wNorm(j);
    let c = 0;
    for (let k = 0; k < d; k++) c += w[k] * v[k];
    c /= nw;
    out.rank = Math.max(out.rank, 1 - Math.abs(c));
    const s = c >= 0 ? 1 : -1;
    for (let k = 0; k < d; k++) sv[k] = s * v[k];
    const g = neuronCorrelation(prob, sv, grad);
    let res = 0, gg = 0;
    for (let k = 0; k < d; k++) {
      res += (grad[k] - r * g * sv[k]) ** 2;
      gg += grad[k] ** 2;
    }
    out.direction = Math.max(out.direction, Math.sqrt(res / gg));
    out.balance = Math.max(out.balance, Math.abs(r * u[j] * u[j] - nw * nw) / (nw * nw));
    if (Math.sign(u[j]) !== Math.sign(g)) out.signViolations++;
    out.multiplier = Math.max(out.multiplier, Math.abs((Math.sqrt(r) * Math.abs(g) * Math.pow(nw, r - 1)) / lambda - 1));
  }
  return out;
}
