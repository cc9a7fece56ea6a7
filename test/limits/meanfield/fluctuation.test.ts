import { describe, expect, it } from 'vitest';
import { type Mat, mat } from '../../../src/core/matrix.js';
import { Rng } from '../../../src/core/rng.js';
import { parseActivation } from '../../../src/finite/activation.js';
import { runParticleFlow } from '../../../src/limits/meanfield/flow.js';
import { predictMeanFieldFluctuation } from '../../../src/limits/meanfield/fluctuation.js';
import { sampleParticles } from '../../../src/limits/meanfield/particles.js';
import type { PopulationRisk } from '../../../src/limits/meanfield/population.js';

// A small teacher problem: x ~ N(0, I_3), f* = 0.3 + relu(u1·x) − 0.7 relu(u2·x), Euler steps dt = 0.5.
const d = 3;
const risk: PopulationRisk = {
  kind: 'population', variance: 1,
  target: { kind: 'teacher-relu', weights: mat(2, 3, Float64Array.from([0.6, -0.3, 0.5, -0.2, 0.8, 0.1])), coeffs: Float64Array.from([1, -0.7]), offset: 0.3 },
};
const model = { activation: parseActivation('relu'), wRate: 1 / d };
const init = { kind: 'gaussian' as const, aStd: 1, wStd: 1 / Math.sqrt(d), symmetric: false };
const times = [0, 1.5, 3];
const scheme = { kind: 'euler' as const, dt: 0.5 };
const X: Mat = mat(4, 3, new Rng('inputs').fillNormal(new Float64Array(12)));

describe('mean-field fluctuation (theory/finite-width-meanfield.md)', () => {
  it('a particle scaled by c is a particle of mass c² (the identity behind the mass directions, exact for Euler steps)', () => {
    // A: M+1 particles, particle 0 duplicated. B: the M particles scaled by √(M/(M+1)), particle 0 by a further √2.
    const M = 16;
    const y = sampleParticles(init, { m: M, d }, new Rng('dup'));
    const A = new Float64Array((M + 1) * (d + 1));
    A.set(y.subarray(0, M), 0);
    A[M] = y[0];
    A.set(y.subarray(M), M + 1);
    A.set(y.subarray(M, M + d), M + 1 + M * d);
    const s = Math.sqrt(M / (M + 1));
    const B = y.map((v) => s * v);
    B[0] *= Math.SQRT2;
    for (let i = 0; i < d; i++) B[M + i] *= Math.SQRT2;
    const fa = runParticleFlow(model, risk, { m: M + 1, d }, A, { times, scheme, inputs: [X] });
    const fb = runParticleFlow(model, risk, { m: M, d }, B, { times, scheme, inputs: [X] });
    for (let k = 0; k < times.length; k++) {
      expect(fb.risk[k]).toBeCloseTo(fa.risk[k], 12);
      for (let i = 0; i < X.rows; i++) expect(fb.outputs[0][k][i]).toBeCloseTo(fa.outputs[0][k][i], 12);
    }
  });

  it('the forward difference is the directional derivative: ε = 1e-5 and 1e-7 give C within 1e-3 relative', () => {
    const run = (eps: number) => predictMeanFieldFluctuation(model, risk, d, { times, scheme, init, inputs: [X], particles: 24, systems: 2, directions: 2, eps, seed: 1 });
    const a = run(1e-5);
    const b = run(1e-7);
    for (let k = 1; k < times.length; k++) {
      expect(Math.abs(a.outputs[0].C[k] / b.outputs[0].C[k] - 1)).toBeLessThan(1e-3);
      expect(Math.abs(a.risk.C[k] / b.risk.C[k] - 1)).toBeLessThan(1e-3);
    }
  });

  it('refuses a non-homogeneous activation', () => {
    expect(() => predictMeanFieldFluctuation({ activation: parseActivation('tanh'), wRate: 1 }, risk, d, { times, scheme, init, inputs: [X], particles: 8, systems: 1, directions: 1, seed: 0 })).toThrow(/homogeneous/);
  });

  it('predicts m × the seed variance of m-particle systems (Monte Carlo over 1200 systems of 64 particles)', () => {
    // Tolerance: 3 combined standard errors (prediction over systems, measurement over seeds) plus
    // 0.1 × C for the O(1/m) terms at m = M = 64 (second order of the expansion, bias of the
    // M-particle influence function; theory/finite-width-meanfield.md#neglected).
    const m = 64;
    const pred = predictMeanFieldFluctuation(model, risk, d, { times, scheme, init, inputs: [X], particles: m, systems: 48, directions: 4, seed: 2 });
    const S = 1200;
    const runs = Array.from({ length: S }, (_, s) => runParticleFlow(model, risk, { m, d }, sampleParticles(init, { m, d }, new Rng(`mc/${s}`)), { times, scheme, inputs: [X] }));
    for (let k = 0; k < times.length; k++) {
      const values = (get: (r: (typeof runs)[number]) => ArrayLike<number>) => {
        const n = get(runs[0]).length;
        const mean = new Float64Array(n);
        for (const r of runs) for (let i = 0; i < n; i++) mean[i] += get(r)[i] / S;
        return runs.map((r) => {
          let sq = 0;
          for (let i = 0; i < n; i++) sq += (get(r)[i] - mean[i]) ** 2;
          return (m * S * sq) / ((S - 1) * n);
        });
      };
      for (const [D, p] of [[values((r) => r.outputs[0][k]), pred.outputs[0]], [values((r) => [r.risk[k]]), pred.risk]] as const) {
        const mu = D.reduce((a, b) => a + b, 0) / S;
        const se = Math.sqrt(D.reduce((a, b) => a + (b - mu) ** 2, 0) / (S - 1) / S);
        expect(Math.abs(mu - p.C[k])).toBeLessThan(3 * Math.hypot(se, p.se[k]) + 0.1 * p.C[k]);
      }
    }
  });
});
