/**
 * KKT points of max N(u) s.t. ‖u‖ = 1 (Kumar & Haupt 2024, arXiv 2403.08121, §3, Eq. (5);
 * theory/kumar-haupt.md): ∇N(u) = λ u with, by Euler's identity uᵀ∇N(u) = p N(u), λ = p N(u).
 *
 * Found by projected ascent from the initial direction ŵ,
 *
 *   u ← normalize(u + s ∇N(u)),
 *
 * which to first order in s is an Euler step of the projected flow du/dσ = ∇N(u) − pN(u) u: the
 * direction of the early gradient flow from δŵ follows this flow
 * (theory/kumar-haupt.md#early-phase), so the ascent started at ŵ and taken with small steps
 * finds the KKT point the training run approaches. Step rule (theory/kumar-haupt.md#ascent): s = θ / ‖∇N(u)‖, an angle of at most
 * θ per step; θ starts at `angle` (small, to follow the flow past saddles) and, once the KKT
 * residual is below `followUntil`, grows ×1.2 after a step that increases N and halves after one
 * that does not (such a step is undone). Stops when the residual is below `tolerance`.
 */
import type { Status } from '../../core/errors.js';
import type { CorrelationProblem } from './ncf.js';

/** What the ascent needs of an NCF: its value, its gradient and the degree p (ncf.ts, polyNet.ts). */
export type NcfProblem = Pick<CorrelationProblem, 'value' | 'gradient'> & { readonly net: { readonly degree: number } };

export interface KktOptions {
  /** Initial angular step θ in radians (default 0.02). */
  angle?: number;
  /** Residual below which the step may grow (default 1e-3). */
  followUntil?: number;
  /** Target KKT residual (default 1e-10). */
  tolerance?: number;
  /**
   * Residual accepted when the step collapses first (default 1e-6): at a KKT point where units
   * sit on the kink of a leaky ReLU, ∇N jumps and the residual has a floor (theory/kumar-haupt.md#ascent).
   */
  acceptable?: number;
  /** Iteration budget (default 200 000). */
  maxIter?: number;
}

export interface KktPoint {
  /** The unit vector u*. */
  u: Float64Array;
  /** N(u*). */
  value: number;
  /** ‖∇N(u) − pN(u) u‖ / ‖∇N(u)‖ at u*. */
  residual: number;
  iterations: number;
  status: Status;
  message: string;
}

/** Relative KKT residual ‖∇N(u) − pN(u) u‖ / ‖∇N(u)‖ of a unit vector u (gradient buffer `g`). */
export function kktResidual(ncf: NcfProblem, u: Float64Array, g = new Float64Array(u.length)): number {
  const n = ncf.gradient(u, g);
  const lambda = ncf.net.degree * n;
  let r = 0;
  let gg = 0;
  for (let i = 0; i < u.length; i++) {
    const d = g[i] - lambda * u[i];
    r += d * d;
    gg += g[i] * g[i];
  }
  return gg > 0 ? Math.sqrt(r / gg) : NaN;
}

export function kktByProjectedAscent(ncf: NcfProblem, u0: Float64Array, o: KktOptions = {}): KktPoint {
  const P = u0.length;
  const tol = o.tolerance ?? 1e-10;
  const follow = o.followUntil ?? 1e-3;
  const maxIter = o.maxIter ?? 200_000;
  let theta = o.angle ?? 0.02;
  const u = normalized(u0);
  const trial = new Float64Array(P);
  const g = new Float64Array(P);
  let value = ncf.value(u);
  let residual = kktResidual(ncf, u, g);
  let it = 0;
  for (; it < maxIter && !(residual < tol); it++) {
    let gn = 0;
    for (let i = 0; i < P; i++) gn += g[i] * g[i];
    gn = Math.sqrt(gn);
    if (!(gn > 0)) break;
    const s = theta / gn;
    for (let i = 0; i < P; i++) trial[i] = u[i] + s * g[i];
    normalizeInPlace(trial);
    const v = ncf.value(trial);
    if (residual > follow) {
      u.set(trial);
      value = v;
    } else if (v > value) {
      u.set(trial);
      value = v;
      theta = Math.min(theta * 1.2, 0.5);
    } else {
      theta *= 0.5;
      if (theta < 1e-14) break;
    }
    residual = kktResidual(ncf, u, g);
  }
  value = ncf.value(u);
  const acceptable = o.acceptable ?? 1e-6;
  const bad = !Number.isFinite(residual);
  const status: Status = residual < tol || residual <= acceptable ? 'ok' : bad ? 'nan' : 'not-converged';
  const message = residual < tol ? ''
    : bad ? 'the NCF gradient is zero or not finite at the iterate'
      : residual <= acceptable ? `residual floor ${residual.toExponential(2)} (steps collapsed before ${tol}; accepted ≤ ${acceptable})`
        : `KKT residual ${residual.toExponential(2)} above ${acceptable} after ${it} iterations`;
  return { u, value, residual, iterations: it, status, message };
}

/** u / ‖u‖ (a copy). */
export function normalized(u: Float64Array): Float64Array {
  const out = Float64Array.from(u);
  normalizeInPlace(out);
  return out;
}

function normalizeInPlace(u: Float64Array): void {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i] * u[i];
  const f = 1 / Math.sqrt(s);
  for (let i = 0; i < u.length; i++) u[i] *= f;
}

/** Cosine similarity ⟨a, b⟩ / (‖a‖ ‖b‖). */
export function cosine(a: Float64Array, b: Float64Array): number {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) { ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i]; }
  return ab / Math.sqrt(aa * bb);
}
