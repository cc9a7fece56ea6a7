/**
 * The neural correlation function N(u) = yᵀH(X; u) of a homogeneous network and its gradient
 * (Kumar & Haupt 2024, arXiv 2403.08121, Eq. (3)), checked against a naive forward pass, central
 * finite differences and the homogeneity identities.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { parseActivation } from '../../../src/finite/activation.js';
import { viewParams } from '../../../src/finite/params.js';
import { balancedUnitDirection, homogeneousNet } from '../../../src/regimes/kumarHaupt/homogeneous.js';
import { correlationProblem } from '../../../src/regimes/kumarHaupt/ncf.js';
import { naiveForward, rows, smallData, toNaive } from '../../finite/helpers.js';

const data = smallData('ncf', 12, 4, 2, 0);
const net = homogeneousNet(4, 2, 6, 2, parseActivation('leaky_relu:0.2'));
const ncf = correlationProblem(net, data.x, data.y);
const u = balancedUnitDirection(net, new Rng(7).child('direction'));

/** yᵀH(X; w) from the naive forward pass of test/finite/helpers.ts. */
function naiveN(w: Float64Array): number {
  const p = toNaive(viewParams(net.arch, w));
  const y = rows(data.y);
  return rows(data.x).reduce((s, xi, i) => s + naiveForward(net.arch, p, xi).F.reduce((a, F, k) => a + F * y[i][k], 0), 0);
}

describe('neural correlation function', () => {
  it('the network is bias-free with multipliers 1 and degree p = number of weight layers = 3', () => {
    expect(net.degree).toBe(3);
    for (const l of net.arch.layers) {
      expect(l.multiplier).toBe(1);
      expect(l.bias).toBeNull();
    }
    expect(() => homogeneousNet(4, 1, 6, 2, parseActivation('tanh'))).toThrow(/positively homogeneous/);
  });

  it('N(u) equals yᵀH(X; u) of the naive forward pass (rounding: 1e-12 relative)', () => {
    const n = ncf.value(u);
    expect(Math.abs(n - naiveN(u))).toBeLessThan(1e-12 * Math.max(1, Math.abs(n)));
  });

  it('H is p-homogeneous: N(c u) = c^p N(u) for c = 0.3 and 2.5 (1e-12 relative)', () => {
    for (const c of [0.3, 2.5]) {
      const cu = u.map((v) => c * v);
      expect(Math.abs(ncf.value(cu) - c ** 3 * ncf.value(u))).toBeLessThan(1e-12 * Math.abs(ncf.value(cu)) + 1e-14);
    }
  });

  it('∇N matches central finite differences (step 1e-6: error O(step²) ≈ 1e-12, away from kinks; 1e-7 absolute)', () => {
    const g = new Float64Array(net.size);
    ncf.gradient(u, g);
    const e = 1e-6;
    let worst = 0;
    for (let i = 0; i < net.size; i++) {
      const up = Float64Array.from(u); up[i] += e;
      const dn = Float64Array.from(u); dn[i] -= e;
      worst = Math.max(worst, Math.abs((naiveN(up) - naiveN(dn)) / (2 * e) - g[i]));
    }
    expect(worst).toBeLessThan(1e-7);
  });

  it('Euler’s identity ⟨u, ∇N(u)⟩ = p N(u) (1e-12 relative)', () => {
    const g = new Float64Array(net.size);
    const n = ncf.gradient(u, g);
    const ug = u.reduce((s, v, i) => s + v * g[i], 0);
    expect(Math.abs(ug - 3 * n)).toBeLessThan(1e-12 * Math.max(1, Math.abs(n)));
  });

  it('the rescaled loss gradient is δ^{1−p} ∇_w ½‖H(X; w) − y‖² at w = δv (finite differences in w, δ = 0.3)', () => {
    const delta = 0.3;
    const g = new Float64Array(net.size);
    const loss = ncf.scaledLossGradient(u, delta, g);
    const lossW = (w: Float64Array) => {
      const F = ncf.outputs(w).data;
      return 0.5 * F.reduce((s, f, i) => s + (f - data.y.data[i]) ** 2, 0);
    };
    const w = u.map((v) => delta * v);
    expect(Math.abs(loss - lossW(w))).toBeLessThan(1e-12);
    const e = 1e-7;
    let worst = 0;
    for (let i = 0; i < net.size; i++) {
      const up = Float64Array.from(w); up[i] += e;
      const dn = Float64Array.from(w); dn[i] -= e;
      const fd = (lossW(up) - lossW(dn)) / (2 * e);
      worst = Math.max(worst, Math.abs(fd - delta ** 2 * g[i]));
    }
    // ∇_w Loss(δv) = δ^{p−1} g = δ² g; FD error O(e²·‖∇³‖) plus rounding ~1e-16/e ≈ 1e-9
    expect(worst).toBeLessThan(1e-7);
  });
});
