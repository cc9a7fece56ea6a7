import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { trainProportionalNetwork } from '../../src/finite/deepLinearProportional.js';

/** Brute force: explicit forward pass over samples and backprop; the same seeds give the same
 * weights and data as the trainer only through the public run, so compare loss curves. */
function bruteForce(D: number, N: number, L: number, P: number, gb: number, eta: number, sigma: number, T: number, rng: Rng): Float64Array {
  const teacher = rng.child('teacher').fillNormal(new Float64Array(D));
  const init = rng.child('init');
  const W: Float64Array[] = [];
  for (let l = 0; l < L; l++) W.push(init.child(`W${l}`).fillNormal(new Float64Array(N * (l === 0 ? D : N))));
  const w = init.child('w').fillNormal(new Float64Array(N));
  const dr = rng.child('data');
  const xr = dr.child('x');
  const X = new Float64Array(P * D);
  for (let k = 0; k < D; k++) for (let m = 0; m < P; m++) X[m * D + k] = xr.normal();
  const noise = dr.child('noise').fillNormal(new Float64Array(P), sigma);
  const y = new Float64Array(P);
  for (let m = 0; m < P; m++) { for (let k = 0; k < D; k++) y[m] += X[m * D + k] * teacher[k] / Math.sqrt(D); y[m] += noise[m]; }
  const out = new Float64Array(T + 1);
  const rate = eta * gb * gb * N;
  const mult = Math.sqrt(D) / (gb * N);
  for (let t = 0; t <= T; t++) {
    const grads = W.map((m) => new Float64Array(m.length));
    const gw = new Float64Array(N);
    let loss = 0;
    for (let m = 0; m < P; m++) {
      const hs: Float64Array[] = [];
      let h = new Float64Array(N);
      for (let i = 0; i < N; i++) { let a = 0; for (let k = 0; k < D; k++) a += W[0][i * D + k] * X[m * D + k]; h[i] = a / Math.sqrt(D); }
      hs.push(h);
      for (let l = 1; l < L; l++) { const nh = new Float64Array(N); for (let i = 0; i < N; i++) { let a = 0; for (let j = 0; j < N; j++) a += W[l][i * N + j] * h[j]; nh[i] = a / Math.sqrt(N); } h = nh; hs.push(h); }
      let f = 0; for (let i = 0; i < N; i++) f += w[i] * h[i]; f *= mult;
      const d = f - y[m]; loss += d * d / (2 * P);
      let g = Float64Array.from(w, (v) => v * mult * d / P);
      for (let i = 0; i < N; i++) gw[i] += mult * d * h[i] / P;
      for (let l = L - 1; l >= 0; l--) {
        const below = l === 0 ? null : hs[l - 1];
        const cols = l === 0 ? D : N;
        const sc = 1 / Math.sqrt(cols);
        for (let i = 0; i < N; i++) for (let j = 0; j < cols; j++) grads[l][i * cols + j] += g[i] * (below ? below[j] : X[m * D + j]) * sc;
        if (l > 0) { const ng = new Float64Array(N); for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) ng[j] += W[l][i * N + j] * g[i] * sc; g = ng; }
      }
    }
    let test = 0; // β from weights
    let gvec = Float64Array.from(w);
    for (let l = L - 1; l >= 1; l--) { const ng = new Float64Array(N); for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) ng[j] += W[l][i * N + j] * gvec[i] / Math.sqrt(N); gvec = ng; }
    for (let k = 0; k < D; k++) { let b = 0; for (let i = 0; i < N; i++) b += W[0][i * D + k] * gvec[i]; test += (mult * b - teacher[k]) ** 2; }
    out[t] = 0.5 * (test / D + sigma * sigma);
    void loss;
    for (let l = 0; l < L; l++) for (let i = 0; i < W[l].length; i++) W[l][i] -= rate * grads[l][i];
    for (let i = 0; i < N; i++) w[i] -= rate * gw[i];
  }
  return out;
}

describe('trainProportionalNetwork', () => {
  it('equals explicit per-sample backpropagation of the same network and data (1e-10)', () => {
    for (const L of [1, 2, 3]) {
      const cfg = { dim: 6, width: 5, depth: L, gammaBar: 0.8, eta: 0.3, sigma: 0.2, steps: 4, data: { kind: 'repeated' as const, samples: 7 } };
      const run = trainProportionalNetwork(cfg, new Rng('x'));
      const ref = bruteForce(6, 5, L, 7, 0.8, 0.3, 0.2, 4, new Rng('x'));
      for (let t = 0; t <= 4; t++) expect(Math.abs(run.testLoss[t] - ref[t])).toBeLessThan(1e-10 * Math.max(1, ref[t]));
    }
  });
});

describe('trainProportionalNetwork, residual', () => {
  it('equals gradient descent with central finite-difference gradients of the explicit residual network (1e-8)', () => {
    // Finite differences with step 1e-6 on a loss of order 1: error ≈ 1e-12 · curvature, far below 1e-8.
    const D = 3, N = 4, L = 2, P = 5, gb = 0.7, eta = 0.2, sigma = 0.1, beta0 = 1.3;
    const rng = new Rng('bf');
    const run = trainProportionalNetwork({ dim: D, width: N, depth: L, gammaBar: gb, eta, sigma, steps: 2, data: { kind: 'repeated', samples: P }, residual: { beta0 } }, rng);
    const teacher = rng.child('teacher').fillNormal(new Float64Array(D));
    const init = rng.child('init');
    const W: Float64Array[] = [];
    for (let l = 0; l <= L; l++) W.push(init.child(`W${l}`).fillNormal(new Float64Array(N * (l === 0 ? D : N))));
    const w = init.child('w').fillNormal(new Float64Array(N));
    const dr = rng.child('data');
    const xr = dr.child('x');
    const X = new Float64Array(P * D);
    for (let k = 0; k < D; k++) for (let m = 0; m < P; m++) X[m * D + k] = xr.normal();
    const noise = dr.child('noise').fillNormal(new Float64Array(P), sigma);
    const y = new Float64Array(P);
    for (let m = 0; m < P; m++) { for (let k = 0; k < D; k++) y[m] += (X[m * D + k] * teacher[k]) / Math.sqrt(D); y[m] += noise[m]; }
    const br = beta0 / Math.sqrt(L);
    const mult = Math.sqrt(D) / (gb * N);
    const params = [...W, w];
    const f = (x: Float64Array) => {
      let h = new Float64Array(N);
      for (let i = 0; i < N; i++) { let a = 0; for (let k = 0; k < D; k++) a += W[0][i * D + k] * x[k]; h[i] = a / Math.sqrt(D); }
      for (let l = 1; l <= L; l++) {
        const nh = Float64Array.from(h);
        for (let i = 0; i < N; i++) { let a = 0; for (let j = 0; j < N; j++) a += W[l][i * N + j] * h[j]; nh[i] += (br * a) / Math.sqrt(N); }
        h = nh;
      }
      let o = 0;
      for (let i = 0; i < N; i++) o += w[i] * h[i];
      return mult * o;
    };
    const loss = () => { let s = 0; for (let m = 0; m < P; m++) { const d = f(X.subarray(m * D, (m + 1) * D)) - y[m]; s += d * d; } return s / (2 * P); };
    const testLoss = () => {
      let s = 0;
      for (let k = 0; k < D; k++) { const e = new Float64Array(D); e[k] = 1; s += (f(e) * Math.sqrt(D) - teacher[k]) ** 2; }
      return 0.5 * (s / D + sigma * sigma);
    };
    const ref = [testLoss()];
    for (let step = 0; step < 2; step++) {
      const grads = params.map((p) => {
        const g = new Float64Array(p.length);
        for (let i = 0; i < p.length; i++) { const o = p[i]; p[i] = o + 1e-6; const a = loss(); p[i] = o - 1e-6; const b = loss(); p[i] = o; g[i] = (a - b) / 2e-6; }
        return g;
      });
      params.forEach((p, pi) => { for (let i = 0; i < p.length; i++) p[i] -= eta * gb * gb * N * grads[pi][i]; });
      ref.push(testLoss());
    }
    for (let t = 0; t <= 2; t++) expect(Math.abs(run.testLoss[t] - ref[t])).toBeLessThan(1e-8);
  });
});
