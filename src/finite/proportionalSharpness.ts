/**
 * Sharpness of gradient descent on the residual network of the proportional limit
 * (theory/proportional.md#residual-network, #sharpness): the largest eigenvalue S of the
 * rate-scaled loss Hessian γ̄²N·∇²L̂ over all weights. Every weight is trained with rate ηγ̄²N
 * (theory/proportional.md#units), so a step is θ ← θ − η G(θ) with G = γ̄²N ∇L̂, and gradient
 * descent is linearly stable at θ iff ηS < 2.
 *
 * G is computed here by backpropagation through the flat weight vector θ = (W^0, W^1..W^L, w);
 * Hessian-vector products are central differences of G (exact up to O(ε²) third derivatives),
 * and S is the top Ritz value of plain Lanczos on them. The Gauss–Newton part
 * γ̄²N·Jᵀ(Σ̂/D)J (J = ∂β/∂θ) is available the same way. The same seeds give the same weights
 * and data as trainProportionalNetwork (repeated data, isotropic inputs only).
 */
import { tridiagonalEigen } from '../core/eigh.js';
import { InputError } from '../core/errors.js';
import { norm2 as norm } from '../core/matrix.js';
import type { Rng } from '../core/rng.js';
import { type ProportionalNetworkConfig, type RepeatedData, initNet, repeatedData } from './deepLinearProportional.js';

export interface SharpnessProblem {
  readonly c: ProportionalNetworkConfig;
  readonly data: RepeatedData;
  readonly teacher: Float64Array;
  /** Number of weights: ND + LN² + N. */
  readonly size: number;
}

/** Teacher, data and initial weights exactly as trainProportionalNetwork draws them from `rng`. */
export function sharpnessProblem(c: ProportionalNetworkConfig, rng: Rng): { problem: SharpnessProblem; theta: Float64Array } {
  if (!c.residual || c.data.kind !== 'repeated' || c.lambda || c.teacherVar || c.centered || c.teacherSigns || c.depth < 1) {
    throw new InputError('sharpness', 'only the isotropic residual network on repeated data is supported');
  }
  const D = c.dim;
  const teacher = rng.child('teacher').fillNormal(new Float64Array(D));
  const net = initNet(c, rng.child('init'));
  const data = repeatedData(D, c.data.samples, new Float64Array(D).fill(1), teacher, c.sigma, rng.child('data'));
  const N = c.width;
  const size = N * D + c.depth * N * N + N;
  const theta = new Float64Array(size);
  let o = 0;
  for (const W of net.W) { theta.set(W, o); o += W.length; }
  theta.set(net.w, o);
  return { problem: { c, data, teacher, size }, theta };
}

/** Views W^0 (N×D), W^1..W^L (N×N), w (N) into θ. */
function views(p: SharpnessProblem, theta: Float64Array): { W: Float64Array[]; w: Float64Array } {
  const { dim: D, width: N, depth: L } = p.c;
  const W = [theta.subarray(0, N * D)];
  for (let l = 1; l <= L; l++) W.push(theta.subarray(N * D + (l - 1) * N * N, N * D + l * N * N));
  return { W, w: theta.subarray(N * D + L * N * N) };
}

/** β(θ) = (√D/(γ̄N)) W^0ᵀ g^1; also returns g^1..g^{L+1} (gs[l] = g^{l+1}). */
export function predictorOf(p: SharpnessProblem, theta: Float64Array): { beta: Float64Array; gs: Float64Array[] } {
  const { dim: D, width: N, depth: L } = p.c;
  const { W, w } = views(p, theta);
  const br = (p.c.residual?.beta0 ?? 0) / Math.sqrt(L);
  const gs: Float64Array[] = new Array(L + 1);
  gs[L] = w;
  for (let l = L; l >= 1; l--) {
    const v = Float64Array.from(gs[l]);
    tVecAdd(W[l], N, N, gs[l], br / Math.sqrt(N), v);
    gs[l - 1] = v;
  }
  const beta = new Float64Array(D);
  tVecAdd(W[0], N, D, gs[0], Math.sqrt(D) / (p.c.gammaBar * N), beta);
  return { beta, gs };
}

/** Train loss ½(|y|²/P − 2r·β/D + βᵀΣ̂β/D) and e = r − Σ̂β. */
export function trainLossOf(p: SharpnessProblem, beta: Float64Array): { loss: number; e: Float64Array } {
  const D = p.c.dim;
  const { sigmaHat, r, yy } = p.data;
  const e = new Float64Array(D);
  let rb = 0;
  let bsb = 0;
  for (let k = 0; k < D; k++) {
    let acc = 0;
    for (let j = 0; j < D; j++) acc += sigmaHat[k * D + j] * beta[j];
    e[k] = r[k] - acc;
    rb += r[k] * beta[k];
    bsb += beta[k] * acc;
  }
  return { loss: 0.5 * (yy - (2 * rb) / D + bsb / D), e };
}

/** γ̄²N · Jᵀv for v ∈ R^D (J = ∂β/∂θ), written into `out`; `gs` from predictorOf at θ. */
function vjp(p: SharpnessProblem, theta: Float64Array, gs: Float64Array[], v: Float64Array, out: Float64Array): void {
  const { dim: D, width: N, depth: L, gammaBar } = p.c;
  const { W } = views(p, theta);
  const o = views(p, out);
  const br = (p.c.residual?.beta0 ?? 0) / Math.sqrt(L);
  const cs = gammaBar * gammaBar * N * (Math.sqrt(D) / (gammaBar * N));
  outer(o.W[0], N, D, gs[0], v, cs);
  let a = new Float64Array(N);
  matVecAdd(W[0], N, D, v, 1, a);
  for (let l = 1; l <= L; l++) {
    outer(o.W[l], N, N, gs[l], a, (cs * br) / Math.sqrt(N));
    const next = Float64Array.from(a);
    matVecAdd(W[l], N, N, a, br / Math.sqrt(N), next);
    a = next;
  }
  for (let i = 0; i < N; i++) o.w[i] = cs * a[i];
}

/** G(θ) = γ̄²N ∇L̂ into `grad`; returns the train loss. */
export function rateGradient(p: SharpnessProblem, theta: Float64Array, grad: Float64Array): number {
  const { beta, gs } = predictorOf(p, theta);
  const { loss, e } = trainLossOf(p, beta);
  const D = p.c.dim;
  for (let k = 0; k < D; k++) e[k] = -e[k] / D; // ∇_β L̂ = −e/D
  vjp(p, theta, gs, e, grad);
  return loss;
}

/** Hessian-vector product γ̄²N ∇²L̂ v by central differences of G with step ε/|v|. */
export function hessianVector(p: SharpnessProblem, theta: Float64Array, v: Float64Array, out: Float64Array, eps = 1e-4): void {
  const h = eps / Math.max(norm(v), 1e-300);
  const tp = Float64Array.from(theta);
  const tm = Float64Array.from(theta);
  for (let i = 0; i < v.length; i++) { tp[i] += h * v[i]; tm[i] -= h * v[i]; }
  const gm = new Float64Array(v.length);
  rateGradient(p, tp, out);
  rateGradient(p, tm, gm);
  for (let i = 0; i < v.length; i++) out[i] = (out[i] - gm[i]) / (2 * h);
}

/** Gauss–Newton product γ̄²N Jᵀ(Σ̂/D)J v; Jv by central differences of β (β is polynomial in θ). */
export function gaussNewtonVector(p: SharpnessProblem, theta: Float64Array, v: Float64Array, out: Float64Array, eps = 1e-4): void {
  const D = p.c.dim;
  const h = eps / Math.max(norm(v), 1e-300);
  const tp = Float64Array.from(theta);
  const tm = Float64Array.from(theta);
  for (let i = 0; i < v.length; i++) { tp[i] += h * v[i]; tm[i] -= h * v[i]; }
  const bp = predictorOf(p, tp).beta;
  const bm = predictorOf(p, tm).beta;
  const jv = new Float64Array(D);
  for (let k = 0; k < D; k++) jv[k] = (bp[k] - bm[k]) / (2 * h);
  const u = new Float64Array(D);
  for (let k = 0; k < D; k++) {
    let acc = 0;
    for (let j = 0; j < D; j++) acc += p.data.sigmaHat[k * D + j] * jv[j];
    u[k] = acc / D;
  }
  vjp(p, theta, predictorOf(p, theta).gs, u, out);
}

/** Top eigenvalue of a symmetric operator by `k` steps of plain Lanczos from a random start; also the top Ritz value after k − 5 steps (convergence gauge). */
export function lanczosTop(apply: (v: Float64Array, out: Float64Array) => void, n: number, k: number, rng: Rng): { top: number; topEarlier: number } {
  let q: Float64Array = rng.fillNormal(new Float64Array(n));
  scale(q, 1 / norm(q));
  let prev: Float64Array = new Float64Array(n);
  const alpha: number[] = [];
  const betas: number[] = [];
  const w = new Float64Array(n);
  let topEarlier = NaN;
  for (let j = 0; j < k; j++) {
    apply(q, w);
    let a = 0;
    for (let i = 0; i < n; i++) a += w[i] * q[i];
    alpha.push(a);
    const b0 = j > 0 ? betas[j - 1] : 0;
    for (let i = 0; i < n; i++) w[i] -= a * q[i] + b0 * prev[i];
    const b = norm(w);
    if (j === k - 6) topEarlier = ritzTop(alpha, betas);
    if (b < 1e-12 * Math.abs(a) || j === k - 1) break;
    betas.push(b);
    prev = q;
    q = Float64Array.from(w);
    scale(q, 1 / b);
  }
  return { top: ritzTop(alpha, betas.slice(0, alpha.length - 1)), topEarlier };
}

export interface SharpnessRecord {
  step: number;
  /** Top eigenvalue of γ̄²N∇²L̂ (Lanczos, k steps) and after k − 5 steps. */
  hessian: number;
  hessianEarlier: number;
  /** Top eigenvalue of the Gauss–Newton part (when asked). */
  gaussNewton?: number;
}

/**
 * Gradient descent θ ← θ − η G(θ) for `c.steps` steps (the trajectory of trainProportionalNetwork),
 * with train and test losses at every step and the sharpness at the steps in `at`.
 */
export function sharpnessTrajectory(c: ProportionalNetworkConfig, rng: Rng, o: { at: number[]; lanczos: number; gaussNewton?: boolean }):
  { trainLoss: Float64Array; testLoss: Float64Array; records: SharpnessRecord[] } {
  const { problem: p, theta } = sharpnessProblem(c, rng);
  const trainLoss = new Float64Array(c.steps + 1);
  const testLoss = new Float64Array(c.steps + 1);
  const records: SharpnessRecord[] = [];
  const grad = new Float64Array(p.size);
  const lz = rng.child('lanczos');
  for (let t = 0; t <= c.steps; t++) {
    const beta = predictorOf(p, theta).beta;
    let test = 0;
    for (let k = 0; k < c.dim; k++) test += (beta[k] - p.teacher[k]) ** 2;
    testLoss[t] = 0.5 * (test / c.dim + c.sigma * c.sigma);
    trainLoss[t] = rateGradient(p, theta, grad);
    if (o.at.includes(t)) {
      const h = lanczosTop((v, out) => hessianVector(p, theta, v, out), p.size, o.lanczos, lz.child(`H${t}`));
      const rec: SharpnessRecord = { step: t, hessian: h.top, hessianEarlier: h.topEarlier };
      if (o.gaussNewton) rec.gaussNewton = lanczosTop((v, out) => gaussNewtonVector(p, theta, v, out), p.size, o.lanczos, lz.child(`GN${t}`)).top;
      records.push(rec);
    }
    if (t < c.steps) for (let i = 0; i < p.size; i++) theta[i] -= c.eta * grad[i];
  }
  return { trainLoss, testLoss, records };
}

function ritzTop(alpha: number[], betas: number[]): number {
  const vals = tridiagonalEigen(Float64Array.from(alpha), Float64Array.from(betas.slice(0, alpha.length - 1)), false).values;
  return vals[vals.length - 1];
}

function scale(v: Float64Array, s: number): void {
  for (let i = 0; i < v.length; i++) v[i] *= s;
}

/** out += s·Aᵀv (A rows×cols). */
function tVecAdd(a: Float64Array, rows: number, cols: number, v: Float64Array, s: number, out: Float64Array): void {
  for (let i = 0; i < rows; i++) {
    const c = s * v[i];
    const r = i * cols;
    for (let j = 0; j < cols; j++) out[j] += c * a[r + j];
  }
}

/** out += s·A v. */
function matVecAdd(a: Float64Array, rows: number, cols: number, v: Float64Array, s: number, out: Float64Array): void {
  for (let i = 0; i < rows; i++) {
    let acc = 0;
    const r = i * cols;
    for (let j = 0; j < cols; j++) acc += a[r + j] * v[j];
    out[i] += s * acc;
  }
}

/** out = s·u vᵀ. */
function outer(out: Float64Array, rows: number, cols: number, u: Float64Array, v: Float64Array, s: number): void {
  for (let i = 0; i < rows; i++) {
    const c = s * u[i];
    const r = i * cols;
    for (let j = 0; j < cols; j++) out[r + j] = c * v[j];
  }
}
