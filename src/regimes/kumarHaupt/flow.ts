/**
 * Gradient flow of the square loss from a small initialization, in rescaled variables
 * (Kumar & Haupt 2024, arXiv 2403.08121, §3: the time-rescaled flow; theory/kumar-haupt.md#rescaling).
 *
 * The flow dw/dt = −∇Loss(w), Loss = ½‖H(X; w) − y‖², w(0) = δ ŵ, written with w = δ v and
 * s = δ^{p−2} t (H is p-homogeneous, so H(δv) = δ^p H(v) and ∇H(δv) = δ^{p−1} ∇H(v)), is exactly
 *
 *   dv/ds = J(v)ᵀ (y − δ^p H(X; v)),   v(0) = ŵ,
 *
 * whose δ → 0 limit is the NCF flow dv/ds = ∇N(v). The direction u = v/‖v‖ follows the
 * projected flow du/dσ = ∇N(u) − pN(u)u in the clock dσ = ‖v‖^{p−2} ds. Integration by the odex
 * adapter (src/core/ode.ts), one interval at a time on a grid that is uniform in σ: the next
 * interval is Δs = Δσ / ‖v‖^{p−2}, so the fast final approach to the KKT point (and the escape,
 * where ‖v‖ ~ 1/δ) are resolved; it stops at `stop` or after `maxIntervals`.
 */
import type { Status } from '../../core/errors.js';
import { integrate } from '../../core/ode.js';
import type { CorrelationProblem } from './ncf.js';

export interface RescaledFlowOptions {
  /** δ (0 for the NCF flow). */
  delta: number;
  /** Δσ per grid interval (clock σ, see above). */
  dSigma: number;
  /** Stop when this returns true at a grid point (after it is recorded). */
  stop: (s: number, v: Float64Array, loss: number) => boolean;
  maxIntervals: number;
  /** Relative / absolute tolerance of odex (defaults 1e-9, 1e-12). */
  rtol?: number;
  atol?: number;
}

export interface RescaledFlow {
  /** Rescaled times s = δ^{p−2} t of the grid points (s_0 = 0). */
  times: number[];
  /** v(s) at each grid point (w = δ v). */
  states: Float64Array[];
  /** ½‖δ^p H(X; v) − y‖² at each grid point (the loss of w = δv). */
  losses: number[];
  status: Status;
  message: string;
  /** Right-hand-side evaluations. */
  evaluations: number;
}

export function rescaledFlow(ncf: CorrelationProblem, v0: Float64Array, o: RescaledFlowOptions): RescaledFlow {
  const P = v0.length;
  const p = ncf.net.degree;
  const g = new Float64Array(P);
  const rhs = (_s: number, v: Float64Array, dv: Float64Array) => {
    ncf.scaledLossGradient(v, o.delta, g);
    for (let i = 0; i < P; i++) dv[i] = -g[i];
  };
  const lossAt = (v: Float64Array) => ncf.scaledLossGradient(v, o.delta, g);
  const out: RescaledFlow = { times: [0], states: [Float64Array.from(v0)], losses: [lossAt(v0)], status: 'ok', message: '', evaluations: 0 };
  let s = 0;
  let v: Float64Array = Float64Array.from(v0);
  for (let k = 0; k < o.maxIntervals; k++) {
    if (o.stop(s, v, out.losses[out.losses.length - 1])) return out;
    const ds = o.dSigma / Math.pow(norm(v), p - 2);
    const sol = integrate(rhs, v, [s, s + ds], { rtol: o.rtol ?? 1e-9, atol: o.atol ?? 1e-12, maxSteps: 100_000, initialStep: ds / 8 });
    out.evaluations += sol.stats.nEval;
    if (sol.status !== 'ok' || sol.ys.length < 2) {
      out.status = sol.status === 'ok' ? 'failed' : sol.status;
      out.message = `flow stopped at s = ${s.toPrecision(6)} (δ = ${o.delta}): ${sol.message}`;
      return out;
    }
    s += ds;
    v = sol.ys[1];
    out.times.push(s);
    out.states.push(v);
    out.losses.push(lossAt(v));
  }
  out.status = 'not-converged';
  out.message = `no stop after ${o.maxIntervals} intervals (s = ${s.toPrecision(6)}, δ = ${o.delta})`;
  return out;
}

export function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}
