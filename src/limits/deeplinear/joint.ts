/**
 * The single-site process of a deep linear network with blocks h^{l+1} = a h^l + b W^l h^l/√N,
 * solved jointly over all layers by tracking every single-site variable as a linear combination
 * of the independent Gaussian sources (theory/deeplinear.md#joint-solver). Covers the residual
 * network (a = 1, b = β0/√L; Bordelon et al. depth-μP) and, with a = 0, b = 1, the plain chain —
 * an independent second method for the layer recursion of causal.ts.
 *
 * Single-site equations (ε = η γ0/P; s < t throughout; math.md §6 with a skip term):
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
import { type DeepLinearSolution, predictionIdentityResidual } from './solution.js';

export interface JointOptions {
  progress?: (fraction: number) => void;
  divergenceFactor?: number;
}

/** Column layout of the sources. */
interface Layout {
  readonly P: number;
  readonly Tc: number;
  readonly n: number;
  readonly B: number;
  /** Offset of U_l (l = 1..B, index l−1): n columns each. */
  readonly uOff: number[];
  /** Offset of R_l: Tc columns each. */
  readonly rOff: number[];
  readonly wOff: number;
  readonly ns: number;
}

function layout(P: number, Tc: number, B: number): Layout {
  const n = P * Tc;
  const uOff: number[] = [];
  const rOff: number[] = [];
  let o = P;
  for (let l = 0; l < B; l++) { uOff.push(o); o += n; }
  for (let l = 0; l < B; l++) { rOff.push(o); o += Tc; }
  return { P, Tc, n, B, uOff, rOff, wOff: o, ns: o + 1 };
}

/** Memory the joint solver needs, in doubles. */
export function jointStorage(P: number, steps: number, blocks: number): number {
  const Tc = steps + 1;
  const n = P * Tc;
  const lay = layout(P, Tc, blocks);
  return (blocks + 1) * ((n + Tc) * lay.ns + n * n + Tc * Tc);
}

/**
 * Solve the single-site process of `p` (plain or residual) jointly. `plainAsBlocks` is implied by
 * the architecture: plain → a = 0, b = 1, L − 1 blocks; residual → a = 1, b = β0/√L, L blocks.
 */
export function solveJoint(p: DeepLinearProblem, opts: JointOptions = {}): DeepLinearSolution {
  checkProblem(p);
  if (!(p.gamma0 > 0)) throw new InputError('model.gamma0', 'the joint single-site solver needs γ0 > 0 (γ0 = 0 is the frozen-kernel limit)');
  const residual = p.architecture.kind === 'residual';
  const B = residual ? p.depth : p.depth - 1;
  const skip = residual ? 1 : 0;
  const bs = residual ? branchScale(p) : 1;
  const P = p.y.length;
  const Tc = p.steps + 1;
  const need = jointStorage(P, p.steps, B);
  if (need > MAX_STORED_DOUBLES) {
    throw new InputError('training.steps', `the joint deep-linear solver stores about ${need.toExponential(2)} numbers (limit ${MAX_STORED_DOUBLES.toExponential(1)}): use fewer steps or training points`);
  }
  const t0 = performance.now();
  const lay = layout(P, Tc, B);
  const { n, ns } = lay;
  const R = B + 1;
  const ch = Array.from({ length: R }, () => new Float64Array(n * ns));
  const cg = Array.from({ length: R }, () => new Float64Array(Tc * ns));
  const Hk = Array.from({ length: R }, () => new Float64Array(n * n));
  const Gk = Array.from({ length: R }, () => new Float64Array(Tc * Tc));
  const kx = p.kx.data;
  const eps = (p.lr * p.gamma0) / P;
  const delta = new Float64Array(Tc * P);
  const f = new Float64Array(Tc * P);
  const a = new Float64Array(Tc * P);
  const loss = new Float64Array(Tc);
  const xs = new Float64Array(ns); // scratch: a row times Σ

  /** xs ← x Σ over the sources with time ≤ t. */
  const timesSigma = (x: Float64Array, xo: number, t: number): void => {
    xs.fill(0);
    for (let mu = 0; mu < P; mu++) {
      let s = 0;
      for (let nu = 0; nu < P; nu++) s += x[xo + nu] * kx[nu * P + mu];
      xs[mu] = s;
    }
    const m = (t + 1) * P;
    for (let l = 0; l < B; l++) {
      const off = lay.uOff[l];
      const C = Hk[l];
      for (let j = 0; j < m; j++) {
        const v = x[xo + off + j];
        if (v === 0) continue;
        const co = j * n;
        for (let k = 0; k < m; k++) xs[off + k] += v * C[co + k];
      }
      const roff = lay.rOff[l];
      const Cg = Gk[l + 1];
      for (let j = 0; j <= t; j++) {
        const v = x[xo + roff + j];
        if (v === 0) continue;
        for (let k = 0; k <= t; k++) xs[roff + k] += v * Cg[j * Tc + k];
      }
    }
    xs[lay.wOff] = x[xo + lay.wOff];
  };
  /** ⟨x y⟩ = (x Σ) · y with xs = x Σ already computed, over the sources with time ≤ t. */
  const dotXs = (y: Float64Array, yo: number, t: number): number => {
    let s = 0;
    for (let mu = 0; mu < P; mu++) s += xs[mu] * y[yo + mu];
    const m = (t + 1) * P;
    for (let l = 0; l < B; l++) {
      const off = lay.uOff[l];
      for (let k = 0; k < m; k++) s += xs[off + k] * y[yo + off + k];
      const roff = lay.rOff[l];
      for (let k = 0; k <= t; k++) s += xs[roff + k] * y[yo + roff + k];
    }
    return s + xs[lay.wOff] * y[yo + lay.wOff];
  };
  /** Row block t of the kernel of representation r (H, mirrored). */
  const hKernelRows = (r: number, t: number): void => {
    const c = ch[r];
    const H = Hk[r];
    for (let mu = 0; mu < P; mu++) {
      const i = t * P + mu;
      timesSigma(c, i * ns, t);
      for (let k = 0; k < (t + 1) * P; k++) {
        const v = dotXs(c, k * ns, t);
        H[i * n + k] = v;
        H[k * n + i] = v;
      }
    }
  };
  const gKernelRow = (r: number, t: number): void => {
    const c = cg[r];
    const G = Gk[r];
    timesSigma(c, t * ns, t);
    for (let s = 0; s <= t; s++) {
      const v = dotXs(c, s * ns, t);
      G[t * Tc + s] = v;
      G[s * Tc + t] = v;
    }
  };
  /** dst row += coef · src row (length ns). */
  const axpy = (dst: Float64Array, dof: number, coef: number, src: Float64Array, sof: number): void => {
    if (coef === 0) return;
    for (let k = 0; k < ns; k++) dst[dof + k] += coef * src[sof + k];
  };

  const factor = opts.divergenceFactor ?? 1e8;
  let status: Status = 'ok';
  let message = '';
  let T = 0;
  let lastPct = -1;
  for (let t = 0; t < Tc; t++) {
    // Upward: h^1, then the blocks.
    for (let mu = 0; mu < P; mu++) {
      const row = (t * P + mu) * ns;
      ch[0][row + mu] = 1;
      for (let s = 0; s < t; s++) {
        let w = 0;
        for (let nu = 0; nu < P; nu++) w += delta[s * P + nu] * kx[mu * P + nu];
        axpy(ch[0], row, eps * w, cg[0], s * ns);
      }
    }
    hKernelRows(0, t);
    for (let l = 1; l <= B; l++) {
      const prev = ch[l - 1];
      const cur = ch[l];
      const Hp = Hk[l - 1];
      for (let mu = 0; mu < P; mu++) {
        const i = t * P + mu;
        const row = i * ns;
        if (skip) axpy(cur, row, 1, prev, row);
        cur[row + lay.uOff[l - 1] + i] += bs;
        for (let s = 0; s < t; s++) {
          const A = prev[row + lay.rOff[l - 1] + s];
          let w = 0;
          for (let nu = 0; nu < P; nu++) w += delta[s * P + nu] * Hp[i * n + s * P + nu];
          axpy(cur, row, bs * (A + eps * bs * w), cg[l], s * ns);
        }
      }
      hKernelRows(l, t);
    }
    // Downward: the readout, then the blocks.
    {
      const row = t * ns;
      cg[B][row + lay.wOff] = 1;
      for (let s = 0; s < t; s++) for (let nu = 0; nu < P; nu++) axpy(cg[B], row, eps * delta[s * P + nu], ch[B], (s * P + nu) * ns);
      gKernelRow(B, t);
    }
    for (let l = B; l >= 1; l--) {
      const up = cg[l];
      const cur = cg[l - 1];
      const hs = ch[l - 1];
      const row = t * ns;
      if (skip) axpy(cur, row, 1, up, row);
      cur[row + lay.rOff[l - 1] + t] += bs;
      for (let s = 0; s < t; s++) {
        const gts = Gk[l][t * Tc + s];
        for (let nu = 0; nu < P; nu++) {
          const j = s * P + nu;
          const Bc = up[row + lay.uOff[l - 1] + j];
          axpy(cur, row, bs * (Bc + eps * bs * delta[j] * gts), hs, j * ns);
        }
      }
      gKernelRow(l - 1, t);
    }
    // Output f_μ(t) = ⟨g^last h^last_μ⟩/γ0 and the prediction coefficients.
    timesSigma(cg[B], t * ns, t);
    let sq = 0;
    for (let mu = 0; mu < P; mu++) {
      const v = dotXs(ch[B], (t * P + mu) * ns, t) / p.gamma0;
      f[t * P + mu] = v;
      const d = p.y[mu] - v;
      sq += d * d;
    }
    for (let nu = 0; nu < P; nu++) {
      let s = cg[0][t * ns + nu] / p.gamma0;
      for (let q = 0; q < t; q++) s += (p.lr / P) * delta[q * P + nu] * Gk[0][t * Tc + q];
      a[t * P + nu] = s;
    }
    for (let mu = 0; mu < P; mu++) delta[t * P + mu] = p.y[mu] - f[t * P + mu];
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
  return {
    status, message, P, T, Tcap: Tc,
    f: f.subarray(0, T * P),
    a: a.subarray(0, T * P),
    trainLoss: loss.subarray(0, T),
    H: Hk.map((h) => mat(n, n, h)),
    G: Gk.map((g) => mat(Tc, Tc, g)),
    blockScale: bs,
    residual: residualValue,
    stats: { solver: 'joint', seconds: (performance.now() - t0) / 1000, predictionIdentityResidual: residualValue, timePoints: T, sources: ns },
  };
}
