/**
 * The single-site process of a deep linear network with blocks h^{l+1} = a h^l + b W^l h^l/√N,
 * solved jointly over all layers by tracking every single-site variable as a linear combination
 * of the independent Gaussian sources (theory/deeplinear.md#joint-solver). Covers the residual
 * network (a = 1, b = β0/√L; Bordelon et al. depth-μP) and, with a = 0, b = 1, the plain chain —
 * an independent second method for the layer recursion of causal.ts.
 *
 * Single-site equations (ε = η γ0/P; s < t throughout; theory/deeplinear.md#single-site with a skip term):
 *   h^1_μ(t) = u^1_μ + ε Σ_s Σ_ν Δ_ν(s) K^x_{μν} g^1(s)
 *   h^{l+1}_μ(t) = a h^l_μ(t) + b [u^{l+1}_μ(t) + Σ_s (A^l_μ(t,s) + ε b Σ_ν Δ_ν(s) H^l_{μν}(t,s)) g^{l+1}(s)]
 *   g^last(t) = w_0 + ε Σ_s Σ_ν Δ_ν(s) h^last_ν(s)
 *   g^l(t) = a g^{l+1}(t) + b [r^l(t) + Σ_s Σ_ν (B^{l+1}_ν(t,s) + ε b Δ_ν(s) G^{l+1}(t,s)) h^l_ν(s)]
 * with sources u^1 ~ N(0, K^x), u^{l+1} ~ GP(0, H^l), r^l ~ GP(0, G^{l+1}), w_0 ~ N(0, 1), all
 * independent; A^l = ∂h^l/∂r^l and B^{l+1} = ∂g^{l+1}/∂u^{l+1} are read off the coefficients
 * (the variables are linear in the sources with deterministic coefficients). f_μ = ⟨g^last h^last_μ⟩/γ0.
 *
 * Cost O(B² P³ T³) for B blocks: meant for residual networks and for cross-checks at small sizes.
 * Needs γ0 > 0 (γ0 = 0 is the frozen-kernel limit, exact.ts).
 */
import { InputError } from '../../core/errors.js';
import type { Status } from '../../core/errors.js';
import { mat } from '../../core/matrix.js';
import { type DeepLinearProblem, branchScale, checkProblem } from './problem.js';
import { MAX_STORED_DOUBLES } from './causal.js';
import { type Layout, jointStorage, layout } from './jointLayout.js';
import { type DeepLinearSolution, predictionIdentityResidual } from './solution.js';
import { DIVERGENCE_FACTOR } from '../../finite/runDefaults.js';

export interface JointOptions {
  progress?: (fraction: number) => void;
  divergenceFactor?: number;
}

/** Coefficients and kernels of every single-site variable, built causally one step at a time. */
class JointState {
  readonly ch: Float64Array[];
  readonly cg: Float64Array[];
  readonly Hk: Float64Array[];
  readonly Gk: Float64Array[];
  private readonly xs: Float64Array;
  private readonly kx: Float64Array;

  constructor(private readonly lay: Layout, kx: Float64Array, private readonly skip: number, private readonly bs: number,
    private readonly eps: number) {
    const { n, ns, Tc, B } = lay;
    const R = B + 1;
    this.ch = Array.from({ length: R }, () => new Float64Array(n * ns));
    this.cg = Array.from({ length: R }, () => new Float64Array(Tc * ns));
    this.Hk = Array.from({ length: R }, () => new Float64Array(n * n));
    this.Gk = Array.from({ length: R }, () => new Float64Array(Tc * Tc));
    this.xs = new Float64Array(ns);
    this.kx = kx;
  }

  /** xs ← x Σ over the sources with time ≤ t (Σ block-diagonal: K^x, H^l, G^{l+1}, 1). */
  private timesSigma(x: Float64Array, xo: number, t: number): void {
    const { P, n, Tc, B, uOff, rOff, wOff } = this.lay;
    const xs = this.xs;
    xs.fill(0);
    for (let mu = 0; mu < P; mu++) {
      let s = 0;
      for (let nu = 0; nu < P; nu++) s += x[xo + nu] * this.kx[nu * P + mu];
      xs[mu] = s;
    }
    const m = (t + 1) * P;
    for (let l = 0; l < B; l++) {
      const off = uOff[l];
      const C = this.Hk[l];
      for (let j = 0; j < m; j++) {
        const v = x[xo + off + j];
        if (v === 0) continue;
        const co = j * n;
        for (let k = 0; k < m; k++) xs[off + k] += v * C[co + k];
      }
      const roff = rOff[l];
      const Cg = this.Gk[l + 1];
      for (let j = 0; j <= t; j++) {
        const v = x[xo + roff + j];
        if (v === 0) continue;
        for (let k = 0; k <= t; k++) xs[roff + k] += v * Cg[j * Tc + k];
      }
    }
    xs[wOff] = x[xo + wOff];
  }

  /** ⟨x y⟩ = (x Σ)·y, with xs = x Σ from the last timesSigma, over the sources with time ≤ t. */
  private dotXs(y: Float64Array, yo: number, t: number): number {
    const { P, B, uOff, rOff, wOff } = this.lay;
    const xs = this.xs;
    let s = 0;
    for (let mu = 0; mu < P; mu++) s += xs[mu] * y[yo + mu];
    const m = (t + 1) * P;
    for (let l = 0; l < B; l++) {
      const off = uOff[l];
      for (let k = 0; k < m; k++) s += xs[off + k] * y[yo + off + k];
      const roff = rOff[l];
      for (let k = 0; k <= t; k++) s += xs[roff + k] * y[yo + roff + k];
    }
    return s + xs[wOff] * y[yo + wOff];
  }

  /** Row block t of H for representation r (mirrored). */
  private hKernelRows(r: number, t: number): void {
    const { P, n, ns } = this.lay;
    const c = this.ch[r];
    const H = this.Hk[r];
    for (let mu = 0; mu < P; mu++) {
      const i = t * P + mu;
      this.timesSigma(c, i * ns, t);
      for (let k = 0; k < (t + 1) * P; k++) {
        const v = this.dotXs(c, k * ns, t);
        H[i * n + k] = v;
        H[k * n + i] = v;
      }
    }
  }

  /** Row t of G for representation r (mirrored). */
  private gKernelRow(r: number, t: number): void {
    const { Tc, ns } = this.lay;
    const c = this.cg[r];
    const G = this.Gk[r];
    this.timesSigma(c, t * ns, t);
    for (let s = 0; s <= t; s++) {
      const v = this.dotXs(c, s * ns, t);
      G[t * Tc + s] = v;
      G[s * Tc + t] = v;
    }
  }

  /** dst row += coef · src row (length ns). */
  private axpy(dst: Float64Array, dof: number, coef: number, src: Float64Array, sof: number): void {
    if (coef === 0) return;
    const ns = this.lay.ns;
    for (let k = 0; k < ns; k++) dst[dof + k] += coef * src[sof + k];
  }

  /** Upward sweep at step t: h^1, then h^{l+1} = a h^l + b χ^{l+1}, with their kernels. */
  upward(t: number, delta: Float64Array): void {
    const { P, n, ns, B, uOff, rOff } = this.lay;
    const { ch, cg, kx, eps, bs } = this;
    for (let mu = 0; mu < P; mu++) {
      const row = (t * P + mu) * ns;
      ch[0][row + mu] = 1;
      for (let s = 0; s < t; s++) {
        let w = 0;
        for (let nu = 0; nu < P; nu++) w += delta[s * P + nu] * kx[mu * P + nu];
        this.axpy(ch[0], row, eps * w, cg[0], s * ns);
      }
    }
    this.hKernelRows(0, t);
    for (let l = 1; l <= B; l++) {
      const prev = ch[l - 1];
      const cur = ch[l];
      const Hp = this.Hk[l - 1];
      for (let mu = 0; mu < P; mu++) {
        const i = t * P + mu;
        const row = i * ns;
        if (this.skip) this.axpy(cur, row, 1, prev, row);
        cur[row + uOff[l - 1] + i] += bs;
        for (let s = 0; s < t; s++) {
          const A = prev[row + rOff[l - 1] + s];
          let w = 0;
          for (let nu = 0; nu < P; nu++) w += delta[s * P + nu] * Hp[i * n + s * P + nu];
          this.axpy(cur, row, bs * (A + eps * bs * w), cg[l], s * ns);
        }
      }
      this.hKernelRows(l, t);
    }
  }

  /** Downward sweep at step t: the readout g^last, then g^l = a g^{l+1} + b ξ^l, with their kernels. */
  downward(t: number, delta: Float64Array): void {
    const { P, ns, Tc, B, uOff, rOff, wOff } = this.lay;
    const { ch, cg, eps, bs } = this;
    const row = t * ns;
    cg[B][row + wOff] = 1;
    for (let s = 0; s < t; s++) for (let nu = 0; nu < P; nu++) this.axpy(cg[B], row, eps * delta[s * P + nu], ch[B], (s * P + nu) * ns);
    this.gKernelRow(B, t);
    for (let l = B; l >= 1; l--) {
      const up = cg[l];
      const cur = cg[l - 1];
      const hs = ch[l - 1];
      if (this.skip) this.axpy(cur, row, 1, up, row);
      cur[row + rOff[l - 1] + t] += bs;
      for (let s = 0; s < t; s++) {
        const gts = this.Gk[l][t * Tc + s];
        for (let nu = 0; nu < P; nu++) {
          const j = s * P + nu;
          const Bc = up[row + uOff[l - 1] + j];
          this.axpy(cur, row, bs * (Bc + eps * bs * delta[j] * gts), hs, j * ns);
        }
      }
      this.gKernelRow(l - 1, t);
    }
  }

  /** f_μ(t) = ⟨g^last(t) h^last_μ(t)⟩/γ0 into f[t·P + μ]. */
  output(t: number, gamma0: number, f: Float64Array): void {
    const { P, ns, B } = this.lay;
    this.timesSigma(this.cg[B], t * ns, t);
    for (let mu = 0; mu < P; mu++) f[t * P + mu] = this.dotXs(this.ch[B], (t * P + mu) * ns, t) / gamma0;
  }

  /** a_ν(t) = (coefficient of g^1(t) on u^1_ν)/γ0 + (η/P) Σ_{s<t} Δ_ν(s) G^1(t, s). */
  coefficients(t: number, gamma0: number, lrOverP: number, delta: Float64Array, a: Float64Array): void {
    const { P, ns, Tc } = this.lay;
    for (let nu = 0; nu < P; nu++) {
      let s = this.cg[0][t * ns + nu] / gamma0;
      for (let q = 0; q < t; q++) s += lrOverP * delta[q * P + nu] * this.Gk[0][t * Tc + q];
      a[t * P + nu] = s;
    }
  }
}

/**
 * Solve the single-site process of `p` (plain or residual) jointly: plain → a = 0, b = 1,
 * L − 1 blocks; residual → a = 1, b = β0/√L, L blocks.
 */
export function solveJoint(p: DeepLinearProblem, opts: JointOptions = {}): DeepLinearSolution {
  checkProblem(p);
  if (!(p.gamma0 > 0)) throw new InputError('model.gamma0', 'the joint single-site solver needs γ0 > 0 (γ0 = 0 is the frozen-kernel limit)');
  const residual = p.architecture.kind === 'residual';
  const B = residual ? p.depth : p.depth - 1;
  const P = p.y.length;
  const Tc = p.steps + 1;
  const need = jointStorage(P, p.steps, B);
  if (need > MAX_STORED_DOUBLES) {
    throw new InputError('training.steps', `the joint deep-linear solver stores about ${need.toExponential(2)} numbers (limit ${MAX_STORED_DOUBLES.toExponential(1)}): use fewer steps or training points`);
  }
  const t0 = performance.now();
  const lay = layout(P, Tc, B);
  const st = new JointState(lay, p.kx.data, residual ? 1 : 0, residual ? branchScale(p) : 1, (p.lr * p.gamma0) / P);
  const delta = new Float64Array(Tc * P);
  const f = new Float64Array(Tc * P);
  const a = new Float64Array(Tc * P);
  const loss = new Float64Array(Tc);
  const factor = opts.divergenceFactor ?? DIVERGENCE_FACTOR;
  let status: Status = 'ok';
  let message = '';
  let T = 0;
  let lastPct = -1;
  for (let t = 0; t < Tc; t++) {
    st.upward(t, delta);
    st.downward(t, delta);
    st.output(t, p.gamma0, f);
    st.coefficients(t, p.gamma0, p.lr / P, delta, a);
    let sq = 0;
    for (let mu = 0; mu < P; mu++) {
      const d = p.y[mu] - f[t * P + mu];
      delta[t * P + mu] = d;
      sq += d * d;
    }
    loss[t] = sq / (2 * P);
    T = t + 1;
    if (!Number.isFinite(loss[t])) { status = 'nan'; message = `the recursion produced a non-finite output at step ${t}`; break; }
    if (loss[t] > factor * Math.max(1, loss[0])) {
      status = 'diverged';
      message = `train loss ${loss[t].toExponential(3)} at step ${t} exceeds ${factor} × max(1, initial loss): gradient descent diverges (lr too large?)`;
      break;
    }
    if (opts.progress) {
      const frac = Math.pow((t + 1) / Tc, 3);
      const pct = Math.floor(frac * 100);
      if (pct > lastPct) { lastPct = pct; opts.progress(frac); }
    }
  }
  const residualValue = predictionIdentityResidual(f, a, p.kx, T);
  const { n, ns } = lay;
  return {
    status, message, P, T, Tcap: Tc,
    f: f.subarray(0, T * P),
    a: a.subarray(0, T * P),
    trainLoss: loss.subarray(0, T),
    H: st.Hk.map((h) => mat(n, n, h)),
    G: st.Gk.map((g) => mat(Tc, Tc, g)),
    blockScale: residual ? branchScale(p) : 1,
    residual: residualValue,
    stats: { solver: 'joint', seconds: (performance.now() - t0) / 1000, predictionIdentityResidual: residualValue, timePoints: T, sources: ns },
  };
}
