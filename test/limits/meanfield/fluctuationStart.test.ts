import { describe, expect, it } from 'vitest';
import { type Mat, mat } from '../../../src/core/matrix.js';
import { Rng } from '../../../src/core/rng.js';
import { parseActivation } from '../../../src/finite/activation.js';
import { predictMeanFieldFluctuation } from '../../../src/limits/meanfield/fluctuation.js';
import { exactStartPrefactor } from '../../../src/limits/meanfield/fluctuationStart.js';
import { type ParticleInit, sampleParticles } from '../../../src/limits/meanfield/particles.js';
import type { PopulationRisk } from '../../../src/limits/meanfield/population.js';

const d = 3;
const X: Mat = mat(4, 3, new Rng('inputs').fillNormal(new Float64Array(12)));

/** m × the sample variance of f_0 over one system of m particles, mean over the rows of X: per particle. */
function monteCarlo(init: ParticleInit, act: string, m: number): { mean: number; se: number } {
  // particle j's contribution to m · f_0(x) is a_j φ(w_j·x) (state layout of particles.ts)
  const y = sampleParticles(init, { m, d }, new Rng(`mc/${act}/${init.kind}`));
  const phi = parseActivation(act).f;
  const per = new Float64Array(m);
  for (let i = 0; i < X.rows; i++) {
    for (let j = 0; j < m; j++) {
      let u = 0;
      for (let c = 0; c < d; c++) u += y[m + j * d + c] * X.data[i * d + c];
      per[j] += (y[j] * phi(u)) ** 2 / X.rows;
    }
  }
  const mean = per.reduce((a, b) => a + b, 0) / m;
  const sd = Math.sqrt(per.reduce((a, b) => a + (b - mean) ** 2, 0) / (m - 1));
  return { mean, se: sd / Math.sqrt(m) };
}

describe('exact C(0) of the mean-field fluctuation (theory/finite-width-meanfield.md#exact-start)', () => {
  const cases: [ParticleInit, string][] = [
    [{ kind: 'gaussian', aStd: 1.3, wStd: 0.7, symmetric: false }, 'relu'],
    [{ kind: 'gaussian', aStd: 1, wStd: 1 / Math.sqrt(d), symmetric: false }, 'leaky_relu'],
    [{ kind: 'sphere', radius: 1.5, aScale: 0.8, symmetric: false }, 'abs'],
  ];
  for (const [init, act] of cases) {
    it(`equals E[(a φ(w·x))²] by Monte Carlo over 100000 particles (${init.kind}, ${act}; 4 standard errors)`, () => {
      // E[a φ(w·x)] = 0 (a centred, independent of w), so the second moment is the variance.
      const mc = monteCarlo(init, act, 100000);
      const exact = exactStartPrefactor(init, parseActivation(act), X);
      expect(Math.abs(exact - mc.mean)).toBeLessThan(4 * mc.se);
    });
  }

  it('refuses the symmetric pairing and a non-homogeneous activation', () => {
    expect(() => exactStartPrefactor({ kind: 'gaussian', aStd: 1, wStd: 1, symmetric: true }, parseActivation('relu'), X)).toThrow(/symmetric/);
    expect(() => exactStartPrefactor(cases[0][0], parseActivation('tanh'), X)).toThrow(/homogeneous/);
  });

  it('as a control variate: C(0) is reproduced exactly, and C(t) agrees with the plain estimate of 8× more systems', () => {
    // Tolerance: 3 combined standard errors (independent seeds). The control variate must also
    // shrink the standard error at the later times (the estimates are correlated over time).
    const risk: PopulationRisk = {
      kind: 'population', variance: 1,
      target: { kind: 'teacher-relu', weights: mat(2, 3, Float64Array.from([0.6, -0.3, 0.5, -0.2, 0.8, 0.1])), coeffs: Float64Array.from([1, -0.7]), offset: 0.3 },
    };
    const model = { activation: parseActivation('relu'), wRate: 1 / d };
    const init = cases[1][0];
    const o = { times: [0, 1.5, 3], scheme: { kind: 'euler' as const, dt: 0.5 }, init, inputs: [X], particles: 24, directions: 2 };
    const exact = exactStartPrefactor(init, model.activation, X);
    const cv = predictMeanFieldFluctuation(model, risk, d, { ...o, systems: 24, seed: 'cv', exactStart: [exact, undefined] });
    const plainSame = predictMeanFieldFluctuation(model, risk, d, { ...o, systems: 24, seed: 'cv' });
    const plain = predictMeanFieldFluctuation(model, risk, d, { ...o, systems: 192, seed: 'plain' });
    expect(cv.outputs[0].C[0]).toBeCloseTo(exact, 12);
    expect(cv.outputs[0].se[0]).toBeLessThan(1e-12);
    expect(cv.risk).toEqual(plainSame.risk);
    for (let k = 1; k < 3; k++) {
      expect(Math.abs(cv.outputs[0].C[k] - plain.outputs[0].C[k])).toBeLessThan(3 * Math.hypot(cv.outputs[0].se[k], plain.outputs[0].se[k]));
      expect(cv.outputs[0].se[k]).toBeLessThan(plainSame.outputs[0].se[k]);
    }
  });
});
