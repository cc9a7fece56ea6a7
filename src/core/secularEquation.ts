/**
 * The rank-one update D + ρ z zᵀ of divide and conquer (divideConquer.ts; theory/numerics.md#eigh):
 * its secular equation solved per root from the nearer pole with a two-pole rational model (after
 * LAPACK dlaed4, "middle way", Li 1994) safeguarded by bisection, and its eigenvectors by the
 * Gu–Eisenstat 1995 recomputation of z.
 */

const EPS = 2.220446049250313e-16;

/**
 * Roots of 1/ρ + Σ_j z_j²/(d_j − λ) = 0, d ascending and distinct, one in each (d_i, d_{i+1}) and
 * the last in (d_{k−1}, d_{k−1} + ρ‖z‖²). Root i is returned as origin[i] (index of the nearer
 * pole) and tau[i] = λ_i − d[origin[i]], so that d_j − λ_i = (d_j − d_origin) − tau is accurate.
 */
export function solveSecular(d: Float64Array, z: Float64Array, rho: number): { origin: Int32Array; tau: Float64Array; ok: boolean } {
  const k = d.length;
  const origin = new Int32Array(k);
  const tau = new Float64Array(k);
  let ok = true;
  const invRho = 1 / rho;
  let zz = 0;
  for (let j = 0; j < k; j++) zz += z[j] * z[j];
  for (let i = 0; i < k; i++) {
    let o: number, lo: number, hi: number;
    if (i < k - 1) {
      const gap = d[i + 1] - d[i];
      const mid = 0.5 * gap;
      let g = invRho;
      for (let j = 0; j < k; j++) g += (z[j] * z[j]) / (d[j] - d[i] - mid);
      if (g >= 0) { o = i; lo = 0; hi = mid; } else { o = i + 1; lo = mid - gap; hi = 0; }
    } else {
      o = i; lo = 0; hi = rho * zz;
    }
    const r = secularRoot(d, z, k, i, o, lo, hi, invRho);
    origin[i] = o;
    tau[i] = r.x;
    if (!r.converged) ok = false;
  }
  return { origin, tau, ok };
}

/** One root in (lo, hi) relative to d[o]; see {@link solveSecular}. */
function secularRoot(
  d: Float64Array, z: Float64Array, k: number, i: number, o: number, lo: number, hi: number, invRho: number,
): { x: number; converged: boolean } {
  const dOrig = d[o];
  const p1 = d[i] - dOrig;
  const p2 = i < k - 1 ? d[i + 1] - dOrig : NaN;
  let x = 0.5 * (lo + hi);
  for (let it = 0; it < 300; it++) {
    let psi = 0, dpsi = 0, phi = 0, dphi = 0;
    for (let j = 0; j <= i; j++) { const t = z[j] / (d[j] - dOrig - x); psi += z[j] * t; dpsi += t * t; }
    for (let j = i + 1; j < k; j++) { const t = z[j] / (d[j] - dOrig - x); phi += z[j] * t; dphi += t * t; }
    const g = invRho + psi + phi;
    if (Math.abs(g) <= 8 * k * EPS * (invRho + Math.abs(psi) + Math.abs(phi))) return { x, converged: true };
    if (g < 0) lo = x; else hi = x;
    // Two-pole model C + s1/(p1 − y) + s2/(p2 − y) matching ψ, ψ′ and φ, φ′ at x.
    const del1 = p1 - x;
    const s1 = dpsi * del1 * del1;
    let xn = NaN;
    if (i < k - 1) {
      const del2 = p2 - x;
      const s2 = dphi * del2 * del2;
      const cc = g - s1 / del1 - s2 / del2;
      xn = quadraticRootIn(cc, -cc * (p1 + p2) - s1 - s2, cc * p1 * p2 + s1 * p2 + s2 * p1, lo, hi);
    } else {
      const cc = g - s1 / del1;
      if (cc > 0) xn = p1 + s1 / cc;
    }
    if (!(xn > lo && xn < hi)) xn = 0.5 * (lo + hi);
    if (xn === x || !(hi - lo > 2 * EPS * Math.max(Math.abs(lo), Math.abs(hi)))) return { x: xn, converged: true };
    x = xn;
  }
  return { x, converged: false };
}

/** A root of a y² + b y + c in (lo, hi) (stable formulas), or NaN. */
function quadraticRootIn(a: number, b: number, c: number, lo: number, hi: number): number {
  if (a === 0) return b === 0 ? NaN : -c / b;
  const disc = b * b - 4 * a * c;
  if (!(disc >= 0)) return NaN;
  const sq = Math.sqrt(disc);
  const q = -0.5 * (b + (b >= 0 ? sq : -sq));
  const r1 = q / a;
  if (r1 > lo && r1 < hi) return r1;
  const r2 = q !== 0 ? c / q : NaN;
  return r2 > lo && r2 < hi ? r2 : NaN;
}

/**
 * Eigenvectors of D + ρ ẑ ẑᵀ (k×k row-major, column i for root i), with ẑ recomputed from the
 * roots (Gu & Eisenstat 1995): ρ ẑ_j² = Π_i (λ_i − d_j) / Π_{i≠j} (d_i − d_j), sign of z_j; then
 * column i ∝ (ẑ_j / (d_j − λ_i))_j, normalized.
 */
export function rankOneVectors(d: Float64Array, z: Float64Array, rho: number, origin: Int32Array, tau: Float64Array): Float64Array {
  const k = d.length;
  const delta = (j: number, i: number) => d[j] - d[origin[i]] - tau[i]; // d_j − λ_i
  const zh = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let w = -delta(j, j);
    for (let i = 0; i < k; i++) if (i !== j) w *= -delta(j, i) / (d[i] - d[j]);
    zh[j] = (z[j] >= 0 ? 1 : -1) * Math.sqrt(Math.max(w, 0) / rho);
  }
  const u = new Float64Array(k * k);
  const norm = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const o = j * k;
    for (let i = 0; i < k; i++) {
      const dl = delta(j, i);
      const v = dl === 0 ? (zh[j] === 0 ? 0 : 1 / EPS) : zh[j] / dl;
      u[o + i] = v;
      norm[i] += v * v;
    }
  }
  for (let i = 0; i < k; i++) norm[i] = norm[i] > 0 ? 1 / Math.sqrt(norm[i]) : 0;
  for (let j = 0; j < k; j++) {
    const o = j * k;
    for (let i = 0; i < k; i++) u[o + i] *= norm[i];
  }
  return u;
}
