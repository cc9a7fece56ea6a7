/**
 * Dual activation of any φ by 2-D Gauss–Hermite quadrature (theory/ntk.md#quadrature).
 *
 * With z_a, w_a the nodes and weights of the n-point rule for E g(Z), Z ~ N(0, 1)
 * (src/core/gaussHermite.ts), write (u, v) ~ N(0, Λ) as u = √Λ11 z_a,
 * v = √Λ22 (ρ z_a + √(1 − ρ²) z_b), ρ clipped to [−1, 1], and
 *
 *   E[φ(u)φ(v)] ≈ Σ_a w_a φ(u_a) Σ_b w_b φ(v_ab),     E[φ'(u)φ'(v)] likewise with φ'.
 *
 * The tensor rule is exact for polynomials of degree ≤ 2n − 1 in each of z_a, z_b and converges
 * geometrically for entire φ (tanh: geometrically, at a rate set by its poles at ±iπ/2). For a
 * kinked φ (abs, max, …) the error decays only algebraically in n: a warning says so.
 * A zero variance makes the variable identically 0 (one node) and never gives NaN.
 */
import type { Activation } from '../../finite/activation.js';
import { gaussHermiteNormal } from '../../core/gaussHermite.js';
import { type DualActivation, clippedCorrelation } from './dualTypes.js';

/**
 * Default number of nodes per dimension (n² evaluations of φ and of φ' per kernel entry). Measured
 * on erf (closed form): 64 nodes leave 1.5e-5 relative error in E[φ'φ'] at variance 3, 128 nodes
 * 1e-10; 96 keeps variances ≤ 3 (typical pre-activations) below 1e-6. Smooth activations use the
 * Hermite expansion (dualHermite.ts) and reach this rule only as a fallback.
 */
export const DEFAULT_QUADRATURE_NODES = 96;

/**
 * g where it is finite; at a point where g is not (φ' of abs(x) at 0 is 0/0 in mathjs' symbolic
 * derivative) the mean of the one-sided values g(x ± 1e-9·max(1, |x|)), and 0 if those fail too.
 */
function finiteOrLimit(g: (x: number) => number): (x: number) => number {
  return (x) => {
    const v = g(x);
    if (v - v === 0) return v;
    const h = 1e-9 * Math.max(1, Math.abs(x));
    const m = (g(x + h) + g(x - h)) / 2;
    return m - m === 0 ? m : 0;
  };
}

/** The tensor rule and the functions it integrates. */
interface Rule {
  readonly z: Float64Array;
  readonly w: Float64Array;
  readonly n: number;
  readonly f: (x: number) => number;
  readonly df: (x: number) => number;
  readonly tmp: Float64Array;
}

/** out ← (E φ(cZ), E φ'(cZ)), Z ~ N(0, 1), by the 1-D rule (c ≥ 0). */
function oneD(q: Rule, c: number, out: Float64Array): void {
  const { z, w, n, f, df } = q;
  let s0 = 0;
  let s1 = 0;
  for (let b = 0; b < n; b++) {
    const v = c * z[b];
    s0 += w[b] * f(v);
    s1 += w[b] * df(v);
  }
  out[0] = s0;
  out[1] = s1;
}

/** (E φ(u)φ(v), E φ'(u)φ'(v)) by the tensor rule (see the file comment). */
function pair(q: Rule, l11: number, l12: number, l22: number, out: Float64Array): void {
  const { z, w, n, f, df } = q;
  // The tensor rule is not symmetric in (u, v); ordering the variances makes the map exactly
  // symmetric (E(Λ11, Λ12, Λ22) = E(Λ22, Λ12, Λ11) bit for bit).
  if (l11 > l22) {
    const t = l11;
    l11 = l22;
    l22 = t;
  }
  if (!(l11 > 0) || !(l22 > 0)) {
    // One variable is identically 0: E[φ(0)φ(v)] = φ(0) E φ(v).
    const c = l11 > 0 ? Math.sqrt(l11) : l22 > 0 ? Math.sqrt(l22) : 0;
    oneD(q, c, q.tmp);
    out[0] = f(0) * q.tmp[0];
    out[1] = df(0) * q.tmp[1];
    return;
  }
  const su = Math.sqrt(l11);
  const sv = Math.sqrt(l22);
  const rho = clippedCorrelation(l12, Math.sqrt(l11 * l22));
  const a1 = sv * rho;
  const a2 = sv * Math.sqrt(1 - rho * rho);
  let e0 = 0;
  let e1 = 0;
  for (let a = 0; a < n; a++) {
    const za = z[a];
    const u = su * za;
    const base = a1 * za;
    let s0 = 0;
    let s1 = 0;
    for (let b = 0; b < n; b++) {
      const v = base + a2 * z[b];
      s0 += w[b] * f(v);
      s1 += w[b] * df(v);
    }
    e0 += w[a] * f(u) * s0;
    e1 += w[a] * df(u) * s1;
  }
  out[0] = e0;
  out[1] = e1;
}

/** (E φ(u)², E φ'(u)²), u ~ N(0, l11). */
function diag(q: Rule, l11: number, out: Float64Array): void {
  const { z, w, n, f, df } = q;
  const c = l11 > 0 ? Math.sqrt(l11) : 0;
  let s0 = 0;
  let s1 = 0;
  for (let a = 0; a < n; a++) {
    const u = c * z[a];
    const fu = f(u);
    const du = df(u);
    s0 += w[a] * fu * fu;
    s1 += w[a] * du * du;
  }
  out[0] = s0;
  out[1] = s1;
}

export function quadratureDual(act: Activation, nodes = DEFAULT_QUADRATURE_NODES, kinked = false): DualActivation {
  const rule = gaussHermiteNormal(nodes);
  const z = Float64Array.from(rule.nodes);
  const q: Rule = { z, w: Float64Array.from(rule.weights), n: z.length, f: finiteOrLimit(act.f), df: finiteOrLimit(act.df), tmp: new Float64Array(2) };
  const warnings = kinked
    ? [
        `activation ${JSON.stringify(act.name)} has a kink: its kernels are computed by ${q.n}-point Gauss–Hermite ` +
          'quadrature, which converges only algebraically for non-smooth functions (expect errors ~1e-3 rather than 1e-12)',
      ]
    : [];
  return {
    name: act.name,
    method: 'quadrature',
    warnings,
    pair: (l11, l12, l22, out) => pair(q, l11, l12, l22, out),
    diag: (l11, out) => diag(q, l11, out),
  };
}
