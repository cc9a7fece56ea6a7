import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { kktByProjectedAscent, kktResidual } from '../../../src/regimes/kumarHaupt/kkt.js';
import { leakyFlow, trainingFlow } from '../../../src/regimes/kumarHaupt/originalFlow.js';
import { balancedPolyDirection, polyNet, polyProblem } from '../../../src/regimes/kumarHaupt/polyNet.js';
import { neuronCorrelation, rankOneConditions } from '../../../src/regimes/kumarHaupt/rankOneConditions.js';

function problem(r: number, alpha = 0.2, h = 5, d = 4, n = 12) {
  const rng = new Rng('poly-test');
  const x = new Float64Array(n * d).map(() => rng.normal());
  const y = new Float64Array(n).map(() => rng.normal());
  return polyProblem(polyNet(d, h, r, alpha), x, y);
}

describe('polynomial leaky ReLU network (theory/kumar-haupt.md#poly-leaky)', () => {
  for (const r of [1, 2, 3]) {
    it(`r = ${r}: ∇N and ∇Loss match central differences, Euler's identity and H(cu) = c^p H(u)`, () => {
      const prob = problem(r);
      const u = new Float64Array(prob.net.size).map((_x, i) => Math.sin(1.7 * i + 0.3));
      const g = new Float64Array(u.length);
      const n0 = prob.ncf(u, g);
      const gl = new Float64Array(u.length);
      prob.loss(u, gl);
      const eps = 1e-6;
      const dummy = new Float64Array(u.length);
      for (let i = 0; i < u.length; i++) {
        const up = Float64Array.from(u); up[i] += eps;
        const dn = Float64Array.from(u); dn[i] -= eps;
        // central differences: error O(eps²·|σ'''|) plus rounding ~1e-10 relative (tolerance 1e-5 absolute)
        expect(Math.abs((prob.ncf(up) - prob.ncf(dn)) / (2 * eps) - g[i])).toBeLessThan(1e-5 * (1 + Math.abs(g[i])));
        expect(Math.abs((prob.loss(up, dummy) - prob.loss(dn, dummy)) / (2 * eps) - gl[i])).toBeLessThan(1e-5 * (1 + Math.abs(gl[i])));
      }
      let ug = 0;
      for (let i = 0; i < u.length; i++) ug += u[i] * g[i];
      expect(Math.abs(ug - prob.net.degree * n0)).toBeLessThan(1e-10 * (1 + Math.abs(n0)));
      expect(Math.abs(prob.ncf(u.map((v) => 1.7 * v)) - Math.pow(1.7, r + 1) * n0)).toBeLessThan(1e-10 * (1 + Math.abs(n0)));
    });
  }

  it('the balanced direction has ‖a‖² = 1/p and ‖W‖² = r/p', () => {
    const prob = problem(3);
    const u = balancedPolyDirection(prob.net, new Rng(4));
    const a = u.subarray(0, prob.net.h).reduce((s, v) => s + v * v, 0);
    const w = u.subarray(prob.net.h).reduce((s, v) => s + v * v, 0);
    expect(a).toBeCloseTo(1 / 4, 12);
    expect(w).toBeCloseTo(3 / 4, 12);
  });
});

describe('rank-one KKT conditions (theory/kumar-haupt.md#rank-one-conditions)', () => {
  it('a point built from the conditions is a KKT point of the full NCF (sufficiency), a perturbed one fails them', () => {
    const prob = problem(2);
    const { d, h, r } = prob.net;
    // a KKT point v of g on the sphere in R^d (independent: the ascent on g alone)
    const grad = new Float64Array(d);
    const gProblem = { net: { degree: r }, value: (v: Float64Array) => neuronCorrelation(prob, v, grad), gradient: (v: Float64Array, out: Float64Array) => neuronCorrelation(prob, v, out) };
    const v = kktByProjectedAscent(gProblem, new Float64Array(d).fill(0.5), {}).u;
    const gv = neuronCorrelation(prob, v, grad);
    const u = new Float64Array(prob.net.size);
    const z = Math.sqrt(r / (r + 1)); // one active neuron, ‖u‖ = 1
    u[0] = Math.sign(gv) * z / Math.sqrt(r);
    for (let k = 0; k < d; k++) u[h + k] = z * v[k];
    const c = rankOneConditions(prob, u);
    expect(c.active).toBe(1);
    // (D) carries the ascent's residual (accepted ≤ 1e-6); the others are exact up to rounding
    expect(c.direction).toBeLessThan(1e-6);
    expect(Math.max(c.rank, c.balance, c.multiplier)).toBeLessThan(1e-12);
    expect(c.signViolations).toBe(0);
    // the full NCF's KKT residual (ncf + Euler, independent of the conditions): small
    const ncf = { net: { degree: prob.net.degree }, value: (x: Float64Array) => prob.ncf(x), gradient: (x: Float64Array, g: Float64Array) => prob.ncf(x, g) };
    expect(kktResidual(ncf, u)).toBeLessThan(2 * c.direction + 1e-12);
    // unbalanced: (B) and the KKT residual both fail
    const bad = Float64Array.from(u);
    bad[0] *= 1.3;
    expect(rankOneConditions(prob, bad).balance).toBeGreaterThan(0.5);
    expect(kktResidual(ncf, bad.map((x) => x / Math.hypot(...bad)))).toBeGreaterThan(1e-2);
    // a second neuron in another direction: not rank one
    const two = Float64Array.from(u);
    two[1] = 0.3;
    for (let k = 0; k < d; k++) two[h + d + k] = 0.3 * Math.cos(k);
    expect(rankOneConditions(prob, two).rank).toBeGreaterThan(1e-2);
  });
});

describe('original-time flows (theory/kumar-haupt.md#original-time)', () => {
  it('Dormand–Prince in t and the fixed-step RK4 agree on a smooth p = 2 network (α = 1, linear)', () => {
    const prob = problem(1, 1);
    const w0 = balancedPolyDirection(prob.net, new Rng(2)).map((x) => 1e-2 * x);
    const T = 0.3;
    const dp = trainingFlow(prob, w0, { rtol: 1e-10, tMax: T, maxSteps: 100_000, stop: () => false });
    const rk = leakyFlow(prob, w0, 1e-2, 1e-3, { maxSteps: 100_000, stop: (t) => t >= T - 1e-12 });
    const a = dp.states[dp.states.length - 1];
    const b = rk.states[rk.states.length - 1];
    expect(Math.abs(dp.times[dp.times.length - 1] - T)).toBeLessThan(1e-12);
    expect(Math.abs(rk.times[rk.times.length - 1] - T)).toBeLessThan(1e-9);
    // RK4 at Δt = 1e-3 on rates O(10): global error ~ (10Δt)^4 ~ 1e-8 relative
    let diff = 0, nrm = 0;
    for (let i = 0; i < a.length; i++) { diff += (a[i] - b[i]) ** 2; nrm += a[i] ** 2; }
    expect(Math.sqrt(diff / nrm)).toBeLessThan(1e-6);
  });
});
