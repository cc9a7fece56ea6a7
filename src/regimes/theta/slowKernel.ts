/**
 * Two comparisons of a trained θ network with its kernel (theory/theta.md#theorem-rate,
 * theory/theta.md#slow-subspace):
 *
 * - `boundRatio`: the θ-lazy theorem's own form (Li, Luo, Zhou 2024, arXiv 2404.04859): a loss
 *   bounded by e^{−ρt} L(0) at every time, ρ = 2λ_min/n the slowest rate of the kernel. The ratio is
 *   min over the saved times of (−ln(L(t)/L(0))/t)/ρ, ≥ 1 when the bound holds on the whole record.
 * - `slowMotion`: the kernel's motion on its slow subspace S = {k : λ_k t_frozen/n ≤ 1} (the modes
 *   still undecayed at the frozen time to the rate level), relative to those modes' own eigenvalues:
 *   η = ‖Λ_S^{−1/2} U_Sᵀ (Θ_T − Θ_0) U_S Λ_S^{−1/2}‖₂.
 */
import { eigh, eighValues } from '../../core/eigh.js';
import { type Mat, mat } from '../../core/matrix.js';

/**
 * min over i with 0 < times[i] ≤ tEnd and 0 < ratios[i] < 1 of (−ln ratios[i]/times[i]) / (2λ/n);
 * NaN when no saved time qualifies or λ ≤ 0.
 */
export function boundRatio(times: readonly number[], ratios: readonly number[], tEnd: number, lambdaMin: number, n: number): number {
  const rho = (2 * lambdaMin) / n;
  if (!(rho > 0)) return NaN;
  let best = Infinity;
  for (let i = 0; i < times.length; i++) {
    const t = times[i], r = ratios[i];
    if (!(t > 0) || t > tEnd || !(r > 0) || !(r < 1)) continue;
    best = Math.min(best, -Math.log(r) / t);
  }
  return Number.isFinite(best) ? best / rho : NaN;
}

export interface SlowMotion {
  /** |S|: eigenvalues of Θ_0 with λ t_frozen/n ≤ 1 (at least one, the smallest). */
  modes: number;
  /** η: the largest relative change of the kernel's quadratic form on S. */
  motion: number;
  /** λ_min(Θ_T)/λ_min(Θ_0). */
  lambdaMinRatio: number;
}

/** S: the indices k (ascending eigenvalues) with λ_k > 0 and λ_k t_frozen/n ≤ 1, and always the least positive one. */
export function slowSet(values: ArrayLike<number>, tFrozen: number, n: number): number[] {
  const idx: number[] = [];
  for (let k = 0; k < values.length; k++) if (values[k] > 0 && (idx.length === 0 || (values[k] * tFrozen) / n <= 1)) idx.push(k);
  return idx;
}

/** η and |S| of {@link SlowMotion} for the n×n kernels at the start (`k0`) and the end (`kT`). */
export function slowMotion(k0: Mat, kT: Mat, tFrozen: number): SlowMotion {
  const n = k0.rows;
  const { values, vectors } = eigh(k0);
  const idx = slowSet(values, tFrozen, n);
  const s = idx.length;
  if (s === 0) return { modes: 0, motion: NaN, lambdaMinRatio: NaN };
  const d = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) d[i] = kT.data[i] - k0.data[i];
  const m = mat(s, s);
  for (let a = 0; a < s; a++) {
    for (let b = 0; b < s; b++) {
      const ka = idx[a], kb = idx[b];
      let q = 0;
      for (let i = 0; i < n; i++) {
        const ui = vectors.data[i * n + ka];
        if (ui === 0) continue;
        for (let j = 0; j < n; j++) q += ui * d[i * n + j] * vectors.data[j * n + kb];
      }
      m.data[a * s + b] = q / Math.sqrt(values[ka] * values[kb]);
    }
  }
  // symmetrize against rounding before the symmetric eigensolver
  for (let a = 0; a < s; a++) for (let b = 0; b < a; b++) m.data[a * s + b] = m.data[b * s + a] = 0.5 * (m.data[a * s + b] + m.data[b * s + a]);
  const ev = eighValues(m);
  let motion = 0;
  for (const v of ev) motion = Math.max(motion, Math.abs(v));
  const lamT = eighValues(kT)[0];
  return { modes: s, motion, lambdaMinRatio: lamT / values[0] };
}
