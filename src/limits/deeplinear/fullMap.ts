/**
 * The full (whole-trajectory) self-consistency map of the plain recursion (theory/deeplinear.md#single-site: "iterate
 * layers to self-consistency"; theory/deeplinear.md#fixed-point). Given Δ(t) for all t and every
 * layer's (H, G, R̃, Q̃), it recomputes all layers at once from their neighbours with whole-matrix
 * products, then f and Δ. The causal solution is its fixed point; one application measures the
 * fixed-point residual, and iterating it from the lazy initial guess (Picard iteration) is a
 * second, non-causal way to solve the recursion.
 */
import type { Status } from '../../core/errors.js';
import { gemm } from '../../core/gemm.js';
import { type Mat, mat } from '../../core/matrix.js';
import { type CausalOptions, type PlainState, inputBlocks, neighbours, plainStorage, MAX_STORED_DOUBLES } from './causal.js';
import { type Dims, type LayerArrays, allocLayer, coefficientsAt } from './layerState.js';
import { type DeepLinearProblem, checkProblem } from './problem.js';
import { type DeepLinearSolution, predictionIdentityResidual } from './solution.js';
import { InputError } from '../../core/errors.js';

const wrap = (rows: number, cols: number, d: Float64Array): Mat => mat(rows, cols, d);

/** Recompute one layer from its neighbours (whole trajectory) into `out`; returns nothing. */
function mapLayer(d: Dims, V: Float64Array, Rprev: Float64Array | null, Gnext: Float64Array | null, Qnext: Float64Array | null,
  delta: Float64Array, out: LayerArrays): void {
  const { P, Tc, n, g2, c } = d;
  const { mh, mg, F } = out;
  mh.fill(0);
  mg.fill(0);
  for (let i = 0; i < n; i++) {
    const t = Math.floor(i / P);
    for (let s = 0; s < t; s++) {
      let acc = 0;
      for (let nu = 0; nu < P; nu++) acc += delta[s * P + nu] * V[i * n + s * P + nu];
      mh[i * Tc + s] = (Rprev ? Rprev[i * Tc + s] : 0) + c * acc;
    }
  }
  for (let t = 0; t < Tc; t++) {
    for (let j = 0; j < t * P; j++) {
      const s = Math.floor(j / P);
      mg[t * n + j] = (Qnext ? Qnext[t * n + j] : 0) + c * delta[j] * (Gnext ? Gnext[t * Tc + s] : 1);
    }
  }
  const M = gemm(false, false, 1, wrap(Tc, n, mg), wrap(n, Tc, mh)).data;
  F.fill(0);
  for (let t = 0; t < Tc; t++) {
    F[t * Tc + t] = 1;
    for (let s = 0; s < t; s++) {
      const m = g2 * M[t * Tc + s];
      if (m === 0) continue;
      for (let k = 0; k <= s; k++) F[t * Tc + k] += m * F[s * Tc + k];
    }
  }
  const Fm = wrap(Tc, Tc, F);
  gemm(false, false, 1, wrap(n, Tc, mh), Fm, 0, wrap(n, Tc, out.Rt));
  gemm(false, false, 1, Fm, wrap(Tc, n, mg), 0, wrap(Tc, n, out.Qt));
  gemm(false, true, 1, wrap(n, n, V), wrap(Tc, n, out.Qt), 0, wrap(n, Tc, out.Wm));
  gemm(false, false, 1, wrap(Tc, n, out.Qt), wrap(n, Tc, out.Wm), 0, wrap(Tc, Tc, out.Y));
  const Gn = Gnext ? wrap(Tc, Tc, Gnext) : wrap(Tc, Tc, new Float64Array(Tc * Tc).fill(1));
  // H = V + γ0² (m_h Wᵀ + W m_hᵀ) + γ0⁴ m_h Y m_hᵀ + γ0² R̃ G R̃ᵀ.
  const H = wrap(n, n, out.H);
  H.data.set(V);
  const mhM = wrap(n, Tc, mh);
  const X = gemm(false, false, g2 * g2, mhM, wrap(Tc, Tc, out.Y));
  const RtM = wrap(n, Tc, out.Rt);
  gemm(false, true, g2, gemm(false, false, 1, RtM, Gn), RtM, 1, H);
  for (let i = 0; i < X.data.length; i++) X.data[i] += g2 * out.Wm[i];
  gemm(false, true, 1, X, mhM, 1, H);
  gemm(false, true, g2, mhM, wrap(n, Tc, out.Wm), 1, H);
  // G = γ0² Y + F G^{l+1} Fᵀ.
  const G = wrap(Tc, Tc, out.G);
  gemm(false, true, 1, gemm(false, false, 1, Fm, Gn), Fm, 0, G);
  for (let i = 0; i < G.data.length; i++) G.data[i] += g2 * out.Y[i];
}

/** f_μ(t) = C̃^L((t,μ), t) for every t from the top layer (whole trajectory). */
function outputs(d: Dims, top: LayerArrays, f: Float64Array): void {
  const { P, Tc, g2 } = d;
  for (let t = 0; t < Tc; t++) {
    let fs = 0;
    for (let s = 0; s <= t; s++) fs += top.F[t * Tc + s];
    for (let mu = 0; mu < P; mu++) {
      const ri = (t * P + mu) * Tc;
      let my = 0, rs = 0;
      for (let s = 0; s < t; s++) { my += top.mh[ri + s] * top.Y[s * Tc + t]; rs += top.Rt[ri + s]; }
      f[t * P + mu] = top.Wm[ri + t] + g2 * my + rs * fs;
    }
  }
}

function maxRelChange(a: Float64Array, b: Float64Array): number {
  let d = 0, s = 1;
  for (let i = 0; i < a.length; i++) { d = Math.max(d, Math.abs(a[i] - b[i])); s = Math.max(s, Math.abs(a[i])); }
  return d / s;
}

/**
 * Apply the full map once to `state` (Jacobi over layers: every layer reads the old values of its
 * neighbours) and return the new state, its outputs and the max relative change of (f, H, G).
 */
export function applyFullMap(state: PlainState, y: Float64Array, f: Float64Array): { state: PlainState; f: Float64Array; change: number } {
  const d = state.dims;
  const L = state.layers.length;
  const next = state.layers.map(() => allocLayer(d.P, d.Tc));
  for (let l = 0; l < L; l++) {
    const nb = neighbours(state.layers, state.H0, l);
    mapLayer(d, nb.V, nb.Rprev, nb.Gnext, nb.Qnext, state.delta, next[l]);
  }
  const fNew = new Float64Array(d.Tc * d.P);
  outputs(d, next[L - 1], fNew);
  let change = maxRelChange(f, fNew);
  for (let l = 0; l < L; l++) {
    change = Math.max(change, maxRelChange(state.layers[l].H, next[l].H), maxRelChange(state.layers[l].G, next[l].G));
  }
  const delta = new Float64Array(d.Tc * d.P);
  for (let i = 0; i < delta.length; i++) delta[i] = y[i % d.P] - fNew[i];
  return { state: { dims: d, layers: next, H0: state.H0, delta }, f: fNew, change };
}

/** The solution object of a (converged or not) state. */
export function solutionOfState(p: DeepLinearProblem, state: PlainState, f: Float64Array, status: Status, message: string,
  stats: Record<string, number | string>, residual: number): DeepLinearSolution {
  const { P, Tc, n } = state.dims;
  const a = new Float64Array(Tc * P);
  const deltaForA = new Float64Array(Tc * P);
  for (let i = 0; i < deltaForA.length; i++) deltaForA[i] = p.y[i % P] - f[i];
  for (let t = 0; t < Tc; t++) coefficientsAt(state.layers[0], state.dims, deltaForA, t, a);
  const loss = new Float64Array(Tc);
  for (let t = 0; t < Tc; t++) {
    let s = 0;
    for (let mu = 0; mu < P; mu++) { const e = f[t * P + mu] - p.y[mu]; s += e * e; }
    loss[t] = s / (2 * P);
  }
  return {
    status, message, P, T: Tc, Tcap: Tc, f, a, trainLoss: loss,
    H: state.layers.map((x) => mat(n, n, x.H)),
    G: state.layers.map((x) => mat(Tc, Tc, x.G)),
    blockScale: 1,
    residual,
    stats: { ...stats, predictionIdentityResidual: predictionIdentityResidual(f, a, p.kx, Tc) },
  };
}

export interface PicardOptions extends CausalOptions {
  /** Largest number of applications of the full map (default 200). */
  maxIterations?: number;
  /** Stop when the max relative change of (f, H, G) is below this (default 1e-12). */
  tolerance?: number;
}

/**
 * Solve the plain recursion by Picard iteration of the full map from the lazy guess (H^l = K^x,
 * G^l = 1, R̃ = Q̃ = 0, f = 0). Strict causality makes the iteration exact after finitely many
 * sweeps (each sweep fixes at least one more time step); status 'not-converged' when the change
 * is still above `tolerance` after `maxIterations`.
 */
export function solvePlainPicard(p: DeepLinearProblem, opts: PicardOptions = {}): DeepLinearSolution {
  checkProblem(p);
  if (p.architecture.kind !== 'plain') throw new RangeError('solvePlainPicard: the architecture must be plain');
  const P = p.y.length;
  const Tc = p.steps + 1;
  if (2 * plainStorage(P, p.steps, p.depth) > MAX_STORED_DOUBLES) {
    throw new InputError('training.steps', 'too many steps or training points for the Picard solver');
  }
  const n = P * Tc;
  const dims: Dims = { P, Tc, n, g2: p.gamma0 * p.gamma0, c: p.lr / P };
  const H0 = inputBlocks(p.kx.data, P, Tc);
  const layers = Array.from({ length: p.depth }, () => {
    const x = allocLayer(P, Tc);
    x.H.set(H0);
    x.G.fill(1);
    return x;
  });
  const delta = new Float64Array(Tc * P);
  for (let i = 0; i < delta.length; i++) delta[i] = p.y[i % P];
  let state: PlainState = { dims, layers, H0, delta };
  let f: Float64Array = new Float64Array(Tc * P);
  const maxIt = opts.maxIterations ?? 200;
  const tol = opts.tolerance ?? 1e-12;
  let change = Infinity;
  let it = 0;
  while (it < maxIt && !(change <= tol)) {
    const r = applyFullMap(state, p.y, f);
    state = r.state;
    f = r.f;
    change = r.change;
    it++;
    if (!Number.isFinite(change)) break;
  }
  const ok = change <= tol;
  return solutionOfState(p, state, f, ok ? 'ok' : Number.isFinite(change) ? 'not-converged' : 'nan',
    ok ? '' : `Picard iteration: relative change ${change.toExponential(3)} after ${it} iterations (tolerance ${tol})`,
    { solver: 'picard', iterations: it }, change);
}
