/**
 * The depth ODE of the residual network at L = ∞ (theory/proportional.md#depth-ode): storage on a
 * grid τ_k = k/K and the right-hand sides of the two Riccati passes, row t of every (T+1)² matrix.
 * X (from above: g = X a + m), Y (from below: a = Y g + n), the source covariances M = Cov(m),
 * N = Cov(n), and the quantities derived from them: A = (I − YX)⁻¹, B = (I − XY)⁻¹,
 * ρ↑ = AY, ρ↓ = XA, C = A N Aᵀ + ρ↑ M ρ↑ᵀ, G = B M Bᵀ + ρ↓ N ρ↓ᵀ, P = ρ↑ + ηγ̄C₋, Q = ρ↓ + ηγ̄G₋
 * (₋: strictly lower part), and the products PX, XP, QY, YQ kept so a row costs O(t²).
 */
import { addQuadRow } from './triangular.js';

const NAMES = ['X', 'Y', 'N', 'M', 'A', 'B', 'Rup', 'Rdn', 'C', 'G', 'PX', 'XP', 'QY', 'YQ'] as const;
export type GridMatrix = (typeof NAMES)[number];

export interface DepthGrid {
  n: number;
  /** Grid steps K (points τ_k = k/K, k = 0..K). */
  K: number;
  /** β0² and ηγ̄. */
  b2: number;
  k: number;
  m: Record<GridMatrix, Float64Array[]>;
  tmp: Float64Array;
  v1: Float64Array;
  v2: Float64Array;
}

export function allocateGrid(n: number, K: number, beta0: number, etaGamma: number): DepthGrid {
  const m = {} as Record<GridMatrix, Float64Array[]>;
  for (const name of NAMES) m[name] = Array.from({ length: K + 1 }, () => new Float64Array(n * n));
  for (const A of [...m.A, ...m.B]) for (let i = 0; i < n; i++) A[i * n + i] = 1;
  return { n, K, b2: beta0 * beta0, k: etaGamma, m, tmp: new Float64Array(n), v1: new Float64Array(n), v2: new Float64Array(n) };
}

/** Zero row t and column t (entries (t, s), (s, t), s ≤ t) of a symmetric matrix. */
function clearSym(S: Float64Array, n: number, t: number): void {
  for (let s = 0; s <= t; s++) {
    S[t * n + s] = 0;
    S[s * n + t] = 0;
  }
}

/** out[c] = Σ_{r ≤ rmax} v[r] · Mat[r, c] for c ≤ cmax (out cleared first). */
function vecMat(out: Float64Array, v: Float64Array, vOff: number, Mat: Float64Array, n: number, rmax: number, cmax: number): void {
  out.fill(0, 0, cmax + 1);
  for (let r = 0; r <= rmax; r++) {
    const x = v[vOff + r];
    if (x === 0) continue;
    const ro = r * n;
    for (let c = 0; c <= cmax; c++) out[c] += x * Mat[ro + c];
  }
}

/**
 * Downward pass at grid point k for row t: from the current X row t (columns < t) and M row t
 * (symmetric), fill ρ↓, B, G, XP rows t and return into dX (columns < t) and dM (columns ≤ t)
 * the derivatives −dX/dτ = β0²(Q + XPX), −dM/dτ = β0²(XPM + M(XP)ᵀ + G + XCXᵀ).
 */
export function evalDown(g: DepthGrid, kk: number, t: number, dX: Float64Array, dM: Float64Array): void {
  const { n, m } = g;
  const X = m.X[kk], M = m.M[kk], A = m.A[kk], Rup = m.Rup[kk], C = m.C[kk], N = m.N[kk];
  const Rdn = m.Rdn[kk], B = m.B[kk], G = m.G[kk], XP = m.XP[kk], PX = m.PX[kk];
  const o = t * n;
  vecMat(g.v1, X, o, A, n, t - 1, t);
  for (let c = 0; c <= t; c++) Rdn[o + c] = c < t ? g.v1[c] : 0;
  vecMat(g.v1, X, o, Rup, n, t - 1, t);
  for (let c = 0; c <= t; c++) B[o + c] = g.v1[c] + (c === t ? 1 : 0);
  clearSym(G, n, t);
  addQuadRow(G, B, M, 1, n, t, g.tmp);
  addQuadRow(G, Rdn, N, 1, n, t, g.tmp);
  // XP row t = X_t P, P[r, c] = ρ↑[r, c] + ηγ̄ C[r, c] (c < r), rows r < t.
  XP.fill(0, o, o + n);
  for (let r = 0; r < t; r++) {
    const x = X[o + r];
    if (x === 0) continue;
    for (let c = 0; c <= r; c++) XP[o + c] += x * (Rup[r * n + c] + (c < r ? g.k * C[r * n + c] : 0));
  }
  vecMat(g.v1, X, o, PX, n, t - 1, t);
  for (let c = 0; c < t; c++) dX[c] = g.b2 * (Rdn[o + c] + g.k * G[o + c] + g.v1[c]);
  // y = X_t C (rows < t), for XCXᵀ.
  vecMat(g.v2, X, o, C, n, t - 1, t);
  for (let s = 0; s <= t; s++) {
    let acc = G[o + s];
    for (let r = 0; r < t; r++) acc += XP[o + r] * M[r * n + s];
    for (let q = 0; q < s; q++) acc += M[o + q] * XP[s * n + q] + g.v2[q] * X[s * n + q];
    dM[s] = g.b2 * acc;
  }
}

/**
 * Upward pass at grid point k for row t: from the current Y row t (columns ≤ t) and N row t, fill
 * A, ρ↑, C, QY, YQ rows t and return dY/dτ = β0²(P + YQY), dN/dτ = β0²(YQN + N(YQ)ᵀ + C + YGYᵀ).
 */
export function evalUp(g: DepthGrid, kk: number, t: number, dY: Float64Array, dN: Float64Array): void {
  const { n, m } = g;
  const Y = m.Y[kk], N = m.N[kk], M = m.M[kk], A = m.A[kk], Rup = m.Rup[kk], Rdn = m.Rdn[kk];
  const C = m.C[kk], G = m.G[kk], QY = m.QY[kk], YQ = m.YQ[kk];
  const o = t * n;
  vecMat(g.v1, Y, o, Rdn, n, t, t);
  for (let c = 0; c <= t; c++) A[o + c] = g.v1[c] + (c === t ? 1 : 0);
  vecMat(g.v1, A, o, Y, n, t, t);
  for (let c = 0; c <= t; c++) Rup[o + c] = g.v1[c];
  clearSym(C, n, t);
  addQuadRow(C, A, N, 1, n, t, g.tmp);
  addQuadRow(C, Rup, M, 1, n, t, g.tmp);
  // Q[r, c] = ρ↓[r, c] + ηγ̄ G[r, c] (c < r): QY row t (rows of Y < t), YQ row t (rows of Q ≤ t).
  QY.fill(0, o, o + n);
  for (let r = 0; r < t; r++) {
    const q = Rdn[o + r] + g.k * G[o + r];
    if (q === 0) continue;
    for (let c = 0; c <= r; c++) QY[o + c] += q * Y[r * n + c];
  }
  YQ.fill(0, o, o + n);
  for (let r = 0; r <= t; r++) {
    const y = Y[o + r];
    if (y === 0) continue;
    for (let c = 0; c < r; c++) YQ[o + c] += y * (Rdn[r * n + c] + g.k * G[r * n + c]);
  }
  vecMat(g.v1, Y, o, QY, n, t, t);
  for (let c = 0; c <= t; c++) dY[c] = g.b2 * (Rup[o + c] + (c < t ? g.k * C[o + c] : 0) + g.v1[c]);
  vecMat(g.v2, Y, o, G, n, t, t);
  for (let s = 0; s <= t; s++) {
    let acc = C[o + s];
    for (let q = 0; q < t; q++) acc += YQ[o + q] * N[q * n + s];
    for (let q = 0; q < s; q++) acc += N[o + q] * YQ[s * n + q];
    for (let q = 0; q <= s; q++) acc += g.v2[q] * Y[s * n + q];
    dN[s] = g.b2 * acc;
  }
}

/** PX row t at grid point k, once P row t (ρ↑, C) and X rows ≤ t are final. */
export function finishRow(g: DepthGrid, kk: number, t: number): void {
  const { n, m } = g;
  const X = m.X[kk], Rup = m.Rup[kk], C = m.C[kk], PX = m.PX[kk];
  const o = t * n;
  PX.fill(0, o, o + n);
  for (let q = 0; q <= t; q++) {
    const p = Rup[o + q] + (q < t ? g.k * C[o + q] : 0);
    if (p === 0) continue;
    for (let c = 0; c < q; c++) PX[o + c] += p * X[q * n + c];
  }
}
