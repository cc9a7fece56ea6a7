/**
 * The first-order (Duhamel) effect of the kernel's motion on the time to the rate level, split by
 * where it acts (theory/theta.md#feed):
 *
 *   dr/dt = −Θ_t r/n,  Θ_t = Θ̂_0 + Δ_t,  r_k(0) = c_k in the eigenbasis (λ_k, u_k) of Θ̂_0,
 *   r1_k(t) = −(1/n) Σ_j c_j I_kj(t),  I_kj(t) = ∫_0^t e^{−λ_k(t−s)/n} Δ_kj(s) e^{−λ_j s/n} ds,
 *   e_first = t_f/t_meas − 1 ≈ Σ_kj c_k c_j e^{−λ_k t_f/n} I_kj(t_f) / (t_f Σ_k λ_k c_k² e^{−2λ_k t_f/n}),
 *
 * with Δ_s linear in s between the record times (constant after the last one). The sum over (k, j)
 * splits into (a) k, j ∈ S (within the slow subspace), (b) k ∈ S, j ∉ S (fast feeding slow),
 * (c) k ∉ S; S as in slowKernel.ts. The parts sum to the total.
 */
import { eigh } from '../../core/eigh.js';
import type { Mat } from '../../core/matrix.js';
import { slowSet } from './slowKernel.js';

/** The kernel recorded at increasing times; times[0] = 0 holds Θ̂_0. */
export interface KernelPath {
  times: readonly number[];
  kernels: readonly Mat[];
}

export interface FeedSplit {
  /** e_first = (a) + (b) + (c). */
  first: number;
  slowSlow: number;
  fastSlow: number;
  rest: number;
  /** |S|. */
  modes: number;
}

/** ∫_0^1 e^{yτ}(1 − τ) dτ and ∫_0^1 e^{yτ} τ dτ for y ≤ 0 (series near 0, closed form elsewhere). */
export function rampWeights(y: number): [number, number] {
  if (Math.abs(y) < 0.5) {
    let a = 0, b = 0, term = 0.5; // term = y^i/(i+2)!
    for (let i = 0; i < 16; i++) {
      a += term; b += term * (i + 1);
      term *= y / (i + 3);
    }
    return [a, b];
  }
  const e = Math.exp(y);
  return [(e - 1 - y) / (y * y), (e * (y - 1) + 1) / (y * y)];
}

/** The path's kernel at time t, rotated: Uᵀ(Θ_t − Θ̂_0)U (linear between records, constant after the last). */
function rotatedDelta(path: KernelPath, t: number, U: Mat): Float64Array {
  const { times, kernels } = path;
  const n = U.rows, K0 = kernels[0].data;
  let i = times.length - 1;
  while (i > 0 && times[i - 1] >= t) i--;
  const d = new Float64Array(n * n);
  if (t >= times[times.length - 1] || i === 0) {
    const K = kernels[Math.min(i, times.length - 1)].data;
    for (let q = 0; q < n * n; q++) d[q] = K[q] - K0[q];
  } else {
    const w = (t - times[i - 1]) / (times[i] - times[i - 1]);
    const A = kernels[i - 1].data, B = kernels[i].data;
    for (let q = 0; q < n * n; q++) d[q] = (1 - w) * A[q] + w * B[q] - K0[q];
  }
  const tmp = new Float64Array(n * n), out = new Float64Array(n * n);
  for (let a = 0; a < n; a++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let q = 0; q < n; q++) s += U.data[q * n + a] * d[q * n + j];
    tmp[a * n + j] = s;
  }
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) {
    let s = 0;
    for (let q = 0; q < n; q++) s += tmp[a * n + q] * U.data[q * n + b];
    out[a * n + b] = s;
  }
  return out;
}

/** e_first and its split at the frozen time `tFrozen` for the path and the initial residual `r0`. */
export function feedPrediction(path: KernelPath, r0: ArrayLike<number>, tFrozen: number): FeedSplit {
  const K0 = path.kernels[0], n = K0.rows;
  const { values, vectors: U } = eigh(K0);
  const lam = Array.from(values, (v) => Math.max(v, 0));
  const c = new Float64Array(n);
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) c[k] += U.data[i * n + k] * r0[i];
  const inS = new Uint8Array(n);
  for (const k of slowSet(values, tFrozen, n)) inS[k] = 1;
  // the breakpoints of Δ up to t_f
  const knots = [0, ...path.times.filter((s) => s > 0 && s < tFrozen), tFrozen];
  const D = knots.map((s) => rotatedDelta(path, s, U));
  const t = tFrozen;
  const I = new Float64Array(n * n);
  for (let p = 0; p + 1 < knots.length; p++) {
    const s0 = knots[p], s1 = knots[p + 1], h = s1 - s0;
    if (!(h > 0)) continue;
    for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) {
      const x = ((lam[k] - lam[j]) * h) / n;
      const g0 = (-lam[k] * (t - s0) - lam[j] * s0) / n, g1 = (-lam[k] * (t - s1) - lam[j] * s1) / n;
      let w0: number, w1: number;
      if (x <= 0) { const [A, B] = rampWeights(x); w0 = Math.exp(g0) * A; w1 = Math.exp(g0) * B; } else { const [A, B] = rampWeights(-x); w0 = Math.exp(g1) * B; w1 = Math.exp(g1) * A; }
      I[k * n + j] += h * (D[p][k * n + j] * w0 + D[p + 1][k * n + j] * w1);
    }
  }
  let den = 0;
  for (let k = 0; k < n; k++) den += lam[k] * c[k] * c[k] * Math.exp((-2 * lam[k] * t) / n);
  den *= t;
  let a = 0, b = 0, rest = 0;
  for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) {
    const v = (c[k] * c[j] * Math.exp((-lam[k] * t) / n) * I[k * n + j]) / den;
    if (!inS[k]) rest += v; else if (inS[j]) a += v; else b += v;
  }
  return { first: a + b + rest, slowSlow: a, fastSlow: b, rest, modes: inS.reduce((s, v) => s + v, 0) };
}
