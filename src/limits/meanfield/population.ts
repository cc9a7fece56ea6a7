/**
 * The particle velocity of the exact population risk, x ~ N(0, v I_d), ABReLU(p, q) activation
 * (theory/meanfield.md#model; Mei, Montanari, Nguyen 2018, arXiv 1804.06561, Eq. (3)–(6); Chizat, Bach 2018,
 * arXiv 1805.09545, §2; formulas in theory/meanfield.md#population-velocity):
 *
 *   ȧ_j = −(F_j − P(w_j)),   ẇ_j = −κ a_j (G_j − ∇P(w_j)),
 *   F_j = (1/m) Σ_l a_l E[φ(w_j·x) φ(w_l·x)] = (1/m) [pq v w_j·u + (q−p)² (v/2π) Σ_l a_l K̃_jl],
 *   G_j = (1/m) Σ_l a_l ∇_1 E[φφ]           = (1/m) [pq v u + (q−p)² (v/2π) (S_j ŵ_j + T_j)],
 *
 * with u = Σ_l a_l w_l, K̃_jl = sin θ_jl ‖w_j‖‖w_l‖ + (π − θ_jl) w_j·w_l, S_j = Σ_l a_l sin θ_jl ‖w_l‖,
 * T_j = Σ_l a_l (π − θ_jl) w_l, and P, ∇P the target projections of targets.ts.
 *
 * The pair sums (pairSums.ts) are the hot loop: all m² pairs, each unordered pair visited once,
 * no allocation inside. Risk R = ½ (E f² − 2 E f f* + E f*²) is
 * a by-product (E f² = (1/m) Σ_j a_j F_j).
 */
import type { ParticleShape, MeanFieldModel } from './particles.js';
import { abreluSlopes } from './arccos.js';
import { INV_2PI, clipRho, piMinusTheta, sinTheta } from '../../core/arccos.js';
import { type PairSums, compilePairSums, pairSumsReference } from './pairSums.js';
import { type PopulationTarget, targetDim, targetEnergy, targetProjection } from './targets.js';

/** The exact population risk for x ~ N(0, variance · I). */
export interface PopulationRisk {
  readonly kind: 'population';
  /** v: E[x xᵀ] = v I. */
  readonly variance: number;
  readonly target: PopulationTarget;
}

const PI = Math.PI;

/** Velocity (and risk) of the population risk for a fixed particle shape; buffers preallocated. */
export interface PopulationField {
  /** dy ← velocity at state y (layout of particles.ts). Returns the risk R at y. */
  velocity(y: Float64Array, dy: Float64Array): number;
  /** The risk R at y (the same pair loop without the vector sums). */
  risk(y: Float64Array): number;
}

/**
 * The population field of `model` and `risk` for `shape`. `unrolled` (default true) uses the
 * generated pair loop of pairSums.ts; false, the plain one (for tests).
 */
export function createPopulationField(
  model: MeanFieldModel, risk: PopulationRisk, shape: ParticleShape, unrolled = true,
): PopulationField {
  const { m, d } = shape;
  if (targetDim(risk.target) !== d) {
    throw new RangeError(`population risk: target lives in R^${targetDim(risk.target)}, particles in R^${d}`);
  }
  const { p, q } = abreluSlopes(model.activation);
  const v = risk.variance;
  const b = () => new Float64Array(d);
  const w: Work = {
    m, d, p, q, v, target: risk.target, kappa: model.wRate, energy: targetEnergy(risk.target, v),
    pairs: unrolled ? compilePairSums(d) : pairSumsReference,
    nrm: new Float64Array(m), inv: new Float64Array(m), kAcc: new Float64Array(m), sAcc: new Float64Array(m),
    T: new Float64Array(m * d), tj: b(), wj: b(), u: b(), gP: b(), scratch: b(),
    cRelu: (q - p) * (q - p) * v * INV_2PI, cLin: p * q * v,
  };
  return { velocity: (y, dy) => velocity(w, y, dy), risk: (y) => riskOnly(w, y) };
}

/** Sizes, constants and work vectors of one population field. */
interface Work {
  m: number; d: number; p: number; q: number; v: number; target: PopulationTarget; kappa: number; energy: number;
  pairs: PairSums;
  nrm: Float64Array; inv: Float64Array; kAcc: Float64Array; sAcc: Float64Array; T: Float64Array;
  tj: Float64Array; wj: Float64Array; u: Float64Array; gP: Float64Array; scratch: Float64Array;
  cRelu: number; cLin: number;
}

/** ‖w_j‖ and 1/‖w_j‖ (0 for w_j = 0) into w.nrm, w.inv. */
function norms(w: Work, W: Float64Array): void {
  const { m, d, nrm, inv } = w;
  for (let j = 0; j < m; j++) {
    let s = 0;
    const o = j * d;
    for (let k = 0; k < d; k++) s += W[o + k] * W[o + k];
    nrm[j] = Math.sqrt(s);
    inv[j] = s > 0 ? 1 / nrm[j] : 0;
  }
}

/** u = Σ_l a_l w_l into w.u. */
function linearPart(w: Work, a: Float64Array, W: Float64Array): void {
  const { m, d, u } = w;
  u.fill(0);
  for (let l = 0; l < m; l++) {
    const al = a[l];
    const o = l * d;
    for (let k = 0; k < d; k++) u[k] += al * W[o + k];
  }
}

function velocity(w: Work, y: Float64Array, dy: Float64Array): number {
  const { m, d, p, q, v, nrm, inv, kAcc, sAcc, T, tj, wj, u, gP, scratch, cRelu, cLin, kappa } = w;
  const a = y.subarray(0, m);
  const W = y.subarray(m, m * (d + 1));
  norms(w, W);
  linearPart(w, a, W);
  if (cRelu !== 0) w.pairs({ m, d, a, W, nrm, inv, kAcc, sAcc, T, tj });
  let ef2 = 0;
  let eff = 0;
  const invM = 1 / m;
  for (let j = 0; j < m; j++) {
    const o = j * d;
    let wu = 0;
    for (let k = 0; k < d; k++) {
      wj[k] = W[o + k];
      wu += wj[k] * u[k];
    }
    const Fj = invM * (cLin * wu + cRelu * kAcc[j]);
    const Pj = targetProjection(w.target, p, q, v, wj, gP, scratch);
    const aj = a[j];
    ef2 += aj * Fj;
    eff += aj * Pj;
    dy[j] = Pj - Fj;
    const sj = sAcc[j] * inv[j];
    const c = -kappa * aj;
    const dw = m + o;
    for (let k = 0; k < d; k++) {
      const Gk = invM * (cLin * u[k] + cRelu * (sj * wj[k] + T[o + k]));
      dy[dw + k] = c * (Gk - gP[k]);
    }
  }
  return 0.5 * (invM * ef2 - 2 * invM * eff + w.energy);
}

/** Σ_j a_j (½ a_j π ‖w_j‖² + Σ_{l>j} a_l K̃_jl), doubled: the pair part of E f². */
function pairTotalOf(w: Work, a: Float64Array, W: Float64Array): number {
  const { m, d, nrm, inv } = w;
  let pairTotal = 0;
  for (let j = 0; j < m; j++) {
    const oj = j * d;
    const nj = nrm[j];
    const ij = inv[j];
    let row = 0.5 * a[j] * PI * nj * nj;
    for (let l = j + 1; l < m; l++) {
      const ol = l * d;
      let dt = 0;
      for (let k = 0; k < d; k++) dt += W[oj + k] * W[ol + k];
      const c = clipRho(dt * ij * inv[l]);
      row += a[l] * (sinTheta(c) * nj * nrm[l] + piMinusTheta(c) * dt);
    }
    pairTotal += 2 * a[j] * row;
  }
  return pairTotal;
}

function riskOnly(w: Work, y: Float64Array): number {
  const { m, d, p, q, v, u, wj, gP, scratch, cRelu, cLin } = w;
  const a = y.subarray(0, m);
  const W = y.subarray(m, m * (d + 1));
  norms(w, W);
  linearPart(w, a, W);
  let uu = 0;
  for (let k = 0; k < d; k++) uu += u[k] * u[k];
  const pairTotal = cRelu !== 0 ? pairTotalOf(w, a, W) : 0;
  const ef2 = (cLin * uu + cRelu * pairTotal) / (m * m);
  let eff = 0;
  for (let j = 0; j < m; j++) {
    for (let k = 0; k < d; k++) wj[k] = W[j * d + k];
    eff += a[j] * targetProjection(w.target, p, q, v, wj, gP, scratch);
  }
  return 0.5 * (ef2 - (2 * eff) / m + w.energy);
}
