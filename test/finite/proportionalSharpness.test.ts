import { describe, expect, it } from 'vitest';
import { eighValues } from '../../src/core/eigh.js';
import { mat } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import { type ProportionalNetworkConfig, trainProportionalNetwork } from '../../src/finite/deepLinearProportional.js';
import {
  gaussNewtonVector, hessianVector, lanczosTop, predictorOf, rateGradient, sharpnessProblem, sharpnessTrajectory, trainLossOf,
} from '../../src/finite/proportionalSharpness.js';

const tiny: ProportionalNetworkConfig = {
  dim: 3, width: 2, depth: 2, gammaBar: 1, eta: 0.05, sigma: 0.3, steps: 0, data: { kind: 'repeated', samples: 6 }, residual: { beta0: 1 },
};

/** Dense rate-scaled Hessian γ̄²N ∇²L̂ from second differences of the loss alone (no gradient code). */
function denseFromLoss(c: ProportionalNetworkConfig, seed: string): { H: Float64Array; n: number } {
  const { problem: p, theta } = sharpnessProblem(c, new Rng(seed));
  const n = p.size;
  const loss = (t: Float64Array) => trainLossOf(p, predictorOf(p, t).beta).loss;
  const h = 1e-3;
  const H = new Float64Array(n * n);
  const sc = c.gammaBar * c.gammaBar * c.width;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const f = (si: number, sj: number) => { const t = Float64Array.from(theta); t[i] += si * h; t[j] += sj * h; return loss(t); };
      H[i * n + j] = (sc * (f(1, 1) - f(1, -1) - f(-1, 1) + f(-1, -1))) / (4 * h * h);
    }
  }
  return { H, n };
}

describe('sharpness of the residual proportional network (theory/proportional.md#sharpness)', () => {
  it('its gradient steps reproduce trainProportionalNetwork (independent rank-one update) to 1e-10', () => {
    const c: ProportionalNetworkConfig = { ...tiny, dim: 16, width: 12, depth: 4, steps: 15, data: { kind: 'repeated', samples: 32 }, eta: 0.1 };
    const ref = trainProportionalNetwork(c, new Rng('sharp/traj'));
    const mine = sharpnessTrajectory(c, new Rng('sharp/traj'), { at: [], lanczos: 10 });
    for (let t = 0; t <= c.steps; t++) {
      expect(Math.abs(mine.trainLoss[t] - ref.trainLoss[t])).toBeLessThan(1e-10 * ref.trainLoss[0]);
      expect(Math.abs(mine.testLoss[t] - ref.testLoss[t])).toBeLessThan(1e-10 * ref.testLoss[0]);
    }
  });

  it('Hessian-vector products match the dense Hessian from loss second differences (tolerance 1e-5 relative: O(h²) with h = 1e-3)', () => {
    const { H, n } = denseFromLoss(tiny, 'sharp/dense');
    const { problem: p, theta } = sharpnessProblem(tiny, new Rng('sharp/dense'));
    const scaleH = Math.max(...Array.from(H, Math.abs));
    const out = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const e = new Float64Array(n);
      e[j] = 1;
      hessianVector(p, theta, e, out);
      for (let i = 0; i < n; i++) expect(Math.abs(out[i] - H[i * n + j])).toBeLessThan(1e-5 * scaleH);
    }
  });

  it('Lanczos top eigenvalue equals the dense top eigenvalue (k = n steps: exact up to rounding, tolerance 1e-6 relative)', () => {
    const { H, n } = denseFromLoss(tiny, 'sharp/dense');
    const dense = eighValues(mat(n, n, H));
    const { problem: p, theta } = sharpnessProblem(tiny, new Rng('sharp/dense'));
    const top = lanczosTop((v, out) => hessianVector(p, theta, v, out), n, n, new Rng('sharp/lz')).top;
    expect(Math.abs(top - dense[n - 1])).toBeLessThan(1e-6 * Math.abs(dense[n - 1]));
    expect(dense[0]).toBeLessThan(0); // the exact Hessian is indefinite here: the check is not only on the Gauss–Newton part
  });

  it('the Gauss–Newton part has the nonzero spectrum of γ̄²N J Jᵀ Σ̂/D (closed form through the D×D kernel, 1e-6)', () => {
    const c = { ...tiny, dim: 5, width: 4, data: { kind: 'repeated' as const, samples: 10 } };
    const { problem: p, theta } = sharpnessProblem(c, new Rng('sharp/gn'));
    const D = c.dim;
    const jt: Float64Array[] = [];
    for (let k = 0; k < D; k++) { // rows of γ̄²N Jᵀ e_k
      const v = new Float64Array(D); v[k] = 1;
      const g = new Float64Array(p.size);
      rateGradientWith(p, theta, v, g);
      jt.push(g);
    }
    // K = J (γ̄²N Jᵀ)/(γ̄²N)·γ̄²N: K_kj = Σ_i J_ki (γ̄²N Jᵀ)_ij, with J_k = (γ̄²N Jᵀ e_k)/(γ̄²N)
    const sc = c.gammaBar * c.gammaBar * c.width;
    const K = new Float64Array(D * D);
    for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) { let s = 0; for (let i = 0; i < p.size; i++) s += jt[a][i] * jt[b][i]; K[a * D + b] = s / sc; }
    // eig(K Σ̂/D) = eig(Σ̂^½ K Σ̂^½ /D): use the symmetric form via K^½ Σ̂ K^½ ~ compare top of the product by power iteration
    const M = new Float64Array(D * D);
    for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) { let s = 0; for (let k = 0; k < D; k++) s += K[a * D + k] * p.data.sigmaHat[k * D + b]; M[a * D + b] = s / D; }
    let v = new Float64Array(D).fill(1);
    let lam = 0;
    for (let it = 0; it < 2000; it++) {
      const w = new Float64Array(D);
      for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) w[a] += M[a * D + b] * v[b];
      lam = Math.hypot(...w) / Math.hypot(...v);
      v = w.map((x) => x / Math.hypot(...w));
    }
    const top = lanczosTop((x, out) => gaussNewtonVector(p, theta, x, out), p.size, Math.min(p.size, 40), new Rng('sharp/gnlz')).top;
    expect(Math.abs(top - lam)).toBeLessThan(1e-6 * lam);
  });
});

/** γ̄²N Jᵀv through rateGradient's backward pass: the loss gradient at ∇_β L̂ = v is obtained by a problem whose data give e = −D v. */
function rateGradientWith(p: ReturnType<typeof sharpnessProblem>['problem'], theta: Float64Array, v: Float64Array, out: Float64Array): void {
  const D = p.c.dim;
  const beta = predictorOf(p, theta).beta;
  const sh = p.data.sigmaHat;
  const r = new Float64Array(D); // choose r so that e = r − Σ̂β = −D v
  for (let k = 0; k < D; k++) { let acc = 0; for (let j = 0; j < D; j++) acc += sh[k * D + j] * beta[j]; r[k] = acc - D * v[k]; }
  rateGradient({ ...p, data: { ...p.data, r } }, theta, out);
}
