/**
 * The reduced mean-field PDE of a two-layer ReLU network for a target that depends on x_1 only,
 * x ~ N(0, v I_4), κ = 1 (theory/subspace-reduction.md#reduced-pde; Hajjar, Chizat 2023, arXiv
 * 2211.08771, low-dimensional targets): a measure ν over (a, u, r) ∈ R × R × R₊ — output weight,
 * component along e_1, norm of the orthogonal component — discretized by M weighted points
 * (weights ω_i, Σ ω = 1; reducedInit.ts). Each point stands for the rotation orbit of the orthogonal
 * component; the interaction is the averaged kernel K̄ of averagedKernel.ts:
 *
 *   ȧ_i = P_i − F_i,   u̇_i = −a_i (G^u_i − ∂_u P_i),   ṙ_i = −a_i (G^r_i − ∂_r P_i),
 *   F_i = Σ_j ω_j a_j K̄_ij,   G_i = Σ_j ω_j a_j ∇_{(u_i, r_i)} K̄_ij,
 *
 * P(u, r) = E[relu(w·x) f*(x)] at w = (u, r, 0, 0) (targets.ts). State layout: [a (M) | u (M) | r (M)].
 */
import { targetEnergy, targetProjection, type PopulationTarget } from '../targets.js';
import { averagedAngles, type ReducedNeuron, reducedNeuron } from './averagedKernel.js';

/** Weighted points of the reduced measure: state y = [a | u | r] and weights ω (length M). */
export interface ReducedMeasure {
  readonly M: number;
  readonly weights: Float64Array;
}

/** Coefficients b and reduced coordinates (u, r) of a list of neurons: f = Σ b_i relu(w_i·x). */
export interface NeuronList {
  b: ArrayLike<number>;
  u: ArrayLike<number>;
  r: ArrayLike<number>;
}

export interface ReducedField {
  /** dy ← velocity at y; returns the risk at y. */
  velocity(y: Float64Array, dy: Float64Array): number;
}

/** The target must depend on x_1 only: P(w) unchanged by a rotation of (w_2, w_3, w_4). */
function checkTarget(t: PopulationTarget, v: number): void {
  const g = new Float64Array(4), sc = new Float64Array(4);
  const P1 = targetProjection(t, 0, 1, v, Float64Array.of(0.3, -0.7, 0.5, 0.4), g, sc);
  const P2 = targetProjection(t, 0, 1, v, Float64Array.of(0.3, 0.4, -0.7, 0.5), g, sc);
  if (!(Math.abs(P1 - P2) <= 1e-12 * (1 + Math.abs(P1)))) {
    throw new RangeError('reduced PDE: the target must depend on x_1 only (rotation invariance of the complement of e_1)');
  }
}

/** Reduced field for ReLU, x ~ N(0, v I_4), target on span(e_1). */
export function createReducedField(target: PopulationTarget, v: number, measure: ReducedMeasure): ReducedField {
  checkTarget(target, v);
  const { M, weights: om } = measure;
  const cK = v / (2 * Math.PI);
  const energy = targetEnergy(target, v);
  const nb: ReducedNeuron[] = Array.from({ length: M }, () => reducedNeuron(0, 0));
  const kAcc = new Float64Array(M), sAcc = new Float64Array(M), pu = new Float64Array(M), pr = new Float64Array(M);
  const ang = new Float64Array(3);
  const w4 = new Float64Array(4), g4 = new Float64Array(4), sc = new Float64Array(4);
  const velocity = (y: Float64Array, dy: Float64Array): number => {
    const a = y.subarray(0, M), u = y.subarray(M, 2 * M), r = y.subarray(2 * M, 3 * M);
    for (let i = 0; i < M; i++) reducedNeuron(u[i], r[i], nb[i]);
    kAcc.fill(0); sAcc.fill(0); pu.fill(0); pr.fill(0);
    for (let i = 0; i < M; i++) {
      const p = nb[i];
      const bi = om[i] * a[i];
      const ri = Math.abs(r[i]);
      for (let j = i; j < M; j++) {
        const q = nb[j];
        averagedAngles(p, q, ang);
        const S = ang[0], Pi = ang[1], Sg = ang[2];
        const rj = Math.abs(r[j]);
        const kt = p.n * q.n * S + u[i] * u[j] * Pi + ri * rj * Sg;
        const bj = om[j] * a[j];
        kAcc[i] += bj * kt; sAcc[i] += bj * S * q.n; pu[i] += bj * Pi * u[j]; pr[i] += bj * Sg * rj;
        if (j !== i) { kAcc[j] += bi * kt; sAcc[j] += bi * S * p.n; pu[j] += bi * Pi * u[i]; pr[j] += bi * Sg * ri; }
      }
    }
    let ef2 = 0, eff = 0;
    for (let i = 0; i < M; i++) {
      const n = nb[i].n;
      const inv = n > 0 ? 1 / n : 0;
      const sg = r[i] < 0 ? -1 : 1;
      w4[0] = u[i]; w4[1] = Math.abs(r[i]); w4[2] = 0; w4[3] = 0;
      const P = targetProjection(target, 0, 1, v, w4, g4, sc);
      const F = cK * kAcc[i];
      const Gu = cK * (pu[i] + sAcc[i] * u[i] * inv);
      const Gr = cK * (sg * pr[i] + sAcc[i] * r[i] * inv);
      dy[i] = P - F;
      dy[M + i] = -a[i] * (Gu - g4[0]);
      dy[2 * M + i] = -a[i] * (Gr - sg * g4[1]);
      ef2 += om[i] * a[i] * F;
      eff += om[i] * a[i] * P;
    }
    return 0.5 * (ef2 - 2 * eff + energy);
  };
  return { velocity };
}

/**
 * Σ_i Σ_j bA_i bB_j K̄(A_i, B_j): E[f_A f_B] for two networks whose laws are invariant under
 * rotations of the complement of e_1 — or for a finite network A against such a network B, where
 * it is exact (the average over B's orientations is what K̄ computes). O(|A| |B|).
 */
export function crossEnergy(A: NeuronList, B: NeuronList, v: number): number {
  const cK = v / (2 * Math.PI);
  const nB = B.b.length;
  const nbB: ReducedNeuron[] = Array.from({ length: nB }, (_x, j) => reducedNeuron(B.u[j], B.r[j]));
  const p = reducedNeuron(0, 0);
  const ang = new Float64Array(3);
  let total = 0;
  for (let i = 0; i < A.b.length; i++) {
    reducedNeuron(A.u[i], A.r[i], p);
    const ui = A.u[i], ri = Math.abs(A.r[i]);
    let row = 0;
    for (let j = 0; j < nB; j++) {
      const q = nbB[j];
      averagedAngles(p, q, ang);
      row += B.b[j] * (p.n * q.n * ang[0] + ui * B.u[j] * ang[1] + ri * Math.abs(B.r[j]) * ang[2]);
    }
    total += A.b[i] * row;
  }
  return cK * total;
}

/** The neuron list (b = ω a, u, r) of a reduced state. */
export function reducedList(y: Float64Array, measure: ReducedMeasure): NeuronList {
  const { M, weights } = measure;
  const b = new Float64Array(M);
  for (let i = 0; i < M; i++) b[i] = weights[i] * y[i];
  return { b, u: y.subarray(M, 2 * M), r: y.subarray(2 * M, 3 * M) };
}

/** The neuron list (b = a/m, u = w_1, r = ‖(w_2, w_3, w_4)‖) of a particle state in R^4 (particles.ts layout). */
export function particleList(y: Float64Array, m: number, d: number): NeuronList {
  const b = new Float64Array(m), u = new Float64Array(m), r = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    b[j] = y[j] / m;
    const o = m + j * d;
    u[j] = y[o];
    let s = 0;
    for (let k = 1; k < d; k++) s += y[o + k] * y[o + k];
    r[j] = Math.sqrt(s);
  }
  return { b, u, r };
}

/** Mass-weighted alignment Σ ω a² cos²α / Σ ω a² of a reduced state (cos α = u/N). */
export function reducedAlignment(y: Float64Array, measure: ReducedMeasure): number {
  const { M, weights } = measure;
  let num = 0, den = 0;
  for (let i = 0; i < M; i++) {
    const u = y[M + i], r = y[2 * M + i];
    const n2 = u * u + r * r;
    const a2 = weights[i] * y[i] * y[i];
    num += n2 > 0 ? (a2 * u * u) / n2 : 0;
    den += a2;
  }
  return num / den;
}
