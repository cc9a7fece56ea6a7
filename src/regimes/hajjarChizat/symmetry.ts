/**
 * How far a particle measure is from the symmetry classes of Hajjar & Chizat 2023 (arXiv
 * 2211.08771, §3: symmetries of target and input law preserved by the mean-field dynamics;
 * theory/meanfield.md#symmetries), for ReLU particles (a_j, w_j), f = (1/m) Σ a_j relu(w_j·x),
 * x ~ N(0, vI). Each is 0 on a symmetric measure and O(m^{−1/2}) for m i.i.d. draws of one:
 *
 * - odd targets, symmetry (a, w) → (−a, −w): the even part of f,
 *   f_e(x) = (1/2m) Σ a_j |w_j·x|, ‖f_e‖²_{L²} = (1/4m²) Σ_jl a_j a_l E|u_j||u_l|,
 *   E|u||u'| = (v/π)‖w‖‖w'‖(2 sin θ + (π − 2θ) cos θ)   [derived: |u| = relu(u) + relu(−u) and
 *   the arc-cosine kernel, theory/meanfield.md#pair-kernel];
 * - even targets, symmetry (a, w) → (a, −w): the odd part f_o(x) = c·x, c = (1/2m) Σ a_j w_j,
 *   ‖f_o‖ = √v ‖c‖;
 * - targets on the first d_H coordinates, rotations of the complement: the first moment
 *   ‖(1/m) Σ a_j w_⊥j‖ and the relative anisotropy ‖M − (tr M/d_⊥) I‖_F / (tr M/d_⊥) of
 *   M = (1/m) Σ w_⊥j w_⊥jᵀ (0 for a rotation-invariant law, O(m^{−1/2}) for draws of one).
 */
import type { ParticleShape } from '../../limits/meanfield/particles.js';

/** ‖f_e‖_{L²(N(0, vI))} of the state y (O(m²d)). */
export function evenPartNorm(y: Float64Array, s: ParticleShape, v: number): number {
  const { m, d } = s;
  const nrm = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    let q = 0;
    for (let k = 0; k < d; k++) q += y[m + j * d + k] ** 2;
    nrm[j] = Math.sqrt(q);
  }
  let acc = 0;
  for (let j = 0; j < m; j++) {
    if (nrm[j] === 0) continue;
    acc += y[j] * y[j] * Math.PI * nrm[j] * nrm[j]; // θ = 0: π‖w‖²
    for (let l = j + 1; l < m; l++) {
      if (nrm[l] === 0) continue;
      let dot = 0;
      for (let k = 0; k < d; k++) dot += y[m + j * d + k] * y[m + l * d + k];
      const c = Math.max(-1, Math.min(1, dot / (nrm[j] * nrm[l])));
      const th = Math.acos(c);
      acc += 2 * y[j] * y[l] * nrm[j] * nrm[l] * (2 * Math.sin(th) + (Math.PI - 2 * th) * c);
    }
  }
  return Math.sqrt(Math.max(0, (v / Math.PI) * acc) / (4 * m * m));
}

/** ‖f_o‖ = √v ‖(1/2m) Σ a_j w_j‖. */
export function oddPartNorm(y: Float64Array, s: ParticleShape, v: number): number {
  const { m, d } = s;
  let q = 0;
  for (let k = 0; k < d; k++) {
    let c = 0;
    for (let j = 0; j < m; j++) c += y[j] * y[m + j * d + k];
    q += (c / (2 * m)) ** 2;
  }
  return Math.sqrt(v * q);
}

/** First moment and relative anisotropy of w_⊥ (coordinates dH..d−1), see the module comment. */
export function perpendicularAsymmetry(y: Float64Array, s: ParticleShape, dH: number): { moment: number; anisotropy: number } {
  const { m, d } = s;
  const dp = d - dH;
  const first = new Float64Array(dp);
  const M = new Float64Array(dp * dp);
  for (let j = 0; j < m; j++) {
    const o = m + j * d + dH;
    for (let k = 0; k < dp; k++) {
      first[k] += y[j] * y[o + k];
      for (let l = 0; l < dp; l++) M[k * dp + l] += y[o + k] * y[o + l];
    }
  }
  let tr = 0;
  for (let k = 0; k < dp; k++) tr += M[k * dp + k];
  const mean = tr / dp;
  let off = 0;
  for (let k = 0; k < dp; k++) for (let l = 0; l < dp; l++) off += (M[k * dp + l] - (k === l ? mean : 0)) ** 2;
  return { moment: Math.hypot(...first) / m, anisotropy: mean > 0 ? Math.sqrt(off) / mean : NaN };
}

/** Mass-weighted alignment with H: Σ a_j² cos²θ_j / Σ a_j², cos θ_j = ‖w_{j,H}‖/‖w_j‖ (`cosines` from angles.ts). */
export function weightedAlignment(y: Float64Array, s: ParticleShape, cosines: Float64Array): number {
  let num = 0, den = 0;
  for (let j = 0; j < s.m; j++) {
    num += y[j] * y[j] * cosines[j] * cosines[j];
    den += y[j] * y[j];
  }
  return num / den;
}
