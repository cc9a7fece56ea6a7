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
 * projected flow du/dσ = ∇N(u) − pN(u)u in the clock dσ = ‖v‖^{p−2} ds.
 *
 * Integrator: classical fourth-order Runge–Kutta (the RK4 tableau of the one ODE interface,
 * src/core/ode/solve.ts) with one step per grid interval and a step uniform in σ,
 * Δs = Δσ / ‖v‖^{p−2} (taken at the start of the step: a StateStep controller), so that the fast
 * final approach to the KKT point and the escape (where ‖v‖ ~ 1/δ) are resolved. Not odex: with leaky ReLU the right-hand side jumps where a pre-activation crosses 0,
 * and near a KKT point of the NCF many units sit on such kinks; odex's error control then
 * rejects step after step (about 10⁴ evaluations per grid interval at δ = 1e-4), while a fixed
 * step crosses a kink with a local error O(Δs²) (theory/kumar-haupt.md#integrator). The step is
 * checked by halving Δσ (test/regimes/kumarHaupt). It stops at `stop` or after `maxSteps`.
 */
import type { Status } from '../../core/errors.js';
import { StateStep } from '../../core/ode/fixedStep.js';
import { Rk4, solve } from '../../core/ode/solve.js';
import type { CorrelationProblem } from './ncf.js';

export interface RescaledFlowOptions {
  /** δ (0 for the NCF flow). */
  delta: number;
  /** Δσ per step (clock σ, see above). */
  dSigma: number;
  /** Stop when this returns true at a grid point (after it is recorded). */
  stop: (s: number, v: Float64Array, loss: number) => boolean;
  maxSteps: number;
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

/** What the flow needs of a problem: the degree p and the rescaled loss gradient (ncf.ts, polyNet.ts). */
export type ScaledLossProblem = Pick<CorrelationProblem, 'scaledLossGradient'> & { readonly net: { readonly degree: number } };

export function rescaledFlow(ncf: ScaledLossProblem, v0: Float64Array, o: RescaledFlowOptions): RescaledFlow {
  const P = v0.length;
  const p = ncf.net.degree;
  const g = new Float64Array(P);
  /** dv/ds into `out`; returns the loss at v. */
  const rhs = (_s: number, v: Float64Array, out: Float64Array): number => {
    const loss = ncf.scaledLossGradient(v, o.delta, g);
    for (let i = 0; i < P; i++) out[i] = -g[i];
    return loss;
  };
  const out: RescaledFlow = { times: [0], states: [Float64Array.from(v0)], losses: [rhs(0, v0, new Float64Array(P))], status: 'ok', message: '', evaluations: 1 };
  if (o.stop(0, v0, out.losses[0])) return out;
  const r = solve(rhs, Rk4, 0, v0, { ts: [Infinity], states: false }, new StateStep((_s, v) => o.dSigma / Math.pow(norm(v), p - 2)), {
    maxSteps: o.maxSteps,
    label: 'rescaled flow',
    onAccept: (s, loss, v) => {
      if (!allFinite(v)) return { status: 'nan', message: `non-finite state at s = ${s.toPrecision(6)} (δ = ${o.delta})` };
      out.times.push(s);
      out.states.push(Float64Array.from(v));
      out.losses.push(loss);
      return o.stop(s, v, loss) ? { status: 'ok', message: '' } : null;
    },
  });
  out.evaluations += r.stats.evaluations;
  if (r.status === 'not-converged') return { ...out, status: r.status, message: `no stop after ${o.maxSteps} steps (s = ${r.t.toPrecision(6)}, δ = ${o.delta})` };
  return { ...out, status: r.status, message: r.message };
}

function allFinite(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}

export function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}
