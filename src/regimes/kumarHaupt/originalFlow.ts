/**
 * Gradient flow of the polynomial-leaky-ReLU network (polyNet.ts) in the ORIGINAL time t,
 * dw/dt = −∇Loss(w), w(0) = δŵ (Kumar & Haupt 2024, arXiv 2403.08121, Theorem 3.1 setting;
 * theory/kumar-haupt.md#original-time), and the δ → 0 reference, the NCF flow dv/ds = ∇N(v) in
 * the rescaled time s (theory/kumar-haupt.md#rescaling). No change of variables is used for the
 * training run: the δ^{−(p−2)} time scale has to come out of the integration.
 *
 * Both by the project's Dormand–Prince 5(4) solver (src/core/ode/solve.ts) with Hairer's PI
 * controller and the mixed error norm atol + rtol·|w_i|, atol = 10⁻³·rtol·‖w(0)‖/√P (the state
 * starts at size δ, so a fixed atol would either swamp the early phase or stall the escape). The
 * gradient is locally Lipschitz for r ≥ 2, where the method keeps its order; for r = 1 (p = 2,
 * the contrast) the right-hand side jumps where a pre-activation changes sign and the controller
 * shortens the steps there. Every accepted step is recorded.
 */
import type { Status } from '../../core/errors.js';
import { PIController } from '../../core/ode/adaptive.js';
import { Dopri5, solve } from '../../core/ode/solve.js';
import { rescaledFlow } from './flow.js';
import type { PolyProblem } from './polyNet.js';

export interface FlowRecord {
  times: number[];
  states: Float64Array[];
  /** Loss (training flow) or N(v) (NCF flow) at each recorded time. */
  values: number[];
  status: Status;
  message: string;
  evaluations: number;
}

export interface FlowOptions {
  rtol: number;
  tMax: number;
  maxSteps: number;
  /** Stop after an accepted step when this returns true. */
  stop: (t: number, w: Float64Array, value: number) => boolean;
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

function integrate(
  rhs: (w: Float64Array, dw: Float64Array) => number, w0: Float64Array, o: FlowOptions, label: string,
): FlowRecord {
  const y = Float64Array.from(w0);
  const atol = 1e-3 * o.rtol * norm(w0) / Math.sqrt(w0.length);
  const rec: FlowRecord = { times: [0], states: [Float64Array.from(w0)], values: [rhs(y, new Float64Array(y.length))], status: 'ok', message: '', evaluations: 0 };
  let stopped = false;
  const sol = solve((_t, w, dw) => rhs(w, dw), Dopri5, 0, y, { ts: [o.tMax], states: false },
    // floor 1e-18·t instead of 1e-14·t: at δ = 1e-6 (p = 4) the escape (time scale O(1)) comes at
    // t ~ 1e11; the flow is autonomous, so a step below the ulp of t only blurs the recorded time
    new PIController({ rtol: o.rtol, atol, label, floor: 1e-18 }), {
      maxSteps: o.maxSteps, label,
      onAccept(t, value, w) {
        rec.times.push(t);
        rec.states.push(Float64Array.from(w));
        rec.values.push(value);
        if (o.stop(t, w, value)) {
          stopped = true;
          return { status: 'ok', message: '' };
        }
        return null;
      },
    });
  rec.evaluations = sol.stats.evaluations;
  if (sol.status !== 'ok') Object.assign(rec, { status: sol.status, message: sol.message });
  else if (!stopped) Object.assign(rec, { status: 'not-converged', message: `${label}: no stop before t = ${o.tMax}` });
  return rec;
}

/** Training flow dw/dt = −∇Loss(w) from w0 (= δŵ); values are the losses. */
export function trainingFlow(prob: PolyProblem, w0: Float64Array, o: FlowOptions): FlowRecord {
  return integrate((w, dw) => {
    const l = prob.loss(w, dw);
    for (let i = 0; i < dw.length; i++) dw[i] = -dw[i];
    return l;
  }, w0, o, 'training flow');
}

/** NCF flow dv/ds = ∇N(v) from v0 (= ŵ); values are N(v). */
export function ncfFlow(prob: PolyProblem, v0: Float64Array, o: FlowOptions): FlowRecord {
  return integrate((v, dv) => prob.ncf(v, dv), v0, o, 'NCF flow');
}

/**
 * p = 2 (r = 1, leaky ReLU): the right-hand side jumps where a pre-activation changes sign and,
 * near a KKT point, pre-activations slide along 0, where the adaptive controller rejects step
 * after step (measured: 20 000 attempts, 6 400 accepted, s advanced by 0.03). For p = 2 the
 * rescaling of flow.ts is w = δv with s = δ⁰t = t: the ORIGINAL time, so its fixed-step RK4 is
 * used, with Δt = dt (theory/kumar-haupt.md#original-time). `delta` 0 gives the NCF flow (values N).
 */
export function leakyFlow(prob: PolyProblem, w0: Float64Array, delta: number, dt: number, o: Omit<FlowOptions, 'rtol' | 'tMax'>): FlowRecord {
  if (prob.net.degree !== 2) throw new RangeError(`leakyFlow: p = 2 only, got ${prob.net.degree}`);
  const n = prob.n;
  const H = new Float64Array(n);
  const e = new Float64Array(n);
  const problem = {
    net: { degree: 2 },
    scaledLossGradient(v: Float64Array, d: number, out: Float64Array): number {
      prob.forward(v, H);
      let l = 0;
      for (let i = 0; i < n; i++) {
        e[i] = d * d * H[i] - prob.y[i];
        l += e[i] * e[i];
      }
      prob.pullback(v, e, out);
      return 0.5 * l;
    },
  };
  const scale = delta > 0 ? delta : 1;
  const v0 = w0.map((x) => x / scale);
  const r = rescaledFlow(problem, v0, {
    delta, dSigma: dt, maxSteps: o.maxSteps,
    stop: (t, v, loss) => o.stop(t, delta > 0 ? v.map((x) => x * delta) : v, delta > 0 ? loss : prob.ncf(v)),
  });
  return {
    times: r.times,
    states: r.states.map((v) => (delta > 0 ? v.map((x) => x * delta) : v)),
    values: delta > 0 ? r.losses : r.states.map((v) => prob.ncf(v)),
    status: r.status, message: r.message, evaluations: r.evaluations,
  };
}

export { norm as vectorNorm };
