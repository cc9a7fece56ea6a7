/**
 * One layer of the plain deep-linear recursion in discrete time (theory/deeplinear.md#causal-solver;
 * theory/deeplinear.md#layer-solve), in the γ0-scaled variables that stay finite as γ0 → 0:
 *
 *   m_h[(t,μ), s] = R̃^{l−1}_μ(t,s) + (η/P) Σ_ν Δ_ν(s) H^{l−1}_{μν}(t,s)      (PT×T, s < t)
 *   m_g[t, (s,ν)] = Q̃^{l+1}_ν(t,s) + (η/P) Δ_ν(s) G^{l+1}(t,s)              (T×PT, s < t)
 *   F = (I − γ0² m_g m_h)^{−1},  R̃^l = m_h F,  Q̃^l = F m_g,  S = I + γ0² m_h Q̃^l
 *   W = H^{l−1} Q̃ᵀ,  Y = Q̃ H^{l−1} Q̃ᵀ
 *   H^l = H^{l−1} + γ0² (m_h Wᵀ + W m_hᵀ) + γ0⁴ m_h Y m_hᵀ + γ0² R̃ G^{l+1} R̃ᵀ   (= S H^{l−1} Sᵀ + …)
 *   G^l = γ0² Y + F G^{l+1} Fᵀ
 *
 * where R̃ = R/γ0, Q̃ = Q/γ0 and m = M/γ0 are the response functions and causal kernels of
 * theory/deeplinear.md#causal-solver divided by γ0. All of m_h, m_g, R̃, Q̃ are strictly causal and F is unit lower
 * triangular, so row t of every quantity needs only rows < t of the others, plus row t of
 * H^{l−1} (upward) or of G^{l+1}, Q̃^{l+1} (downward). Cost per step t: O(P² t²).
 */

/** The quantities one layer keeps, each a row-major Float64Array (n = P·Tc). */
export interface LayerArrays {
  /** H^l: n×n. */
  readonly H: Float64Array;
  /** G^l: Tc×Tc. */
  readonly G: Float64Array;
  /** m_h: n×Tc. */
  readonly mh: Float64Array;
  /** m_g: Tc×n. */
  readonly mg: Float64Array;
  /** F: Tc×Tc. */
  readonly F: Float64Array;
  /** R̃ = m_h F: n×Tc. */
  readonly Rt: Float64Array;
  /** Q̃ = F m_g: Tc×n. */
  readonly Qt: Float64Array;
  /** W = H^{l−1} Q̃ᵀ: n×Tc. */
  readonly Wm: Float64Array;
  /** Y = Q̃ H^{l−1} Q̃ᵀ: Tc×Tc. */
  readonly Y: Float64Array;
}

export function allocLayer(P: number, Tc: number): LayerArrays {
  const n = P * Tc;
  return {
    H: new Float64Array(n * n),
    G: new Float64Array(Tc * Tc),
    mh: new Float64Array(n * Tc),
    mg: new Float64Array(Tc * n),
    F: new Float64Array(Tc * Tc),
    Rt: new Float64Array(n * Tc),
    Qt: new Float64Array(Tc * n),
    Wm: new Float64Array(n * Tc),
    Y: new Float64Array(Tc * Tc),
  };
}

/** Sizes and constants shared by the layers. */
export interface Dims {
  readonly P: number;
  readonly Tc: number;
  readonly n: number;
  /** γ0². */
  readonly g2: number;
  /** η/P. */
  readonly c: number;
}

/** Inputs from the neighbouring layers (null: the boundary values H^0 = K^x, R̃^0 = 0, G^{L+1} = 1, Q̃^{L+1} = 0). */
export interface Neighbours {
  /** H^{l−1} (n×n). */
  readonly V: Float64Array;
  /** R̃^{l−1} (n×Tc) or null. */
  readonly Rprev: Float64Array | null;
  /** G^{l+1} (Tc×Tc) or null for all ones. */
  readonly Gnext: Float64Array | null;
  /** Q̃^{l+1} (Tc×n) or null for zero. */
  readonly Qnext: Float64Array | null;
}

/** Scratch rows reused by every step (no allocation in the time loop). */
export interface Scratch {
  readonly a1: Float64Array;
  readonly a2: Float64Array;
  readonly bv: Float64Array;
  readonly mm: Float64Array;
  readonly cv: Float64Array;
}

export function allocScratch(P: number, Tc: number): Scratch {
  return {
    a1: new Float64Array(P * Tc),
    a2: new Float64Array(P * Tc),
    bv: new Float64Array(P * Tc),
    mm: new Float64Array(Tc),
    cv: new Float64Array(Tc),
  };
}

/**
 * Upward part of step t: rows (t, ·) of m_h, W (columns s < t), R̃ and H^l (columns up to t,
 * mirrored). Needs row block t of H^{l−1} and R̃^{l−1}, Δ(s < t), and rows < t of everything else.
 */
export function upwardStep(L: LayerArrays, nb: Neighbours, d: Dims, delta: Float64Array, t: number, sc: Scratch): void {
  const { P, Tc, n, g2, c } = d;
  const { V, Rprev, Gnext } = nb;
  const { mh, Wm, Rt, F, Y, Qt, H } = L;
  const g4 = g2 * g2;
  for (let mu = 0; mu < P; mu++) {
    const i = t * P + mu;
    const vi = i * n;
    const ri = i * Tc;
    // m_h row (t, μ): columns s < t.
    for (let s = 0; s < t; s++) {
      let acc = 0;
      const vo = vi + s * P;
      const dl = s * P;
      for (let nu = 0; nu < P; nu++) acc += delta[dl + nu] * V[vo + nu];
      mh[ri + s] = (Rprev ? Rprev[ri + s] : 0) + c * acc;
    }
    // W row (t, μ), columns s < t: Σ_{j < sP} V[i, j] Q̃[s, j].
    for (let s = 0; s < t; s++) {
      let acc = 0;
      const qo = s * n;
      const lim = s * P;
      for (let j = 0; j < lim; j++) acc += V[vi + j] * Qt[qo + j];
      Wm[ri + s] = acc;
    }
    // R̃ row (t, μ) = m_h row · F: columns s' < t.
    for (let sp = 0; sp < t; sp++) {
      let acc = 0;
      for (let s = sp; s < t; s++) acc += mh[ri + s] * F[s * Tc + sp];
      Rt[ri + sp] = acc;
    }
    // a1 = m_h row · Y, a2 = R̃ row · G^{l+1} (columns < t), bv = γ0² W row + γ0⁴ a1.
    const ao = mu * Tc;
    for (let sp = 0; sp < t; sp++) {
      let s1 = 0;
      let s2 = 0;
      for (let s = 0; s < t; s++) {
        s1 += mh[ri + s] * Y[s * Tc + sp];
        s2 += Rt[ri + s] * (Gnext ? Gnext[s * Tc + sp] : 1);
      }
      sc.a1[ao + sp] = s1;
      sc.a2[ao + sp] = s2;
      sc.bv[ao + sp] = g2 * Wm[ri + sp] + g4 * s1;
    }
  }
  // H^l row block t against every (τ, ν) with τ ≤ t.
  for (let mu = 0; mu < P; mu++) {
    const i = t * P + mu;
    const ri = i * Tc;
    const ao = mu * Tc;
    for (let tau = 0; tau <= t; tau++) {
      for (let nu = 0; nu < P; nu++) {
        const k = tau * P + nu;
        const rk = k * Tc;
        let v = V[i * n + k];
        let s1 = 0;
        for (let s = 0; s < t; s++) s1 += mh[ri + s] * Wm[rk + s];
        let s2 = 0;
        for (let s = 0; s < tau; s++) s2 += sc.bv[ao + s] * mh[rk + s] + g2 * sc.a2[ao + s] * Rt[rk + s];
        v += g2 * s1 + s2;
        H[i * n + k] = v;
        H[k * n + i] = v;
      }
    }
  }
}

/**
 * Downward part of step t: row t of m_g, F, Q̃, column t of W (rows up to t), row/column t of Y
 * and G^l. Needs row t of G^{l+1} and Q̃^{l+1}, row block t of H^{l−1} (already computed by the
 * upward sweep), and rows < t of everything else.
 */
export function downwardStep(L: LayerArrays, nb: Neighbours, d: Dims, delta: Float64Array, t: number, sc: Scratch): void {
  const { P, Tc, n, g2, c } = d;
  const { V, Gnext, Qnext } = nb;
  const { mg, mh, F, Qt, Wm, Y, G } = L;
  const lim = t * P;
  const mo = t * n;
  // m_g row t: columns (s, ν) with s < t.
  for (let s = 0; s < t; s++) {
    const gv = Gnext ? Gnext[t * Tc + s] : 1;
    for (let nu = 0; nu < P; nu++) {
      const j = s * P + nu;
      mg[mo + j] = (Qnext ? Qnext[mo + j] : 0) + c * delta[j] * gv;
    }
  }
  // (m_g m_h)[t, s] for s < t, then F row t = e_t + γ0² (m_g m_h)[t, ·] F.
  // Row-streaming order (j outer): m_h[j, s] lives on s < ⌊j/P⌋.
  const mm = sc.mm;
  for (let s = 0; s < t; s++) mm[s] = 0;
  for (let j = P; j < lim; j++) {
    const g = mg[mo + j];
    if (g === 0) continue;
    const ro = j * Tc;
    const sEnd = Math.floor(j / P);
    for (let s = 0; s < sEnd; s++) mm[s] += g * mh[ro + s];
  }
  const fo = t * Tc;
  for (let sp = 0; sp < t; sp++) {
    let acc = 0;
    for (let s = sp; s < t; s++) acc += mm[s] * F[s * Tc + sp];
    F[fo + sp] = g2 * acc;
  }
  F[fo + t] = 1;
  // Q̃ row t = Σ_{s ≤ t} F[t, s] m_g[s, ·] (m_g row s lives on columns < sP).
  for (let j = 0; j < lim; j++) Qt[mo + j] = 0;
  for (let s = 1; s <= t; s++) {
    const f = F[fo + s];
    if (f === 0) continue;
    const so = s * n;
    const sl = s * P;
    for (let j = 0; j < sl; j++) Qt[mo + j] += f * mg[so + j];
  }
  // W column t for rows (τ, ν), τ ≤ t: Σ_{j < tP} H^{l−1}[k, j] Q̃[t, j].
  for (let k = 0; k < lim + P; k++) {
    let acc = 0;
    const vo = k * n;
    for (let j = 0; j < lim; j++) acc += V[vo + j] * Qt[mo + j];
    Wm[k * Tc + t] = acc;
  }
  // Y[t, s] = Q̃ row t · W column s, s ≤ t (accumulated row by row of W).
  const yo = t * Tc;
  for (let s = 0; s <= t; s++) Y[yo + s] = 0;
  for (let j = 0; j < lim; j++) {
    const q = Qt[mo + j];
    if (q === 0) continue;
    const wo = j * Tc;
    for (let s = 0; s <= t; s++) Y[yo + s] += q * Wm[wo + s];
  }
  for (let s = 0; s < t; s++) Y[s * Tc + t] = Y[yo + s];
  // G row t: γ0² Y[t, s] + (F G^{l+1} Fᵀ)[t, s], s ≤ t.
  const cv = sc.cv;
  for (let b = 0; b <= t; b++) {
    let acc = 0;
    for (let a = 0; a <= t; a++) acc += F[fo + a] * (Gnext ? Gnext[a * Tc + b] : 1);
    cv[b] = acc;
  }
  for (let s = 0; s <= t; s++) {
    let acc = 0;
    for (let b = 0; b <= s; b++) acc += cv[b] * F[s * Tc + b];
    const v = g2 * Y[t * Tc + s] + acc;
    G[t * Tc + s] = v;
    G[s * Tc + t] = v;
  }
}

/**
 * Output of the top layer at step t: f_μ(t) = C̃((t,μ), t) with
 * C̃ = ⟨h^L g^Lᵀ⟩/γ0 = W + γ0² m_h Y + R̃ G^{L+1} Fᵀ and G^{L+1} = 1 (theory/deeplinear.md#output).
 */
export function outputAt(L: LayerArrays, d: Dims, t: number, out: Float64Array): void {
  const { P, Tc, g2 } = d;
  const { Wm, mh, Y, Rt, F } = L;
  let fsum = 0;
  for (let s = 0; s <= t; s++) fsum += F[t * Tc + s];
  for (let mu = 0; mu < P; mu++) {
    const ri = (t * P + mu) * Tc;
    let my = 0;
    let rs = 0;
    for (let s = 0; s < t; s++) {
      my += mh[ri + s] * Y[s * Tc + t];
      rs += Rt[ri + s];
    }
    out[t * P + mu] = Wm[ri + t] + g2 * my + rs * fsum;
  }
}

/**
 * Coefficients of the learned function at step t (theory/deeplinear.md#predictions):
 * a_ν(t) = Σ_s Q̃^1[t, (s,ν)] + (η/P) Σ_{s<t} Δ_ν(s) G^1(t, s).
 */
export function coefficientsAt(first: LayerArrays, d: Dims, delta: Float64Array, t: number, out: Float64Array): void {
  const { P, Tc, n, c } = d;
  for (let nu = 0; nu < P; nu++) {
    let acc = 0;
    for (let s = 0; s < t; s++) acc += first.Qt[t * n + s * P + nu] + c * delta[s * P + nu] * first.G[t * Tc + s];
    out[t * P + nu] = acc;
  }
}
