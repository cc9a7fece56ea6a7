/**
 * Gaussian expectations of ReLU-like neurons, for x ~ N(0, v I_d) (theory/meanfield.md#pair-kernel).
 *
 * With u = w·x, u' = w'·x (jointly Gaussian, Var u = v‖w‖², Cov = v w·w'), θ the angle of (w, w'):
 *   K(w, w')   = E[relu(u) relu(u')] = (v/2π) ‖w‖‖w'‖ (sin θ + (π − θ) cos θ)
 *                (arc-cosine kernel of degree 1: Cho, Saul 2009, Eq. (6); theory/ntk.md#dual-activations),
 *   ∇_w K      = E[relu'(u) relu(u') x] = (v/2π) [(π − θ) w' + sin θ (‖w'‖/‖w‖) w]   [derived],
 *   E[u relu(u')] = v w·w' / 2          (Stein's lemma),
 *   E[relu(u)]    = √v ‖w‖ / √(2π).
 * ABReLU φ(u) = p u + (q − p) relu(u) (theory/ntk.md#dual-activations) is a linear combination, so
 *   E[φ(u) φ(u')]    = pq v w·w' + (q − p)² K(w, w'),
 *   E[φ(u) relu(u')] = p v w·w'/2 + (q − p) K(w, w').
 */
import type { Activation } from '../../finite/activation.js';
import { InputError } from '../../core/errors.js';
import { INV_2PI, clipRho, piMinusTheta, sinTheta } from '../../core/arccos.js';


/** Slopes (p, q) of an ABReLU activation φ(u) = p·min(u,0) + q·max(u,0), or an InputError. */
export function abreluSlopes(act: Activation, where = 'model.activation'): { p: number; q: number } {
  const fam = act.family;
  if (fam.kind === 'abrelu') return { p: fam.a, q: fam.b };
  if (fam.kind === 'identity') return { p: 1, q: 1 };
  throw new InputError(
    where,
    `the exact population risk needs a ReLU-like activation (relu, leaky_relu, abs, identity), got ${JSON.stringify(act.name)}; use the empirical or online risk`,
  );
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** K(w, w') = E[relu(w·x) relu(w'·x)], x ~ N(0, v I). */
export function reluPairKernel(w: ArrayLike<number>, w2: ArrayLike<number>, v: number): number {
  const n1 = Math.sqrt(dot(w, w));
  const n2 = Math.sqrt(dot(w2, w2));
  const d12 = dot(w, w2);
  const r = n1 * n2;
  if (r === 0) return 0;
  const c = clipRho(d12 / r);
  return v * INV_2PI * (r * sinTheta(c) + piMinusTheta(c) * d12);
}

/**
 * ∇_w K(w, w') = E[relu'(w·x) relu(w'·x) x] into `out` (length d). At w = 0 the sin θ term is
 * dropped (it has no limit there; the convention matches relu'(0) = ½ on average).
 */
export function reluPairKernelGrad(
  w: ArrayLike<number>, w2: ArrayLike<number>, v: number, out: Float64Array = new Float64Array(w.length),
): Float64Array {
  const n1 = Math.sqrt(dot(w, w));
  const n2 = Math.sqrt(dot(w2, w2));
  const r = n1 * n2;
  const c = r === 0 ? 0 : clipRho(dot(w, w2) / r);
  const pt = piMinusTheta(c);
  const s = sinTheta(c);
  const cw = n1 === 0 ? 0 : (s * n2) / n1;
  for (let i = 0; i < w.length; i++) out[i] = v * INV_2PI * (pt * w2[i] + cw * w[i]);
  return out;
}

/** E[φ(w·x) φ(w'·x)] for ABReLU(p, q). */
export function abreluPairKernel(p: number, q: number, w: ArrayLike<number>, w2: ArrayLike<number>, v: number): number {
  return p * q * v * dot(w, w2) + (q - p) * (q - p) * reluPairKernel(w, w2, v);
}

/** ∇_w E[φ(w·x) φ(w'·x)] = E[φ'(w·x) φ(w'·x) x] for ABReLU(p, q), into `out`. */
export function abreluPairKernelGrad(
  p: number, q: number, w: ArrayLike<number>, w2: ArrayLike<number>, v: number, out: Float64Array = new Float64Array(w.length),
): Float64Array {
  reluPairKernelGrad(w, w2, v, out);
  const c = (q - p) * (q - p);
  for (let i = 0; i < w.length; i++) out[i] = c * out[i] + p * q * v * w2[i];
  return out;
}

/** E[φ(w·x) relu(w'·x)] for ABReLU(p, q) (a student neuron against a ReLU teacher neuron). */
export function abreluReluCross(p: number, q: number, w: ArrayLike<number>, w2: ArrayLike<number>, v: number): number {
  return 0.5 * p * v * dot(w, w2) + (q - p) * reluPairKernel(w, w2, v);
}

/** ∇_w E[φ(w·x) relu(w'·x)] for ABReLU(p, q), into `out`. */
export function abreluReluCrossGrad(
  p: number, q: number, w: ArrayLike<number>, w2: ArrayLike<number>, v: number, out: Float64Array = new Float64Array(w.length),
): Float64Array {
  reluPairKernelGrad(w, w2, v, out);
  for (let i = 0; i < w.length; i++) out[i] = (q - p) * out[i] + 0.5 * p * v * w2[i];
  return out;
}

/** E[φ(w·x)] for ABReLU(p, q): (q − p) √v ‖w‖ / √(2π). */
export function abreluMean(p: number, q: number, w: ArrayLike<number>, v: number): number {
  return ((q - p) * Math.sqrt(v * dot(w, w))) / Math.sqrt(2 * Math.PI);
}

/** ∇_w E[φ(w·x)] = (q − p) √v ŵ / √(2π) (0 at w = 0), into `out`. */
export function abreluMeanGrad(p: number, q: number, w: ArrayLike<number>, v: number, out: Float64Array = new Float64Array(w.length)): Float64Array {
  const n = Math.sqrt(dot(w, w));
  const c = n === 0 ? 0 : ((q - p) * Math.sqrt(v)) / (Math.sqrt(2 * Math.PI) * n);
  for (let i = 0; i < w.length; i++) out[i] = c * w[i];
  return out;
}
