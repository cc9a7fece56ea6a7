/**
 * The proportional DMFT of the residual network h^{l+1} = h^l + β W^l h^l/√N (l = 1..L blocks,
 * β = β0/√L) of theory/proportional.md#residual-network. All blocks act on the same neurons, so a
 * neuron's single site carries every layer's a^l, g^l at once: each is a linear form of the sources
 * χ^0 (first matrix, covariance C_e), χ^l (block l forward, C^l), ξ^l (block l backward, G^{l+1}) and
 * w(0). The data and input-coordinate sites are those of the plain network (sweeps.ts); the
 * causal order per step is the same. Cost O(L² T³).
 */
import { checkProblem, type ProportionalProblem } from './problem.js';
import type { ProportionalSolution } from './solve.js';
import { allocate, recordLosses, type SolverState } from './state.js';
import { errorStep, predictorStep, residualStep } from './sweeps.js';
import { accumulateKernelRow, addQuadRow } from './triangular.js';

interface Joint {
  L: number;
  beta: number;
  /** a[l][src], g[l][src] for l = 0..L (representation l+1), src = 0..2L+1. */
  a: Float64Array[][];
  g: Float64Array[][];
  /** C[l] = ⟨a^{l+1} a^{l+1}⟩, G[l] = ⟨g^{l+1} g^{l+1}⟩, l = 0..L. */
  C: Float64Array[];
  G: Float64Array[];
}

/** Sources: 0 = χ^0, l = χ^l (l = 1..L), L + l = ξ^l, 2L + 1 = w(0). */
function sourceCov(j: Joint, st: SolverState, src: number): Float64Array {
  const L = j.L;
  if (src === 0) return st.Ce;
  if (src <= L) return j.C[src - 1];
  if (src <= 2 * L) return j.G[src - L];
  return st.ones;
}

function quadAll(out: Float64Array, coefs: Float64Array[], j: Joint, st: SolverState, t: number): void {
  coefs.forEach((c, src) => addQuadRow(out, c, sourceCov(j, st, src), 1, st.n, t, st.tmp));
}

function backward(p: ProportionalProblem, j: Joint, st: SolverState, t: number): void {
  const { n } = st;
  const L = j.L;
  const k = p.eta * p.gammaBar;
  const ones = new Float64Array(t + 1).fill(k);
  j.g[L].forEach((c, src) => accumulateKernelRow(c, ones, 1, j.a[L][src], n, t, t - 1));
  j.g[L][2 * L + 1][t * n + t] += 1;
  quadAll(j.G[L], j.g[L], j, st, t);
  for (let l = L - 1; l >= 0; l--) {
    // block l+1: g^{l+1} = g^{l+2} + β[ξ^{l+1} + Σ_{s<t}(R↓ + ηγ̄β G^{l+2}) a^{l+1}(s)]
    const kr = new Float64Array(t + 1);
    const Rdn = j.g[l + 1][l + 1];
    for (let s = 0; s < t; s++) kr[s] = Rdn[t * n + s] + k * j.beta * j.G[l + 1][t * n + s];
    j.g[l].forEach((c, src) => {
      const up = j.g[l + 1][src];
      for (let r = 0; r <= t; r++) c[t * n + r] += up[t * n + r];
      accumulateKernelRow(c, kr, j.beta, j.a[l][src], n, t, t - 1);
    });
    j.g[l][L + l + 1][t * n + t] += j.beta;
    quadAll(j.G[l], j.g[l], j, st, t);
  }
}

function forward(p: ProportionalProblem, j: Joint, st: SolverState, t: number): void {
  const { n } = st;
  const L = j.L;
  const k = p.eta * p.gammaBar;
  const k0 = new Float64Array(t + 1);
  for (let s = 0; s <= t; s++) k0[s] = st.R0[t * n + s] + (s < t ? k * st.Ce[t * n + s] : 0);
  j.a[0].forEach((c, src) => accumulateKernelRow(c, k0, 1, j.g[0][src], n, t, t));
  j.a[0][0][t * n + t] += 1;
  quadAll(j.C[0], j.a[0], j, st, t);
  for (let l = 1; l <= L; l++) {
    // block l: a^{l+1} = a^l + β[χ^l + Σ_{s≤t}(R↑^l + ηγ̄β C^l) g^{l+1}(s)]
    const kr = new Float64Array(t + 1);
    const Rup = j.a[l - 1][L + l];
    for (let s = 0; s <= t; s++) kr[s] = Rup[t * n + s] + (s < t ? k * j.beta * j.C[l - 1][t * n + s] : 0);
    j.a[l].forEach((c, src) => {
      const below = j.a[l - 1][src];
      for (let r = 0; r <= t; r++) c[t * n + r] += below[t * n + r];
      accumulateKernelRow(c, kr, j.beta, j.g[l][src], n, t, t);
    });
    j.a[l][l][t * n + t] += j.beta;
    quadAll(j.C[l], j.a[l], j, st, t);
  }
}

/**
 * Solve the residual network with `blocks` = L blocks and branch scale β0/√L (problem.depth is
 * ignored). Losses at t = 0..T, status as solveProportional.
 */
export function solveResidualProportional(problem: ProportionalProblem, blocks: number, beta0: number): ProportionalSolution {
  const p = checkProblem({ ...problem, depth: 1 });
  const st = allocate(p);
  const n = st.n;
  const sq = () => new Float64Array(n * n);
  const L = blocks;
  const nsrc = 2 * L + 2;
  const j: Joint = {
    L, beta: beta0 / Math.sqrt(L),
    a: Array.from({ length: L + 1 }, () => Array.from({ length: nsrc }, sq)),
    g: Array.from({ length: L + 1 }, () => Array.from({ length: nsrc }, sq)),
    C: Array.from({ length: L + 1 }, sq),
    G: Array.from({ length: L + 1 }, sq),
  };
  // The coordinate sites read the first layer's G and its response through st.layers[0].
  st.layers[0].G = j.G[0];
  st.layers[0].gX = j.g[0][0];
  const s2 = p.sigma * p.sigma;
  const trainLoss = new Float64Array(n).fill(NaN);
  const testLoss = new Float64Array(n).fill(NaN);
  let status: ProportionalSolution['status'] = 'ok';
  let message = '';
  for (let t = 0; t < n; t++) {
    backward(p, j, st, t);
    predictorStep(p, st, t);
    residualStep(p, st, t);
    errorStep(p, st, t);
    forward(p, j, st, t);
    if (!recordLosses(st, t, s2, trainLoss, testLoss)) {
      status = 'nan';
      message = `non-finite loss at step ${t}`;
      break;
    }
  }
  return { steps: Float64Array.from({ length: n }, (_, i) => i), trainLoss, testLoss, residual: NaN, status, message, state: st };
}
