import { describe, expect, it } from 'vitest';
import { mat } from '../../../src/core/matrix.js';
import { Rng } from '../../../src/core/rng.js';
import { parseActivation } from '../../../src/finite/activation.js';
import { makeLoss } from '../../../src/finite/loss.js';
import { createSampleField } from '../../../src/limits/meanfield/empirical.js';
import { compilePairSums, pairSumsReference } from '../../../src/limits/meanfield/pairSums.js';
import { type MeanFieldModel, sampleParticles } from '../../../src/limits/meanfield/particles.js';
import { type PopulationRisk, createPopulationField } from '../../../src/limits/meanfield/population.js';
import { type PopulationTarget, cubicOddTarget, targetValue } from '../../../src/limits/meanfield/targets.js';

const d = 4;
const v = 0.9;
const teacher = (rng: Rng): PopulationTarget => {
  const weights = mat(2, d);
  rng.fillNormal(weights.data);
  return { kind: 'teacher-relu', weights, coeffs: Float64Array.from([1.2, -0.5]), offset: 0.25 };
};

const cases: { name: string; act: string; kappa: number; target: (r: Rng) => PopulationTarget }[] = [
  { name: 'relu, linear target, κ = 1', act: 'relu', kappa: 1, target: (r) => ({ kind: 'linear', beta: r.fillNormal(new Float64Array(d)) }) },
  { name: 'relu, teacher-relu target, κ = 0.3', act: 'relu', kappa: 0.3, target: teacher },
  { name: 'leaky relu 0.1, cubic odd target, κ = 2', act: 'leaky_relu:0.1', kappa: 2, target: (r) => cubicOddTarget(d, v, r) },
];

describe('population-risk particle velocity', () => {
  for (const c of cases) {
    it(`${c.name}: velocity = −m·diag(1, κ)·∇R by central finite differences (rel 1e-6)`, () => {
      const rng = new Rng(`fd/${c.name}`);
      const m = 7;
      const shape = { m, d };
      const model: MeanFieldModel = { activation: parseActivation(c.act), wRate: c.kappa };
      const risk: PopulationRisk = { kind: 'population', variance: v, target: c.target(rng) };
      const field = createPopulationField(model, risk, shape);
      const y = sampleParticles({ kind: 'gaussian', aStd: 1, wStd: 0.6, symmetric: false }, shape, rng);
      const dy = new Float64Array(y.length);
      const R = field.velocity(y, dy);
      expect(field.risk(y)).toBeCloseTo(R, 13);
      // R is C² away from collinear particles (none in a Gaussian draw): h = 1e-5 gives a truncation
      // error ~h²|R'''| ~ 1e-10 and rounding ~ε|R|/h ~ 1e-11, far below 1e-6 of the largest entry.
      const h = 1e-5;
      const scale = Math.max(...Array.from(dy, Math.abs));
      for (let i = 0; i < y.length; i++) {
        const p = y.slice(); p[i] += h;
        const q = y.slice(); q[i] -= h;
        const grad = (field.risk(p) - field.risk(q)) / (2 * h);
        const rate = i < m ? 1 : c.kappa;
        expect(Math.abs(-m * rate * grad - dy[i])).toBeLessThan(1e-6 * scale);
      }
    });

    it(`${c.name}: velocity matches the sample velocity on fresh Gaussian data within 4.5 se`, () => {
      // 40 independent batches of 5000 points: the population velocity is their common mean;
      // each component is z-tested against the batch mean with the spread of the batch values.
      const rng = new Rng(`mc/${c.name}`);
      const m = 5;
      const shape = { m, d };
      const model: MeanFieldModel = { activation: parseActivation(c.act), wRate: c.kappa };
      const target = c.target(rng);
      const field = createPopulationField(model, { kind: 'population', variance: v, target }, shape);
      const y = sampleParticles({ kind: 'gaussian', aStd: 1, wStd: 0.6, symmetric: false }, shape, rng);
      const exact = new Float64Array(y.length);
      field.velocity(y, exact);
      const B = 40, n = 5000;
      const sample = createSampleField(model, shape, n, makeLoss('mse'), 1);
      const X = mat(n, d);
      const yt = new Float64Array(n);
      const dy = new Float64Array(y.length);
      const s1 = new Float64Array(y.length), s2 = new Float64Array(y.length);
      for (let b = 0; b < B; b++) {
        rng.fillNormal(X.data, Math.sqrt(v));
        for (let i = 0; i < n; i++) yt[i] = targetValue(target, X.data.subarray(i * d, (i + 1) * d));
        sample.velocity(y, X, yt, dy);
        for (let i = 0; i < y.length; i++) { s1[i] += dy[i]; s2[i] += dy[i] * dy[i]; }
      }
      for (let i = 0; i < y.length; i++) {
        const mean = s1[i] / B;
        const se = Math.sqrt((s2[i] / B - mean * mean) / (B - 1));
        expect(Math.abs(mean - exact[i])).toBeLessThan(4.5 * se + 1e-12);
      }
    });
  }

  it('the unrolled (generated) pair loop equals the plain loop to rounding for d = 1, 3, 10, 20', () => {
    for (const dd of [1, 3, 10, 20]) {
      const m = 37;
      const rng = new Rng(`pairs/${dd}`);
      const W = rng.fillNormal(new Float64Array(m * dd));
      const a = rng.fillNormal(new Float64Array(m));
      const nrm = new Float64Array(m), inv = new Float64Array(m);
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let k = 0; k < dd; k++) s += W[j * dd + k] ** 2;
        nrm[j] = Math.sqrt(s);
        inv[j] = 1 / nrm[j];
      }
      const out = () => ({ kAcc: new Float64Array(m), sAcc: new Float64Array(m), T: new Float64Array(m * dd), tj: new Float64Array(dd) });
      const r1 = out(), r2 = out();
      pairSumsReference({ m, d: dd, a, W, nrm, inv, ...r1 });
      compilePairSums(dd)({ m, d: dd, a, W, nrm, inv, ...r2 });
      // same operations in the same order: identical up to the JIT's floating-point (≤ 1e-13 relative)
      for (const key of ['kAcc', 'sAcc', 'T'] as const) {
        r1[key].forEach((x, i) => expect(Math.abs(x - r2[key][i])).toBeLessThanOrEqual(1e-13 * (1 + Math.abs(x))));
      }
    }
  });

  it('symmetric configurations (a, w)/(−a, −w) with an odd target move symmetrically (the pairing is preserved)', () => {
    const m = 10;
    const shape = { m, d };
    const rng = new Rng('sym');
    const y = sampleParticles({ kind: 'sphere', radius: 1, aScale: 1, symmetric: true }, shape, rng);
    const field = createPopulationField({ activation: parseActivation('relu'), wRate: 1 }, { kind: 'population', variance: v, target: cubicOddTarget(d, v, rng) }, shape);
    const dy = new Float64Array(y.length);
    field.velocity(y, dy);
    for (let j = 0; j < m / 2; j++) {
      expect(dy[j + m / 2]).toBeCloseTo(-dy[j], 13);
      for (let k = 0; k < d; k++) expect(dy[m + (j + m / 2) * d + k]).toBeCloseTo(-dy[m + j * d + k], 13);
    }
  });
});
