/**
 * Exactly solvable cases of the deep-linear limit (theory/deeplinear.md#exact-cases, "Exact cases for tests";
 * theory/deeplinear.md#exact-cases): the references the recursion is tested against.
 */
import type { Mat } from '../../core/matrix.js';
import { type DeepLinearProblem, initialKernelFactor } from './problem.js';
import { type Solution, odex, solve } from '../../core/ode/solve.js';

/**
 * Lazy (γ0 → 0, NTK parameterization) limit under gradient descent: the kernel stays
 * K = κ K^x (κ = L + 1 plain, see `initialKernelFactor`) and
 * f(t+1) = f(t) + (η/P) K (y − f(t)), i.e. f(t) = y − (I − ηK/P)^t (y − f(0)) (theory/ntk.md#dynamics).
 * Returns f laid out t·P + μ for t = 0..steps.
 */
export function frozenKernelGd(kx: Mat, factor: number, y: ArrayLike<number>, lr: number, steps: number, f0?: ArrayLike<number>): Float64Array {
  const P = y.length;
  const out = new Float64Array((steps + 1) * P);
  for (let mu = 0; mu < P; mu++) out[mu] = f0 ? f0[mu] : 0;
  const d = new Float64Array(P);
  for (let t = 0; t < steps; t++) {
    for (let mu = 0; mu < P; mu++) d[mu] = y[mu] - out[t * P + mu];
    for (let mu = 0; mu < P; mu++) {
      let s = 0;
      for (let nu = 0; nu < P; nu++) s += kx.data[mu * P + nu] * d[nu];
      out[(t + 1) * P + mu] = out[t * P + mu] + (lr / P) * factor * s;
    }
  }
  return out;
}

/**
 * One training point, one hidden layer (L = 1), K^x = κ, gradient flow: with
 * dτ/dt = η γ0 (y − f), the single-site fields are h = u cosh(√κ τ) + √κ r sinh(√κ τ),
 * g = r cosh(√κ τ) + u sinh(√κ τ)/√κ, so f = ⟨g h⟩/γ0 = √κ sinh(2√κ τ)/γ0 (theory/deeplinear.md#one-point;
 * theory/deeplinear.md#one-point). Integrates τ with the ODE adapter and returns f at `times`
 * (flow time in units of the step: t = step count).
 */
export function onePointFlow(kappa: number, y: number, gamma0: number, lr: number, times: number[]): { f: Float64Array; solution: Solution } {
  const sk = Math.sqrt(kappa);
  const fOf = (tau: number) => (sk * Math.sinh(2 * sk * tau)) / gamma0;
  const sol = solve((_t, s, ds) => { ds[0] = lr * gamma0 * (y - fOf(s[0])); }, odex({ rtol: 1e-11, atol: 1e-13 }), times[0] ?? 0, new Float64Array([0]), { ts: times }, null);
  const f = new Float64Array(sol.ys.length);
  sol.ys.forEach((s, i) => { f[i] = fOf(s[0]); });
  return { f, solution: sol };
}

/**
 * The same one-point, L = 1 case under gradient descent, exactly: with ε_t = η γ0 Δ(t),
 * h(t+1) = h(t) + ε_t κ g(t), g(t+1) = g(t) + ε_t h(t), a linear map on the coefficients of
 * (h, g) on the independent sources (u ~ N(0, κ), r ~ N(0, 1)); f = ⟨g h⟩/γ0. γ0 > 0.
 * Returns f(t) for t = 0..steps.
 */
export function onePointGd(kappa: number, y: number, gamma0: number, lr: number, steps: number): Float64Array {
  // h = hu·u + hr·r, g = gu·u + gr·r.
  let hu = 1, hr = 0, gu = 0, gr = 1;
  const out = new Float64Array(steps + 1);
  const fOf = () => (gu * hu * kappa + gr * hr) / gamma0;
  for (let t = 0; ; t++) {
    out[t] = fOf();
    if (t === steps) break;
    const e = lr * gamma0 * (y - out[t]);
    const nhu = hu + e * kappa * gu, nhr = hr + e * kappa * gr;
    const ngu = gu + e * hu, ngr = gr + e * hr;
    hu = nhu; hr = nhr; gu = ngu; gr = ngr;
  }
  return out;
}

/**
 * Lazy (γ0 = 0) limit started from a given initial function f_0 (path-wise comparison with one
 * finite network, theory/ntk.md#dynamics): the dynamics are linear in f, so on the training set
 * f(t+1) = f(t) + (η/P) κ K^x (y − f(t)) from f(0) = f_0, and at test points
 * f_t(x*) = f_0(x*) + κ (η/P) Σ_{s<t} K^x(x*, X) (y − f(s)). Returns (steps+1)·P and (steps+1)·m values.
 */
export function lazyFromInitial(p: DeepLinearProblem, f0Train: ArrayLike<number>, f0Test: ArrayLike<number>, kStar: Mat):
  { train: Float64Array; test: Float64Array } {
  const P = p.y.length;
  const T = p.steps + 1;
  const kappa = initialKernelFactor(p.architecture, p.depth);
  const train = frozenKernelGd(p.kx, kappa, p.y, p.lr, p.steps, f0Train);
  const m = kStar.rows;
  const test = new Float64Array(T * m);
  const acc = new Float64Array(P);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < m; i++) {
      let s = f0Test[i];
      for (let nu = 0; nu < P; nu++) s += kStar.data[i * P + nu] * acc[nu];
      test[t * m + i] = s;
    }
    for (let nu = 0; nu < P; nu++) acc[nu] += kappa * (p.lr / P) * (p.y[nu] - train[t * P + nu]);
  }
  return { train, test };
}
