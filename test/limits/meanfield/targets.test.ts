import { describe, expect, it } from 'vitest';
import { mat } from '../../../src/core/matrix.js';
import { Rng } from '../../../src/core/rng.js';
import { drawTarget, evaluateTarget, parseTarget } from '../../../src/data/target.js';
import {
  type PopulationTarget, cubicOddTarget, populationTargetOf, targetEnergy, targetProjection, targetValue,
} from '../../../src/limits/meanfield/targets.js';

const d = 5;
const v = 0.8;

function teacher(rng: Rng): PopulationTarget {
  const weights = mat(3, d);
  rng.fillNormal(weights.data);
  return { kind: 'teacher-relu', weights, coeffs: Float64Array.from([0.7, -1.1, 0.4]), offset: -0.3 };
}

/** Monte Carlo of [φ(w·x) f*, φ'(w·x) f* x_0, f*², f* x_1] with standard errors. */
function mc(t: PopulationTarget, w: Float64Array, p: number, q: number, N: number, rng: Rng) {
  const x = new Float64Array(d);
  const s = [0, 0, 0, 0], s2 = [0, 0, 0, 0];
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < d; i++) x[i] = Math.sqrt(v) * rng.normal();
    let u = 0;
    for (let i = 0; i < d; i++) u += w[i] * x[i];
    const f = targetValue(t, x);
    const r = [(u > 0 ? q * u : p * u) * f, (u > 0 ? q : p) * f * x[0], f * f, f * x[1]];
    r.forEach((val, i) => { s[i] += val; s2[i] += val * val; });
  }
  const mean = s.map((a) => a / N);
  return { mean, se: s2.map((a, i) => Math.sqrt((a / N - mean[i] ** 2) / N)) };
}

describe('population targets: P(w) = E[φ(w·x) f*], ∇P, E f*²', () => {
  const rng = new Rng('targets');
  const w = rng.fillNormal(new Float64Array(d));
  const cases: [string, PopulationTarget][] = [
    ['linear', { kind: 'linear', beta: rng.fillNormal(new Float64Array(d)) }],
    ['teacher-relu with offset', teacher(rng)],
    ['cubic odd', cubicOddTarget(d, v, rng)],
  ];
  for (const [name, t] of cases) {
    it(`${name}: closed forms match Monte Carlo within 4.5 standard errors (leaky ReLU student)`, () => {
      const p = 0.1, q = 1;
      const grad = new Float64Array(d);
      const P = targetProjection(t, p, q, v, w, grad, new Float64Array(d));
      const xbar1 = targetProjection(t, 1, 1, v, Float64Array.from({ length: d }, (_, i) => (i === 1 ? 1 : 0)), new Float64Array(d), new Float64Array(d));
      const m = mc(t, w, p, q, 200_000, new Rng(`mc/${name}`));
      // 4.5 se per check: false alarms < 1e-4 over the 12 checks of this block
      [P, grad[0], targetEnergy(t, v), xbar1].forEach((c, i) => expect(Math.abs(c - m.mean[i])).toBeLessThan(4.5 * m.se[i]));
    });

    it(`${name}: ∇P equals central finite differences of P (rel 1e-6)`, () => {
      const grad = new Float64Array(d);
      const sc = new Float64Array(d);
      targetProjection(t, 0, 1, v, w, grad, sc);
      const P = (x: Float64Array) => targetProjection(t, 0, 1, v, x, new Float64Array(d), sc);
      const scale = Math.max(...Array.from(grad, Math.abs));
      for (let i = 0; i < d; i++) {
        const a = w.slice(); a[i] += 1e-5;
        const b = w.slice(); b[i] -= 1e-5;
        expect(Math.abs((P(a) - P(b)) / 2e-5 - grad[i])).toBeLessThan(1e-6 * scale);
      }
    });
  }

  it('the cubic target is normalised: ½ E f*² = 1 exactly in closed form, 1 ± 4.5 se by Monte Carlo', () => {
    const t = cubicOddTarget(d, v, new Rng('cubic'));
    expect(t.energy).toBe(2);
    const m = mc(t, new Float64Array(d).fill(1), 0, 1, 400_000, new Rng('mc/cubic'));
    expect(Math.abs(m.mean[2] - 2)).toBeLessThan(4.5 * m.se[2]);
  });

  it('the data module\'s linear and teacher-relu targets are reproduced pointwise (rounding)', () => {
    for (const name of ['linear', 'teacher-relu']) {
      const target = drawTarget(parseTarget(name, d, 1), d, 1, new Rng('data/teacher'));
      const pt = populationTargetOf(target, d, 0)!;
      const X = mat(20, d);
      new Rng('x').fillNormal(X.data);
      const y = evaluateTarget(target, X);
      for (let i = 0; i < 20; i++) {
        expect(targetValue(pt, X.data.subarray(i * d, (i + 1) * d))).toBeCloseTo(y.data[i], 12);
      }
    }
    expect(populationTargetOf(drawTarget(parseTarget('sign', d, 1), d, 1, new Rng(1)), d)).toBeNull();
  });

  it('teacher-relu from the data module has mean 0 and variance 1 under N(0, I): E f*² = 1', () => {
    const target = drawTarget(parseTarget('teacher-relu', d, 1), d, 1, new Rng('data/teacher2'));
    expect(targetEnergy(populationTargetOf(target, d, 0)!, 1)).toBeCloseTo(1, 10);
  });
});
