import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/core/rng.js';
import { reluPairKernel, reluPairKernelGrad } from '../../../../src/limits/meanfield/arccos.js';
import { singleIndexRelu } from '../../../../src/limits/meanfield/subspace/singleIndex.js';
import { createReducedField, crossEnergy, reducedList } from '../../../../src/limits/meanfield/subspace/reducedField.js';
import { targetProjection } from '../../../../src/limits/meanfield/targets.js';

const d = 4, v = 1 / d;

/** A unit vector uniform on S² (the orthogonal complement of e_1 in R^4). */
function sphere2(rng: Rng): [number, number, number] {
  const g = rng.fillNormal(new Float64Array(3));
  const n = Math.hypot(g[0], g[1], g[2]);
  return [g[0] / n, g[1] / n, g[2] / n];
}

/** A small reduced measure: M points (a, u, r) with weights. */
function smallMeasure(rng: Rng, M: number) {
  const y = new Float64Array(3 * M), weights = new Float64Array(M);
  for (let i = 0; i < M; i++) {
    y[i] = rng.uniform() * 2 - 1;
    y[M + i] = rng.uniform() * 2 - 1;
    y[2 * M + i] = 0.1 + rng.uniform();
    weights[i] = 0.5 + rng.uniform();
  }
  const z = weights.reduce((s, x) => s + x, 0);
  for (let i = 0; i < M; i++) weights[i] /= z;
  return { y, measure: { M, weights } };
}

describe('reduced PDE velocity (theory/subspace-reduction.md#reduced-pde)', () => {
  it('equals the full R^4 particle velocity averaged over rotations of the complement (Monte Carlo, 4.5 se, se < 2e-4)', () => {
    const rng = new Rng(7);
    const target = singleIndexRelu(d, v);
    const { y, measure } = smallMeasure(rng.child('measure'), 5);
    const M = measure.M;
    const dy = new Float64Array(3 * M);
    createReducedField(target, v, measure).velocity(y, dy);
    for (const i of [0, 3]) {
      const a = y[i], u = y[M + i], r = y[2 * M + i];
      const om = sphere2(rng.child(`probe${i}`));
      const w = Float64Array.of(u, r * om[0], r * om[1], r * om[2]);
      const gP = new Float64Array(d);
      const P = targetProjection(target, 0, 1, v, w, gP, new Float64Array(d));
      const n = 100000;
      const stats = Array.from({ length: 5 }, () => ({ s: 0, s2: 0 }));
      const g = new Float64Array(d), w2 = new Float64Array(d);
      const s = rng.child(`mc${i}`);
      for (let q = 0; q < n; q++) {
        let F = 0; const G = [0, 0, 0, 0];
        for (let j = 0; j < M; j++) {
          const o = sphere2(s);
          w2[0] = y[M + j]; w2[1] = y[2 * M + j] * o[0]; w2[2] = y[2 * M + j] * o[1]; w2[3] = y[2 * M + j] * o[2];
          const c = measure.weights[j] * y[j];
          F += c * reluPairKernel(w, w2, v);
          reluPairKernelGrad(w, w2, v, g);
          for (let k = 0; k < d; k++) G[k] += c * g[k];
        }
        const aDot = P - F;
        const wDot = G.map((x, k) => -a * (x - gP[k]));
        const rDot = wDot[1] * om[0] + wDot[2] * om[1] + wDot[3] * om[2];
        // a component of the orthogonal velocity perpendicular to ω (mean 0 by the symmetry)
        const perp = wDot[1] * -om[1] + wDot[2] * om[0];
        [aDot, wDot[0], rDot, perp, F].forEach((x, k) => { stats[k].s += x; stats[k].s2 += x * x; });
      }
      const want = [dy[i], dy[M + i], dy[2 * M + i], 0];
      for (let k = 0; k < 4; k++) {
        const mean = stats[k].s / n;
        const se = Math.sqrt((stats[k].s2 / n - mean * mean) / n);
        expect(se).toBeLessThan(2e-4);
        expect(Math.abs(mean - want[k])).toBeLessThan(4.5 * se);
      }
    }
  });

  it('is minus the gradient of the reduced risk per unit weight (central differences, 1e-6 relative)', () => {
    const rng = new Rng(11);
    const target = singleIndexRelu(d, v);
    const { y, measure } = smallMeasure(rng.child('measure'), 4);
    const M = measure.M;
    const field = createReducedField(target, v, measure);
    const dy = new Float64Array(3 * M);
    const R0 = field.velocity(y, dy);
    // the risk is ½(E f² − 2 E f f* + E f*²) with E f² = Σ ω_i ω_j a_i a_j K̄_ij
    const ef2 = crossEnergy(reducedList(y, measure), reducedList(y, measure), v);
    let eff = 0;
    for (let i = 0; i < M; i++) {
      eff += measure.weights[i] * y[i] * targetProjection(target, 0, 1, v, Float64Array.of(y[M + i], y[2 * M + i], 0, 0), new Float64Array(d), new Float64Array(d));
    }
    expect(Math.abs(R0 - 0.5 * (ef2 - 2 * eff + 1))).toBeLessThan(1e-14);
    const scratch = new Float64Array(3 * M);
    const eps = 1e-5;
    for (let k = 0; k < 3 * M; k++) {
      const yp = y.slice(), ym = y.slice();
      yp[k] += eps; ym[k] -= eps;
      const g = (field.velocity(yp, scratch) - field.velocity(ym, scratch)) / (2 * eps);
      const want = -g / measure.weights[k % M];
      expect(Math.abs(dy[k] - want)).toBeLessThan(1e-6 * (1 + Math.abs(want)));
    }
  });
});
