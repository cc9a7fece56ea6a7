/**
 * Deterministic discretization of the reduced initial law (theory/subspace-reduction.md#quadrature):
 * w uniform on the unit sphere of R^4 and a = ±1 with a fair sign. The component u = w_1 has density
 * ∝ (1 − u²)^{1/2} on [−1, 1] (in R^d: (1 − u²)^{(d−3)/2}), r = √(1 − u²), and a is independent
 * of w. Gauss–Chebyshev quadrature of the second kind (N nodes, exact for polynomials in u of
 * degree ≤ 2N − 1 against that weight): u_i = cos(iπ/(N+1)), weights ∝ sin²(iπ/(N+1)); each node
 * carries a = +1 and a = −1 with half its weight: M = 2N weighted points.
 */
import type { ReducedMeasure } from './reducedField.js';

export interface ReducedInit {
  measure: ReducedMeasure;
  /** State [a | u | r] (reducedField.ts layout). */
  y: Float64Array;
}

export function sphereInitQuadrature(N: number): ReducedInit {
  if (!Number.isInteger(N) || N < 1) throw new RangeError(`sphereInitQuadrature: N must be a positive integer, got ${N}`);
  const M = 2 * N;
  const y = new Float64Array(3 * M);
  const weights = new Float64Array(M);
  let z = 0;
  for (let i = 0; i < N; i++) {
    const t = ((i + 1) * Math.PI) / (N + 1);
    const s = Math.sin(t);
    z += s * s;
  }
  for (let i = 0; i < N; i++) {
    const t = ((i + 1) * Math.PI) / (N + 1);
    const s = Math.sin(t);
    for (const [k, sign] of [[i, 1], [N + i, -1]] as const) {
      y[k] = sign;
      y[M + k] = Math.cos(t);
      y[2 * M + k] = s;
      weights[k] = (0.5 * s * s) / z;
    }
  }
  return { measure: { M, weights }, y };
}
