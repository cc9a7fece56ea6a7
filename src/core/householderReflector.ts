/**
 * One Householder reflector of the tridiagonal reduction (householderTridiagonal.ts;
 * theory/numerics.md#eigh), in LAPACK dlarfg's convention and with its scaling of tiny vectors.
 */
/** LAPACK dlarfg's threshold safmin/ε = 2^−1022/2^−52 on |β|, and its inverse (exact powers of two). */
const SAFMIN = 2 ** -970;
const RSAFMIN = 2 ** 970;

/**
 * Reflector H = I − τ v vᵀ with H x = β e₁ for x = w[rk+j0 .. rk+n−1] (LAPACK dlarfg convention:
 * v[j0] = 1, β = −sign(x₀)‖x‖, τ = (β − x₀)/β). Writes v into u[j0..n−1] and into w's row (for
 * forming Q later), β into e[k]; returns τ (0 when x is already a multiple of e₁). A vector with
 * |β| < 2^−970 (subnormal entries) is scaled up first, so v and τ stay finite.
 */
export function householder(
  w: Float64Array, rk: number, j0: number, n: number, u: Float64Array, e: Float64Array, k: number,
): number {
  const x0 = w[rk + j0];
  let scale = 0;
  for (let j = j0 + 1; j < n; j++) scale = Math.max(scale, Math.abs(w[rk + j]));
  if (scale === 0) {
    e[k] = x0;
    w[rk + j0] = 1;
    for (let j = j0 + 1; j < n; j++) w[rk + j] = 0;
    return 0;
  }
  scale = Math.max(scale, Math.abs(x0));
  let ss = 0;
  for (let j = j0; j < n; j++) {
    const t = w[rk + j] / scale;
    ss += t * t;
  }
  const norm = scale * Math.sqrt(ss);
  const beta = x0 >= 0 ? -norm : norm;
  if (Math.abs(beta) < SAFMIN) {
    // 1/(x0 − β) below would overflow (|β| < 2^−1024 for subnormal x) and give Inf·0 = NaN in v.
    // As LAPACK dlarfg: scale x by 2^970 (exact, and |x_j| ≤ |β| keeps it ≤ 1), reflect the
    // scaled vector (τ and v are scale-invariant, and now |β| ≥ 2^−104) and scale β back.
    for (let j = j0; j < n; j++) w[rk + j] *= RSAFMIN;
    const t = householder(w, rk, j0, n, u, e, k);
    e[k] *= SAFMIN;
    return t;
  }
  const tau = (beta - x0) / beta;
  const f = 1 / (x0 - beta);
  u[j0] = 1;
  w[rk + j0] = 1;
  for (let j = j0 + 1; j < n; j++) {
    const v = w[rk + j] * f;
    u[j] = v;
    w[rk + j] = v;
  }
  e[k] = beta;
  return tau;
}
