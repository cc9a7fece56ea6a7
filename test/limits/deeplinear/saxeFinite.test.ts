/**
 * Saxe et al. 2014 against finite linear networks: a network started from small, balanced,
 * decoupled weights built from the SVD of the input–output correlation follows the mode
 * dynamics (closed form for one hidden layer, the mode ODE for deeper networks).
 */
import { describe, expect, it } from 'vitest';
import { type Mat, mat } from '../../../src/core/matrix.js';
import { Rng } from '../../../src/core/rng.js';
import type { Dataset } from '../../../src/data/dataset.js';
import { type LinearNetSpec, trainLinearGd } from '../../../src/finite/residualLinear.js';
import {
  decoupledBalancedWeights, modeStrengths, saxeModeTrajectory, saxeTwoLayer, thinSvd,
} from '../../../src/limits/deeplinear/saxe.js';
import { randomOrthogonal } from './helpers.js';

const D = 5, K = 3, WIDTH = 7;
const STRENGTHS = [3, 1.5, 0.6];
const U0 = 1e-3;

/** Whitened inputs (P = D, XᵀX/P = I), targets y = M x with M = U diag(s) Vᵀ (k×D). */
function saxeData(): { data: Dataset; M: Mat } {
  const rng = new Rng('saxe');
  const Q = randomOrthogonal(D, rng.child('x'));
  const Uf = randomOrthogonal(K, rng.child('U'));
  const Vf = randomOrthogonal(D, rng.child('V'));
  const M = mat(K, D);
  for (let q = 0; q < K; q++) for (let i = 0; i < D; i++) {
    let s = 0;
    for (let a = 0; a < K; a++) s += Uf.data[q * K + a] * STRENGTHS[a] * Vf.data[i * D + a];
    M.data[q * D + i] = s;
  }
  const X = mat(D, D);
  for (let i = 0; i < D * D; i++) X.data[i] = Math.sqrt(D) * Q.data[i];
  const Y = mat(D, K);
  for (let p = 0; p < D; p++) for (let q = 0; q < K; q++) {
    let s = 0;
    for (let i = 0; i < D; i++) s += M.data[q * D + i] * X.data[p * D + i];
    Y.data[p * K + q] = s;
  }
  return { data: { x: X, y: Y, xTest: X, yTest: Y, description: 'saxe' }, M };
}

/** Σ^{31} = (1/P) Σ_μ y_μ x_μᵀ (k×D). */
function correlation(d: Dataset): Mat {
  const P = d.x.rows;
  const out = mat(K, D);
  for (let p = 0; p < P; p++) for (let q = 0; q < K; q++) for (let i = 0; i < D; i++) out.data[q * D + i] += (d.y.data[p * K + q] * d.x.data[p * D + i]) / P;
  return out;
}

/** Plain linear net with m weight matrices, multipliers 1, rates 1 (Saxe's parameterization). */
function saxeNet(m: number): LinearNetSpec {
  return {
    inputDim: D, outputDim: K, width: WIDTH, blocks: m - 2, skip: 0,
    multipliers: { input: 1, hidden: 1, output: 1 }, rates: { input: 1, hidden: 1, output: 1 },
  };
}

/**
 * Max over recorded steps and modes of |u_net − u_ref|/s for a network of m matrices trained with
 * rate lr; `ref(α)` gives the reference at steps 0, every, 2·every, ….
 */
function modeError(m: number, lr: number, steps: number, ref: (alpha: number) => ArrayLike<number>, every = 1): number {
  const { data } = saxeData();
  const svd = thinSvd(correlation(data));
  const W = decoupledBalancedWeights(svd.U, svd.V, svd.s.map(() => U0), WIDTH, m);
  const out = trainLinearGd(saxeNet(m), { W }, data, { lr, steps, recordEvery: every, recordMap: true });
  expect(out.status).toBe('ok');
  let worst = 0;
  const refs = Array.from(svd.s, (_, a) => ref(a));
  out.maps!.forEach((rows, t) => {
    const Mt = mat(K, D);
    rows.forEach((r, q) => r.forEach((v, i) => { Mt.data[q * D + i] = v; }));
    const u = modeStrengths(Mt, svd.U, svd.V);
    u.forEach((v, a) => { worst = Math.max(worst, Math.abs(v - refs[a][t]) / svd.s[a]); });
  });
  return worst;
}

describe('finite linear networks from small balanced decoupled weights', () => {
  it('the SVD of the input–output correlation recovers the designed strengths', () => {
    const svd = thinSvd(correlation(saxeData().data));
    // Whitened data: Σ^{31} = M exactly, so its singular values are STRENGTHS to rounding.
    STRENGTHS.forEach((s, a) => expect(svd.s[a]).toBeCloseTo(s, 10));
  });

  it('one hidden layer follows u(t) = s e^{2st/τ}/(e^{2st/τ} − 1 + s/u0), τ = 1/η, error first order in η', () => {
    const { data } = saxeData();
    const s = thinSvd(correlation(data)).s;
    const errs = [0.02, 0.01].map((lr) => {
      const steps = Math.round(6 / lr); // flow time 6: every mode learned (t_half(s = 0.6) ≈ 5.2)
      return modeError(2, lr, steps, (a) => Array.from({ length: steps + 1 }, (_, t) => saxeTwoLayer(s[a], U0, t, 1 / lr)));
    });
    // Decoupled balanced weights stay decoupled exactly (any width ≥ rank), so the only error is
    // gradient descent vs flow: first order in η (ratio ≈ 2), measured 4.5 %, 2.2 % of s at η = 0.02, 0.01.
    expect(errs[0] / errs[1]).toBeGreaterThan(1.7);
    expect(errs[0] / errs[1]).toBeLessThan(2.3);
    expect(errs[1]).toBeLessThan(0.05);
  });

  it.each([3, 4])('a network of %i weight matrices follows the mode ODE τu\' = m u^{2−2/m}(s − u), error first order in η', (m) => {
    const { data } = saxeData();
    const s = thinSvd(correlation(data)).s;
    const flowTime = m === 3 ? 14 : 32; // deeper: longer plateau from u0 = 1e-3
    const errs = [0.01, 0.005].map((lr) => {
      const every = Math.round(0.1 / lr); // compare every 0.1 of flow time
      const steps = Math.round(flowTime / lr);
      const times = Array.from({ length: steps / every + 1 }, (_, i) => i * every);
      return modeError(m, lr, steps, (a) => saxeModeTrajectory(m, s[a], U0, times, 1 / lr).u, every);
    });
    // Gradient descent vs flow again (ODE at rtol 1e-10): first order in η; measured 5.2 %, 2.6 %
    // (m = 3) and 7.5 %, 3.9 % (m = 4) of s at η = 0.01, 0.005.
    expect(errs[0] / errs[1]).toBeGreaterThan(1.7);
    expect(errs[0] / errs[1]).toBeLessThan(2.3);
    expect(errs[1]).toBeLessThan(0.06);
  });
});
