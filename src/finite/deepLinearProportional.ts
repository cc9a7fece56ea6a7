/**
 * A finite deep linear network in the units of the proportional limit
 * (theory/proportional.md#model, #units): h^1 = W^0 x/√D, h^{l+1} = W^l h^l/√N, output
 * f = √D w·h^L/(γ̄ N), all weights N(0, 1), rate η γ̄² N on every weight for the loss
 * (1/(2P)) Σ (f − y)². Depth 0 is least squares on β directly (rate η).
 *
 * Gradient descent on a deep linear network with one output only needs β = (√D/(γ̄N)) W^0ᵀ g^1
 * and the error direction e = √D XᵀΔ/P; each layer's update is rank one
 * (theory/proportional.md#finite-network). Repeated data precomputes Σ̂ = XᵀX/P once, so a step
 * costs O(L N² + D²); online data draws a fresh batch of B rows every step.
 */
import type { Rng } from '../core/rng.js';
import { mat } from '../core/matrix.js';
import { syrk } from '../core/syrk.js';

export interface ProportionalNetworkConfig {
  dim: number;
  width: number;
  depth: number;
  gammaBar: number;
  eta: number;
  sigma: number;
  steps: number;
  /** Repeated: P samples reused every step; online: a fresh batch of B samples every step. */
  data: { kind: 'repeated'; samples: number } | { kind: 'online'; batch: number } | { kind: 'population' };
  /** Input variance λ_k and teacher variance per coordinate (length dim); default all ones. */
  lambda?: Float64Array;
  teacherVar?: Float64Array;
  /** Residual network with `depth` blocks h^{l+1} = h^l + (β0/√L) W^l h^l/√N (theory/proportional.md#residual-network). */
  residual?: { beta0: number };
  /** Centered network f − f_0 (theory/proportional.md#power-law): the target absorbs the initial function. */
  centered?: boolean;
  /** Teacher β*_k = ±√teacherVar_k (random signs) instead of Gaussian coefficients (theory/proportional.md#power-law). */
  teacherSigns?: boolean;
}

export interface ProportionalNetworkRun {
  trainLoss: Float64Array;
  testLoss: Float64Array;
}

export interface Net {
  W: Float64Array[];
  w: Float64Array;
}

export function initNet(c: ProportionalNetworkConfig, rng: Rng): Net {
  const W: Float64Array[] = [];
  for (let l = 0; l < c.depth + (c.residual ? 1 : 0); l++) {
    const cols = l === 0 ? c.dim : c.width;
    W.push(rng.child(`W${l}`).fillNormal(new Float64Array(c.width * cols)));
  }
  return { W, w: rng.child('w').fillNormal(new Float64Array(c.depth > 0 ? c.width : 0)) };
}

/** Train one network from `rng`; losses at steps 0..T. */
export function trainProportionalNetwork(c: ProportionalNetworkConfig, rng: Rng): ProportionalNetworkRun {
  const D = c.dim;
  const lam = c.lambda ?? new Float64Array(D).fill(1);
  const tv = c.teacherVar ?? new Float64Array(D).fill(1);
  const teacher = rng.child('teacher').fillNormal(new Float64Array(D));
  for (let k = 0; k < D; k++) teacher[k] = c.teacherSigns ? Math.sign(teacher[k]) * Math.sqrt(tv[k]) : teacher[k] * Math.sqrt(tv[k]);
  const net = initNet(c, rng.child('init'));
  const beta = new Float64Array(D);
  const gs: Float64Array[] = [];
  if (c.centered) {
    predictor(c, net, beta, gs);
    for (let k = 0; k < D; k++) teacher[k] += beta[k];
  }
  const data = c.data.kind === 'repeated' ? repeatedData(D, c.data.samples, lam, teacher, c.sigma, rng.child('data')) : null;
  const batchRng = rng.child('batches');
  const trainLoss = new Float64Array(c.steps + 1);
  const testLoss = new Float64Array(c.steps + 1);
  const e = new Float64Array(D);
  for (let t = 0; t <= c.steps; t++) {
    predictor(c, net, beta, gs);
    let test = 0;
    for (let k = 0; k < D; k++) test += lam[k] * (beta[k] - teacher[k]) ** 2;
    testLoss[t] = 0.5 * (test / D + c.sigma * c.sigma);
    if (data) trainLoss[t] = repeatedError(data, beta, e, D);
    else if (c.data.kind === 'online') {
      const r = batchRng.child(t);
      trainLoss[t] = c.lambda ? onlineError(c, lam, teacher, beta, e, r) : onlineErrorIsotropic(c, teacher, beta, e, r);
    }
    else {
      for (let k = 0; k < D; k++) e[k] = lam[k] * (teacher[k] - beta[k]);
      trainLoss[t] = testLoss[t];
    }
    if (t < c.steps) update(c, net, e, gs, beta);
  }
  return { trainLoss, testLoss };
}

/** β = (√D/(γ̄N)) W^0ᵀ g^1 with g^L = w, g^l = W^lᵀ g^{l+1}/√N; fills gs[l] = g^{l+1}. */
function predictor(c: ProportionalNetworkConfig, net: Net, beta: Float64Array, gs: Float64Array[]): void {
  if (c.depth === 0) return;
  if (c.residual) return residualPredictor(c, net, beta, gs);
  const N = c.width;
  gs[c.depth - 1] = net.w;
  for (let l = c.depth - 1; l >= 1; l--) gs[l - 1] = matTVec(net.W[l], N, N, gs[l], 1 / Math.sqrt(N));
  const b = matTVec(net.W[0], N, c.dim, gs[0], 1);
  const s = Math.sqrt(c.dim) / (c.gammaBar * N);
  for (let k = 0; k < c.dim; k++) beta[k] = s * b[k];
}

/** One gradient step from e (weights before the step give a^l and g^l). */
function update(c: ProportionalNetworkConfig, net: Net, e: Float64Array, gs: Float64Array[], beta: Float64Array): void {
  if (c.depth === 0) {
    for (let k = 0; k < c.dim; k++) beta[k] += c.eta * e[k];
    return;
  }
  if (c.residual) return residualUpdate(c, net, e, gs);
  const N = c.width;
  const D = c.dim;
  const k = c.eta * c.gammaBar;
  const as: Float64Array[] = [matVec(net.W[0], N, D, e, 1 / Math.sqrt(D))];
  for (let l = 1; l < c.depth; l++) as.push(matVec(net.W[l], N, N, as[l - 1], 1 / Math.sqrt(N)));
  rankOne(net.W[0], N, D, gs[0], e, k / Math.sqrt(D));
  for (let l = 1; l < c.depth; l++) rankOne(net.W[l], N, N, gs[l], as[l - 1], k / Math.sqrt(N));
  const aL = as[c.depth - 1];
  for (let i = 0; i < N; i++) net.w[i] += k * aL[i];
}

/** Residual: g^{L+1} = w, g^l = g^{l+1} + β W^lᵀ g^{l+1}/√N; gs[l] = g^{l+1} (l = 0..L). */
function residualPredictor(c: ProportionalNetworkConfig, net: Net, beta: Float64Array, gs: Float64Array[]): void {
  const N = c.width;
  const L = c.depth;
  const br = (c.residual?.beta0 ?? 0) / Math.sqrt(L);
  gs[L] = net.w;
  for (let l = L; l >= 1; l--) {
    const v = matTVec(net.W[l], N, N, gs[l], br / Math.sqrt(N));
    for (let i = 0; i < N; i++) v[i] += gs[l][i];
    gs[l - 1] = v;
  }
  const b = matTVec(net.W[0], N, c.dim, gs[0], 1);
  const s = Math.sqrt(c.dim) / (c.gammaBar * N);
  for (let k = 0; k < c.dim; k++) beta[k] = s * b[k];
}

/** Residual step: a^1 = W^0 e/√D, a^{l+1} = a^l + β W^l a^l/√N; ΔW^l = (ηγ̄β/√N) g^{l+1} a^lᵀ. */
function residualUpdate(c: ProportionalNetworkConfig, net: Net, e: Float64Array, gs: Float64Array[]): void {
  const N = c.width;
  const D = c.dim;
  const L = c.depth;
  const br = (c.residual?.beta0 ?? 0) / Math.sqrt(L);
  const k = c.eta * c.gammaBar;
  const as: Float64Array[] = [matVec(net.W[0], N, D, e, 1 / Math.sqrt(D))];
  for (let l = 1; l <= L; l++) {
    const v = matVec(net.W[l], N, N, as[l - 1], br / Math.sqrt(N));
    for (let i = 0; i < N; i++) v[i] += as[l - 1][i];
    as.push(v);
  }
  rankOne(net.W[0], N, D, gs[0], e, k / Math.sqrt(D));
  for (let l = 1; l <= L; l++) rankOne(net.W[l], N, N, gs[l], as[l - 1], (k * br) / Math.sqrt(N));
  for (let i = 0; i < N; i++) net.w[i] += k * as[L][i];
}

export interface RepeatedData {
  sigmaHat: Float64Array;
  r: Float64Array;
  yy: number;
}

/** Σ̂ = XᵀX/P, r = √D Xᵀy/P, |y|²/P for P fresh samples. */
export function repeatedData(D: number, P: number, lam: Float64Array, teacher: Float64Array, sigma: number, rng: Rng): RepeatedData {
  const xt = mat(D, P);
  const xr = rng.child('x');
  for (let k = 0; k < D; k++) {
    const s = Math.sqrt(lam[k]);
    for (let m = 0; m < P; m++) xt.data[k * P + m] = s * xr.normal();
  }
  const noise = rng.child('noise').fillNormal(new Float64Array(P), sigma);
  const y = new Float64Array(P);
  for (let k = 0; k < D; k++) for (let m = 0; m < P; m++) y[m] += (xt.data[k * P + m] * teacher[k]) / Math.sqrt(D);
  let yy = 0;
  for (let m = 0; m < P; m++) { y[m] += noise[m]; yy += y[m] * y[m]; }
  const r = new Float64Array(D);
  for (let k = 0; k < D; k++) {
    let acc = 0;
    for (let m = 0; m < P; m++) acc += xt.data[k * P + m] * y[m];
    r[k] = (Math.sqrt(D) * acc) / P;
  }
  return { sigmaHat: syrk(1 / P, xt).data, r, yy: yy / P };
}

/** e = r − Σ̂β; returns the train loss ½(|y|²/P − 2 r·β/D + βᵀΣ̂β/D). */
function repeatedError(d: RepeatedData, beta: Float64Array, e: Float64Array, D: number): number {
  let rb = 0;
  let bsb = 0;
  for (let k = 0; k < D; k++) {
    let acc = 0;
    const row = k * D;
    for (let j = 0; j < D; j++) acc += d.sigmaHat[row + j] * beta[j];
    e[k] = d.r[k] - acc;
    rb += d.r[k] * beta[k];
    bsb += beta[k] * acc;
  }
  return 0.5 * (d.yy - (2 * rb) / D + bsb / D);
}

/** Fresh batch: e = √D XᵀΔ/B; returns the batch loss |Δ|²/(2B). */
function onlineError(c: ProportionalNetworkConfig, lam: Float64Array, teacher: Float64Array, beta: Float64Array, e: Float64Array, rng: Rng): number {
  const D = c.dim;
  const B = c.data.kind === 'online' ? c.data.batch : 0;
  e.fill(0);
  const x = new Float64Array(D);
  let loss = 0;
  for (let m = 0; m < B; m++) {
    let delta = c.sigma * rng.normal();
    for (let k = 0; k < D; k++) {
      x[k] = Math.sqrt(lam[k]) * rng.normal();
      delta += (x[k] * (teacher[k] - beta[k])) / Math.sqrt(D);
    }
    loss += delta * delta;
    for (let k = 0; k < D; k++) e[k] += (Math.sqrt(D) * x[k] * delta) / B;
  }
  return loss / (2 * B);
}

/**
 * Fresh isotropic batch in O(B + D), exact in distribution: with r = β* − β, each sample's residual
 * depends on x only through z = x·r/|r|, and Σ_μ Δ_μ x_μ⊥ is N(0, Σ_μ Δ_μ² · (I − r̂r̂ᵀ))
 * (theory/proportional.md#finite-network).
 */
function onlineErrorIsotropic(c: ProportionalNetworkConfig, teacher: Float64Array, beta: Float64Array, e: Float64Array, rng: Rng): number {
  const D = c.dim;
  const B = c.data.kind === 'online' ? c.data.batch : 0;
  const dir = new Float64Array(D);
  let n2 = 0;
  for (let k = 0; k < D; k++) { dir[k] = teacher[k] - beta[k]; n2 += dir[k] * dir[k]; }
  const norm = Math.sqrt(n2);
  if (norm > 0) for (let k = 0; k < D; k++) dir[k] /= norm;
  let s1 = 0;
  let s2 = 0;
  for (let m = 0; m < B; m++) {
    const z = rng.normal();
    const delta = c.sigma * rng.normal() + (z * norm) / Math.sqrt(D);
    s1 += z * delta;
    s2 += delta * delta;
  }
  rng.fillNormal(e);
  let gr = 0;
  for (let k = 0; k < D; k++) gr += e[k] * dir[k];
  const scale = Math.sqrt(D) / B;
  for (let k = 0; k < D; k++) e[k] = scale * (s1 * dir[k] + Math.sqrt(s2) * (e[k] - gr * dir[k]));
  return s2 / (2 * B);
}

function matVec(a: Float64Array, rows: number, cols: number, v: Float64Array, s: number): Float64Array {
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let acc = 0;
    const r = i * cols;
    for (let j = 0; j < cols; j++) acc += a[r + j] * v[j];
    out[i] = s * acc;
  }
  return out;
}

function matTVec(a: Float64Array, rows: number, cols: number, v: Float64Array, s: number): Float64Array {
  const out = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const c = s * v[i];
    const r = i * cols;
    for (let j = 0; j < cols; j++) out[j] += c * a[r + j];
  }
  return out;
}

function rankOne(a: Float64Array, rows: number, cols: number, u: Float64Array, v: Float64Array, s: number): void {
  for (let i = 0; i < rows; i++) {
    const c = s * u[i];
    const r = i * cols;
    for (let j = 0; j < cols; j++) a[r + j] += c * v[j];
  }
}
