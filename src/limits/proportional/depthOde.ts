/**
 * The residual network at L = ∞ (theory/proportional.md#depth-ode): the depth ODE in τ ∈ [0, 1]
 * solved directly, not as a limit of the block recursion. Each time step t is causal as in
 * theory/proportional.md#causal-solver: row t of X and M is integrated from τ = 1 down to 0
 * (Heun's method, K steps), the coordinate and sample sites read G(τ = 0) and ρ↓(τ = 0), and row t
 * of Y and N is integrated from τ = 0 up to 1. Cost O(K T³), memory O(K T²).
 *
 * `solveInfiniteDepth` runs the grid at K and 2K and returns Richardson's (4·u_2K − u_K)/3 for
 * Heun's order 2, with `residual` = sup over t of |u_2K − u_K|/3 (the estimated error of u_2K,
 * an upper estimate of the extrapolation's).
 */
import type { Status } from '../../core/errors.js';
import { InputError } from '../../core/errors.js';
import { DIVERGENCE_FACTOR } from '../../finite/runDefaults.js';
import { allocateGrid, type DepthGrid, evalDown, evalUp, finishRow } from './depthGrid.js';
import { checkProblem, type ProportionalProblem } from './problem.js';
import type { ProportionalSolution } from './solve.js';
import { allocate, recordLosses, type SolverState } from './state.js';
import { errorStep, predictorStep, residualStep } from './sweeps.js';

type Eval = (g: DepthGrid, k: number, t: number, d1: Float64Array, d2: Float64Array) => void;

/** Write row t of a (columns ≤ cmax) and of the symmetric S (both triangles) at grid point k. */
function setRow(Lo: Float64Array, S: Float64Array, n: number, t: number, lo: Float64Array, s: Float64Array, cmax: number): void {
  for (let c = 0; c <= cmax; c++) Lo[t * n + c] = lo[c];
  for (let c = 0; c <= t; c++) {
    S[t * n + c] = s[c];
    S[c * n + t] = s[c];
  }
}

/**
 * Heun's method for row t of (lower, sym) from grid point `from` to `to` (one of 0, K), the
 * derivative `f` being d/d(direction of travel). Leaves every grid point's derived rows final.
 */
function integrateRow(g: DepthGrid, t: number, lower: 'X' | 'Y', sym: 'M' | 'N', f: Eval, from: number, to: number): void {
  const { n, K } = g;
  const step = to > from ? 1 : -1;
  const h = 1 / K;
  const cmax = lower === 'X' ? t - 1 : t;
  const [f0a, f0b, f1a, f1b, ya, yb, pa, pb] = Array.from({ length: 8 }, () => new Float64Array(n));
  f(g, from, t, f0a, f0b);
  for (let k = from; k !== to; k += step) {
    const Lo = g.m[lower], S = g.m[sym];
    for (let c = 0; c <= t; c++) {
      ya[c] = Lo[k][t * n + c];
      yb[c] = S[k][t * n + c];
      pa[c] = ya[c] + h * f0a[c];
      pb[c] = yb[c] + h * f0b[c];
    }
    setRow(Lo[k + step], S[k + step], n, t, pa, pb, cmax);
    f(g, k + step, t, f1a, f1b);
    for (let c = 0; c <= t; c++) {
      pa[c] = ya[c] + 0.5 * h * (f0a[c] + f1a[c]);
      pb[c] = yb[c] + 0.5 * h * (f0b[c] + f1b[c]);
    }
    setRow(Lo[k + step], S[k + step], n, t, pa, pb, cmax);
    f(g, k + step, t, f0a, f0b);
  }
}

/** One time step: top boundary, downward pass, the D and P sites, bottom boundary, upward pass. */
function timeStep(p: ProportionalProblem, g: DepthGrid, st: SolverState, t: number): void {
  const { n, K, m } = g;
  const top = new Float64Array(n);
  const ones = new Float64Array(n).fill(1);
  for (let c = 0; c < t; c++) top[c] = g.k;
  setRow(m.X[K], m.M[K], n, t, top, ones, t - 1);
  integrateRow(g, t, 'X', 'M', evalDown, K, 0);
  predictorStep(p, st, t);
  residualStep(p, st, t);
  errorStep(p, st, t);
  const y0 = new Float64Array(n);
  const n0 = new Float64Array(n);
  for (let c = 0; c <= t; c++) {
    y0[c] = st.R0[t * n + c] + (c < t ? g.k * st.Ce[t * n + c] : 0);
    n0[c] = st.Ce[t * n + c];
  }
  setRow(m.Y[0], m.N[0], n, t, y0, n0, t);
  integrateRow(g, t, 'Y', 'N', evalUp, 0, K);
  for (let k = 0; k <= K; k++) finishRow(g, k, t);
}

/** The depth ODE on one grid of K steps (Heun, global order 2 in 1/K). */
export function solveDepthOde(problem: ProportionalProblem, beta0: number, K: number): ProportionalSolution {
  if (!Number.isInteger(K) || K < 1) throw new InputError('depthSteps', `must be a positive integer, got ${K}`);
  const p = checkProblem({ ...problem, depth: 1 });
  const st = allocate(p);
  const n = st.n;
  const g = allocateGrid(n, K, beta0, p.eta * p.gammaBar);
  // The coordinate sites read the backward kernel and response at τ = 0 (the first layer's).
  st.layers[0].G = g.m.G[0];
  st.layers[0].gX = g.m.Rdn[0];
  const s2 = p.sigma * p.sigma;
  const trainLoss = new Float64Array(n).fill(NaN);
  const testLoss = new Float64Array(n).fill(NaN);
  let status: Status = 'ok';
  let message = '';
  for (let t = 0; t < n; t++) {
    timeStep(p, g, st, t);
    if (!recordLosses(st, t, s2, trainLoss, testLoss)) {
      status = 'nan';
      message = `non-finite loss at step ${t}`;
      break;
    }
    if (testLoss[t] > DIVERGENCE_FACTOR * Math.max(1, testLoss[0])) {
      status = 'diverged';
      message = `test loss ${testLoss[t].toExponential(3)} at step ${t} exceeds ${DIVERGENCE_FACTOR} × its initial value`;
      break;
    }
  }
  return { steps: Float64Array.from({ length: n }, (_, i) => i), trainLoss, testLoss, residual: NaN, status, message, state: st };
}

/** L = ∞ with Richardson over the depth grid (K and 2K); `residual` = sup_t |u_2K − u_K|/3. */
export function solveInfiniteDepth(problem: ProportionalProblem, beta0: number, K = 128): ProportionalSolution {
  const a = solveDepthOde(problem, beta0, K);
  if (a.status !== 'ok') return a;
  const b = solveDepthOde(problem, beta0, 2 * K);
  if (b.status !== 'ok') return b;
  let residual = 0;
  const ex = (u: Float64Array, v: Float64Array) => u.map((x, t) => {
    residual = Math.max(residual, Math.abs(x - v[t]) / 3);
    return (4 * x - v[t]) / 3;
  });
  const testLoss = ex(b.testLoss, a.testLoss);
  const trainLoss = ex(b.trainLoss, a.trainLoss);
  return { ...b, testLoss, trainLoss, residual };
}
