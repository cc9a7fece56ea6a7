/**
 * One time step of the causal solver, in the order of theory/proportional.md#causal-solver:
 * backward sweep (g^L … g^1), the predictor u = β − β*, the train residuals Δ, the error
 * direction e, forward sweep (a^1 … a^L). Each part reads only rows already complete.
 */
import type { ProportionalProblem } from './problem.js';
import { sampleRatio } from './problem.js';
import type { LayerState, SolverState } from './state.js';
import { accumulateRows, addQuadRow } from './triangular.js';

/** g^l(t) = ξ^l(t) + Σ_{s<t} [R↓^{l+1} + ηγ̄ G^{l+1}](t,s) a^l(s) (theory/proportional.md#layers). */
export function backwardSweep(p: ProportionalProblem, st: SolverState, t: number): void {
  const { n, layers } = st;
  const k = p.eta * p.gammaBar;
  for (let l = layers.length - 1; l >= 0; l--) {
    const L = layers[l];
    const above = l + 1 < layers.length ? layers[l + 1] : null;
    const Gabove = above ? above.G : st.ones;
    st.tmp.fill(0);
    const kg = kernelRow(n, t, Gabove, k, above ? above.gX : null, 1);
    accumulateFromRow(L.gX, kg, L.aX, n, t, t - 1);
    L.gB[t * n + t] = 1;
    accumulateFromRow(L.gB, kg, L.aB, n, t, t - 1);
    const Cbelow = l > 0 ? layers[l - 1].C : st.Ce;
    addQuadRow(L.G, L.gX, Cbelow, 1, n, t, st.tmp);
    addQuadRow(L.G, L.gB, Gabove, 1, n, t, st.tmp);
  }
}

/** a^l(t) = χ^l(t) + Σ_{s≤t} R↑^{l−1}(t,s) g^l(s) + ηγ̄ Σ_{s<t} C^{l−1}(t,s) g^l(s). */
export function forwardSweep(p: ProportionalProblem, st: SolverState, t: number): void {
  const { n, layers } = st;
  const k = p.eta * p.gammaBar;
  for (let l = 0; l < layers.length; l++) {
    const L = layers[l];
    const Cbelow = l > 0 ? layers[l - 1].C : st.Ce;
    const Rup = l > 0 ? layers[l - 1].aB : st.R0;
    const ka = new Float64Array(t + 1);
    for (let s = 0; s <= t; s++) ka[s] = Rup[t * n + s] + (s < t ? k * Cbelow[t * n + s] : 0);
    L.aX[t * n + t] = 1;
    accumulateFromRow(L.aX, ka, L.gX, n, t, t);
    accumulateFromRow(L.aB, ka, L.gB, n, t, t);
    const Gabove = l + 1 < layers.length ? layers[l + 1].G : st.ones;
    addQuadRow(L.C, L.aX, Cbelow, 1, n, t, st.tmp);
    addQuadRow(L.C, L.aB, Gabove, 1, n, t, st.tmp);
  }
}

/** Row t of a kernel k·M(t, s<t) + c·R(t, s<t) as a dense vector over s. */
function kernelRow(n: number, t: number, M: Float64Array, k: number, R: Float64Array | null, c: number): Float64Array {
  const out = new Float64Array(t + 1);
  for (let s = 0; s < t; s++) out[s] = k * M[t * n + s] + (R ? c * R[t * n + s] : 0);
  return out;
}

/** out[t,:] += Σ_{s ≤ to} kr[s] · a[s,:]. */
function accumulateFromRow(out: Float64Array, kr: Float64Array, a: Float64Array, n: number, t: number, to: number): void {
  const ot = t * n;
  for (let s = 0; s <= to; s++) {
    const c = kr[s];
    if (c === 0) continue;
    const as = s * n;
    for (let r = 0; r <= s; r++) out[ot + r] += c * a[as + r];
  }
}

/**
 * The predictor u(t) = β(t) − β* on each input group: b(t)/(γ̄ν) − β* with
 * b(t) = ζ0(t) + Σ_{s<t} [ν R↓^1 + ηγ̄ν G^1](t,s) e(s) (depth ≥ 1), or u(t) = −β* + η Σ_{s<t} e(s)
 * (depth 0). Then C_u row t and the response R_u row t.
 */
export function predictorStep(p: ProportionalProblem, st: SolverState, t: number): void {
  const { n } = st;
  const first: LayerState | undefined = st.layers[0];
  const kb = first ? kernelRow(n, t, first.G, p.eta * p.gammaBar * p.nu, first.gX, p.nu) : new Float64Array(t + 1).fill(p.eta);
  const scale = first ? 1 / (p.gammaBar * p.nu) : 1;
  p.spectrum.forEach((grp, gi) => {
    const g = st.groups[gi];
    st.tmp.fill(0);
    g.uS[t * n + t] = -1;
    scaledAccumulate(g.uS, kb, scale, g.eS, n, t);
    scaledAccumulate(g.uZ, kb, scale, g.eZ, n, t);
    if (first) {
      g.uZ0[t * n + t] = scale;
      scaledAccumulate(g.uZ0, kb, scale, g.eZ0, n, t);
    }
    const w = grp.weight * grp.lambda;
    addQuadRow(st.Cu, g.uS, st.ones, w * grp.teacherVar, n, t, st.tmp);
    addQuadRow(st.Cu, g.uZ, st.Cz, w, n, t, st.tmp);
    if (first) addQuadRow(st.Cu, g.uZ0, first.G, w * p.nu, n, t, st.tmp);
    const r = grp.weight * Math.sqrt(grp.lambda);
    for (let s = 0; s < t; s++) st.Ru[t * n + s] += r * g.uZ[t * n + s];
  });
}

function scaledAccumulate(out: Float64Array, kr: Float64Array, scale: number, a: Float64Array, n: number, t: number): void {
  const ot = t * n;
  for (let s = 0; s < t; s++) {
    const c = scale * kr[s];
    if (c === 0) continue;
    const as = s * n;
    for (let r = 0; r <= s; r++) out[ot + r] += c * a[as + r];
  }
}

/**
 * Train residuals Δ(t) = σε − χ(t) − Σ_{s<t} R_u(t,s) Δ(s) (repeated data), C_Δ and R_Δ rows, and
 * the backward-source covariance C_ζ = α C_Δ; online: R_Δ = −κ I and C_ζ(t,t) = κ(σ² + C_u(t,t)).
 */
export function residualStep(p: ProportionalProblem, st: SolverState, t: number): void {
  const { n } = st;
  const a = sampleRatio(p.data);
  if (p.data.kind === 'online') {
    st.Rd[t * n + t] = -a;
    st.Cz[t * n + t] = a * (p.sigma * p.sigma + st.Cu[t * n + t]);
    st.Cd[t * n + t] = p.sigma * p.sigma + st.Cu[t * n + t];
    return;
  }
  st.dS[t * n + t] = p.sigma;
  st.dX[t * n + t] = -1;
  accumulateRows(st.dS, st.Ru, -1, st.dS, n, t, 0, t - 1);
  accumulateRows(st.dX, st.Ru, -1, st.dX, n, t, 0, t - 1);
  addQuadRow(st.Cd, st.dS, st.ones, 1, n, t, st.tmp);
  addQuadRow(st.Cd, st.dX, st.Cu, 1, n, t, st.tmp);
  for (let s = 0; s <= t; s++) {
    st.Rd[t * n + s] = a * st.dX[t * n + s];
    st.Cz[t * n + s] = a * st.Cd[t * n + s];
    st.Cz[s * n + t] = a * st.Cd[s * n + t];
  }
}

/** e(t) = (√λ ζ(t) + λ Σ_{s≤t} R_Δ(t,s) u(s))/α on each group; C_e and R_0 rows. */
export function errorStep(p: ProportionalProblem, st: SolverState, t: number): void {
  const { n } = st;
  const a = sampleRatio(p.data);
  const first = st.layers[0];
  p.spectrum.forEach((grp, gi) => {
    const g = st.groups[gi];
    const c = grp.lambda / a;
    accumulateRows(g.eS, st.Rd, c, g.uS, n, t, 0, t);
    g.eZ[t * n + t] = Math.sqrt(grp.lambda) / a;
    accumulateRows(g.eZ, st.Rd, c, g.uZ, n, t, 0, t);
    if (first) accumulateRows(g.eZ0, st.Rd, c, g.uZ0, n, t, 0, t);
    addQuadRow(st.Ce, g.eS, st.ones, grp.weight * grp.teacherVar, n, t, st.tmp);
    addQuadRow(st.Ce, g.eZ, st.Cz, grp.weight, n, t, st.tmp);
    if (first) {
      addQuadRow(st.Ce, g.eZ0, first.G, grp.weight * p.nu, n, t, st.tmp);
      for (let s = 0; s <= t; s++) st.R0[t * n + s] += grp.weight * g.eZ0[t * n + s];
    }
  });
}
