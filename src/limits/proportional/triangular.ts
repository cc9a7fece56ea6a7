/**
 * Row-wise products of the causal solver (theory/proportional.md#causal-solver): square n×n
 * row-major matrices over times 0..n−1; coefficient matrices are lower triangular (incl. diagonal).
 */

/** out[t, :] += Σ_{s ∈ [from, to]} k[t, s] · a[s, :] (only columns ≤ t of a are non-zero). */
export function accumulateRows(out: Float64Array, k: Float64Array, kScale: number, a: Float64Array, n: number, t: number, from: number, to: number): void {
  const ot = t * n;
  for (let s = from; s <= to; s++) {
    const c = kScale * k[t * n + s];
    if (c === 0) continue;
    const as = s * n;
    for (let r = 0; r <= s; r++) out[ot + r] += c * a[as + r];
  }
}

/**
 * Row t of scale · A C Aᵀ added into `out` (both triangles, entries (t, s), s ≤ t). A is lower
 * triangular, C symmetric and filled for rows ≤ t. `tmp` has length n.
 */
export function addQuadRow(out: Float64Array, a: Float64Array, c: Float64Array, scale: number, n: number, t: number, tmp: Float64Array): void {
  if (scale === 0) return;
  const at = t * n;
  tmp.fill(0, 0, t + 1);
  for (let r = 0; r <= t; r++) {
    const x = a[at + r];
    if (x === 0) continue;
    const cr = r * n;
    for (let q = 0; q <= t; q++) tmp[q] += x * c[cr + q];
  }
  for (let s = 0; s <= t; s++) {
    const as = s * n;
    let acc = 0;
    for (let q = 0; q <= s; q++) acc += tmp[q] * a[as + q];
    out[t * n + s] += scale * acc;
    if (s !== t) out[s * n + t] += scale * acc;
  }
}

/** (A C Aᵀ)[t, t] from complete matrices (for the residual check). */
export function quadDiag(a: Float64Array, c: Float64Array, n: number, t: number): number {
  const at = t * n;
  let acc = 0;
  for (let r = 0; r <= t; r++) {
    const x = a[at + r];
    if (x === 0) continue;
    let inner = 0;
    const cr = r * n;
    for (let q = 0; q < n; q++) inner += c[cr + q] * a[at + q];
    acc += x * inner;
  }
  return acc;
}

/** n×n matrix of ones (covariance of a time-constant unit-variance source). */
export function ones(n: number): Float64Array {
  return new Float64Array(n * n).fill(1);
}

/** out[t, :] += scale · Σ_{s ≤ to} kr[s] · a[s, :] (kr a dense row over s). */
export function accumulateKernelRow(out: Float64Array, kr: Float64Array, scale: number, a: Float64Array, n: number, t: number, to: number): void {
  const ot = t * n;
  for (let s = 0; s <= to; s++) {
    const c = scale * kr[s];
    if (c === 0) continue;
    const as = s * n;
    for (let r = 0; r <= s; r++) out[ot + r] += c * a[as + r];
  }
}
