import { describe, expect, it } from 'vitest';
import { mat } from '../../../src/core/matrix.js';
import { Rng } from '../../../src/core/rng.js';
import { betaCdf, ksStatistic, logGamma, subspaceCosines } from '../../../src/limits/meanfield/angles.js';
import { type ParticleInit, sampleParticles } from '../../../src/limits/meanfield/particles.js';

describe('Beta distribution function', () => {
  it('log Γ matches factorials and Γ(½) = √π (1e-13)', () => {
    expect(logGamma(1)).toBeCloseTo(0, 13);
    expect(logGamma(6)).toBeCloseTo(Math.log(120), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(logGamma(30.5)).toBeCloseTo(logGamma(29.5) + Math.log(29.5), 11);
  });

  it('I_x(a, b) matches closed forms: Beta(1,1) = x, Beta(a,1) = x^a, Beta(½,½) = (2/π) asin √x, Beta(2,2) = 3x² − 2x³', () => {
    for (const x of [0.01, 0.2, 0.5, 0.77, 0.99]) {
      expect(betaCdf(x, 1, 1)).toBeCloseTo(x, 13);
      expect(betaCdf(x, 3.5, 1)).toBeCloseTo(x ** 3.5, 12);
      expect(betaCdf(x, 0.5, 0.5)).toBeCloseTo((2 / Math.PI) * Math.asin(Math.sqrt(x)), 12);
      expect(betaCdf(x, 2, 2)).toBeCloseTo(3 * x * x - 2 * x ** 3, 12);
      expect(betaCdf(x, 1.5, 9)).toBeCloseTo(1 - betaCdf(1 - x, 9, 1.5), 12);
    }
  });
});

describe('angle statistics cos θ_j = ‖w_{j,H}‖/‖w_j‖', () => {
  // KS critical value at level 0.001: 1.95/√n. A false alarm rate of 1e-3 per check.
  const n = 4000;
  const crit = 1.95 / Math.sqrt(n);
  const inits: [string, ParticleInit][] = [
    ['gaussian', { kind: 'gaussian', aStd: 1, wStd: 0.3, symmetric: false }],
    ['sphere', { kind: 'sphere', radius: 2, aScale: 1, symmetric: false }],
  ];
  for (const [name, init] of inits) {
    it(`${name} init: cos²θ ~ Beta(d_H/2, (d − d_H)/2) by a Kolmogorov–Smirnov test, d = 10, d_H = 3`, () => {
      const d = 10, dH = 3;
      const y = sampleParticles(init, { m: n, d }, new Rng(`angles/${name}`));
      const c2 = Array.from(subspaceCosines(y, { m: n, d }, { kind: 'coordinates', dim: dH }), (c) => c * c);
      expect(ksStatistic(c2, (x) => betaCdf(x, dH / 2, (d - dH) / 2))).toBeLessThan(crit);
      // power: the neighbouring law Beta((d_H+1)/2, (d − d_H − 1)/2) (d_H = 4) is rejected
      expect(ksStatistic(c2, (x) => betaCdf(x, (dH + 1) / 2, (d - dH - 1) / 2))).toBeGreaterThan(crit);
    });
  }

  it('an orthonormal basis of H gives the same cosines as coordinates after rotating the particles', () => {
    const d = 4, m = 50;
    const y = sampleParticles({ kind: 'gaussian', aStd: 1, wStd: 1, symmetric: false }, { m, d }, new Rng('angles/rot'));
    // H = span(e1 + e2, e3)/norms; rotate coordinates so that H becomes span(e1, e2)
    const s = Math.SQRT1_2;
    const basis = mat(2, d, Float64Array.from([s, s, 0, 0, 0, 0, 1, 0]));
    const viaBasis = subspaceCosines(y, { m, d }, { kind: 'basis', rows: basis });
    const rotated = y.slice();
    for (let j = 0; j < m; j++) {
      const o = m + j * d;
      const [w0, w1, w2, w3] = [y[o], y[o + 1], y[o + 2], y[o + 3]];
      rotated[o] = s * (w0 + w1);
      rotated[o + 1] = w2;
      rotated[o + 2] = s * (w0 - w1);
      rotated[o + 3] = w3;
    }
    const viaCoords = subspaceCosines(rotated, { m, d }, { kind: 'coordinates', dim: 2 });
    viaBasis.forEach((c, j) => expect(c).toBeCloseTo(viaCoords[j], 13));
  });
});
