import { describe, expect, it } from 'vitest';
import { mat } from '../../../src/core/matrix.js';
import { Rng } from '../../../src/core/rng.js';
import { type Activation, parseActivation } from '../../../src/finite/activation.js';
import { makeLoss } from '../../../src/finite/loss.js';
import { createSampleField } from '../../../src/limits/meanfield/empirical.js';
import { sampleParticles } from '../../../src/limits/meanfield/particles.js';

const n = 9;

function setup(d: number, m: number, seed: string) {
  const rng = new Rng(seed);
  const x = mat(n, d);
  rng.fillNormal(x.data);
  const t = Float64Array.from({ length: n }, () => rng.sign());
  const y = sampleParticles({ kind: 'gaussian', aStd: 1, wStd: 0.7, symmetric: false }, { m, d }, rng);
  return { x, t, y };
}

describe('sample-risk particle velocity', () => {
  for (const [act, lossName, alpha] of [['tanh', 'mse', 1], ['relu', 'logistic', 2.5], ['leaky_relu:0.3', 'soft-hinge', 1]] as const) {
    it(`${act}, ${lossName}, α = ${alpha}: velocity = −m·diag(1, κ)·∇R by central finite differences (rel 1e-6)`, () => {
      const d = 3, m = 6, kappa = 0.4;
      const { x, t, y } = setup(d, m, `emp/fd/${act}`);
      const field = createSampleField({ activation: parseActivation(act), wRate: kappa }, { m, d }, n, makeLoss(lossName), alpha);
      const dy = new Float64Array(y.length);
      const R = field.velocity(y, x, t, dy);
      expect(field.risk(y, x, t)).toBeCloseTo(R, 14);
      // ReLU kinks: the draw puts no pre-activation within 1e-4 of 0 (asserted), so R is smooth on
      // the stencil (h = 1e-6) and central differences have error O(h²) + O(ε/h) ≪ 1e-6.
      let minZ = Infinity;
      for (let j = 0; j < m; j++) for (let i = 0; i < n; i++) {
        let z = 0;
        for (let k = 0; k < d; k++) z += y[m + j * d + k] * x.data[i * d + k];
        minZ = Math.min(minZ, Math.abs(z));
      }
      expect(minZ).toBeGreaterThan(1e-4);
      const h = 1e-6;
      const scale = Math.max(...Array.from(dy, Math.abs));
      for (let i = 0; i < y.length; i++) {
        const p = y.slice(); p[i] += h;
        const q = y.slice(); q[i] -= h;
        const g = (field.risk(p, x, t) - field.risk(q, x, t)) / (2 * h);
        expect(Math.abs(-m * (i < m ? 1 : kappa) * g - dy[i])).toBeLessThan(1e-6 * scale);
      }
    });
  }

  it('the unrolled ABReLU loops equal the plain ones to rounding (d = 1, 5, 12)', () => {
    for (const d of [1, 5, 12]) {
      const m = 11;
      const { x, t, y } = setup(d, m, `emp/unroll/${d}`);
      const model = { activation: parseActivation('leaky_relu:0.1'), wRate: 0.7 };
      const a = createSampleField(model, { m, d }, n, makeLoss('mse'), 1, true);
      const b = createSampleField(model, { m, d }, n, makeLoss('mse'), 1, false);
      const da = new Float64Array(y.length), db = new Float64Array(y.length);
      expect(a.velocity(y, x, t, da)).toBeCloseTo(b.velocity(y, x, t, db), 14);
      da.forEach((v, i) => expect(Math.abs(v - db[i])).toBeLessThanOrEqual(1e-14 * (1 + Math.abs(v))));
    }
  });

  it('the generic (scalar f, df) path equals the ABReLU path for ReLU given as a plain function', () => {
    const d = 4, m = 8;
    const { x, t, y } = setup(d, m, 'emp/generic');
    const plain: Activation = { name: 'max(x, 0)', family: { kind: 'smooth', kinked: true }, f: (z) => Math.max(z, 0), df: (z) => (z > 0 ? 1 : 0) };
    const a = createSampleField({ activation: parseActivation('relu'), wRate: 1 }, { m, d }, n, makeLoss('mse'), 1);
    const b = createSampleField({ activation: plain, wRate: 1 }, { m, d }, n, makeLoss('mse'), 1);
    const da = new Float64Array(y.length), db = new Float64Array(y.length);
    a.velocity(y, x, t, da);
    b.velocity(y, x, t, db);
    da.forEach((v, i) => expect(v).toBeCloseTo(db[i], 13));
  });
});
