import { describe, expect, it } from 'vitest';
import { mat } from '../../../src/core/matrix.js';
import { Rng } from '../../../src/core/rng.js';
import { parseActivation } from '../../../src/finite/activation.js';
import { type Conv2dShape, conv2dForward, conv2dVjp, convOutputSize, convWeightCount } from '../../../src/finite/conv/conv2d.js';
import { type ConvNetSpec, convNetForward, convNetLayout, convNetNtk, convNetVjp, initConvNet } from '../../../src/finite/conv/convNet.js';
import { avgPoolForward, avgPoolVjp } from '../../../src/finite/conv/pool.js';

const normal = (rng: Rng, len: number) => rng.fillNormal(new Float64Array(len), 1);

/** The convolution written from its definition on a zero-padded copy of the image (nested arrays). */
function naiveConv(s: Conv2dShape, x: Float64Array, w: Float64Array, b: Float64Array | null, m: number, beta: number): number[][][] {
  const H = s.height + 2 * s.pad, W = s.width + 2 * s.pad;
  const padded = Array.from({ length: s.cIn }, (_, c) => Array.from({ length: H }, (_, i) => Array.from({ length: W }, (_, j) => {
    const ii = i - s.pad, jj = j - s.pad;
    return ii >= 0 && ii < s.height && jj >= 0 && jj < s.width ? x[(c * s.height + ii) * s.width + jj] : 0;
  })));
  const { height: Ho, width: Wo } = convOutputSize(s);
  return Array.from({ length: s.cOut }, (_, o) => Array.from({ length: Ho }, (_, i) => Array.from({ length: Wo }, (_, j) => {
    let acc = 0;
    for (let c = 0; c < s.cIn; c++) for (let u = 0; u < s.kh; u++) for (let v = 0; v < s.kw; v++) acc += w[((o * s.cIn + c) * s.kh + u) * s.kw + v] * padded[c][i + u][j + v];
    return m * acc + (b ? beta * b[o] : 0);
  })));
}

const spec = (o: Partial<ConvNetSpec> = {}): ConvNetSpec => ({
  inChannels: 2, height: 6, width: 6, channels: 3, convLayers: 2, kernel: 3, pool: 'avg', outputs: 2,
  activation: parseActivation('tanh'), weightStd: 1.3, biasStd: 0.5, ...o,
});

describe('conv2d layer', () => {
  const s: Conv2dShape = { cIn: 2, cOut: 3, height: 5, width: 4, kh: 3, kw: 2, pad: 1 };
  const rng = new Rng('conv/layer');
  const x = normal(rng.child('x'), 2 * 2 * 5 * 4), w = normal(rng.child('w'), convWeightCount(s)), b = normal(rng.child('b'), 3);
  const { height: Ho, width: Wo } = convOutputSize(s);

  it('equals the definition on a zero-padded image, sample by sample (1e-14)', () => {
    const z = conv2dForward(s, 2, x, w, b, 0.7, 0.3, new Float64Array(2 * 3 * Ho * Wo));
    for (let smp = 0; smp < 2; smp++) {
      const ref = naiveConv(s, x.subarray(smp * 40, smp * 40 + 40), w, b, 0.7, 0.3);
      ref.forEach((plane, o) => plane.forEach((r, i) => r.forEach((v, j) => expect(Math.abs(z[((smp * 3 + o) * Ho + i) * Wo + j] - v)).toBeLessThan(1e-14))));
    }
  });

  it('has the vector–Jacobian product of central differences in W, b and x (1e-9)', () => {
    const dz = normal(rng.child('dz'), 2 * 3 * Ho * Wo);
    const dw = new Float64Array(w.length), db = new Float64Array(3), dx = new Float64Array(x.length);
    conv2dVjp(s, 2, x, w, 0.7, 0.3, dz, dw, db, dx);
    const value = () => { const z = conv2dForward(s, 2, x, w, b, 0.7, 0.3, new Float64Array(dz.length)); return z.reduce((a, v, i) => a + v * dz[i], 0); };
    const eps = 1e-5;
    for (const [arr, g] of [[w, dw], [b, db], [x, dx]] as const) {
      for (let p = 0; p < arr.length; p++) {
        const v0 = arr[p];
        arr[p] = v0 + eps; const up = value(); arr[p] = v0 - eps; const dn = value(); arr[p] = v0;
        // linear in each argument: central differences are exact up to rounding ~1e-16·|value|/ε
        expect(Math.abs((up - dn) / (2 * eps) - g[p])).toBeLessThan(1e-9);
      }
    }
  });

  it('a 1×1 kernel without padding is a per-pixel matrix product over channels', () => {
    const s1: Conv2dShape = { cIn: 2, cOut: 3, height: 5, width: 4, kh: 1, kw: 1, pad: 0 };
    const w1 = normal(rng.child('w1'), 6);
    const z = conv2dForward(s1, 1, x, w1, null, 1, 0, new Float64Array(3 * 20));
    for (let o = 0; o < 3; o++) for (let q = 0; q < 20; q++) expect(z[o * 20 + q]).toBeCloseTo(w1[o * 2] * x[q] + w1[o * 2 + 1] * x[20 + q], 14);
  });

  it('average pooling and its transpose satisfy ⟨dz, pool x⟩ = ⟨poolᵀ dz, x⟩ (1e-14)', () => {
    const xi = normal(rng.child('px'), 2 * 3 * 4 * 6), dz = normal(rng.child('pdz'), 2 * 3 * 2 * 3);
    const z = avgPoolForward(2, 3, 4, 6, 2, xi, new Float64Array(dz.length));
    const dx = avgPoolVjp(2, 3, 4, 6, 2, dz, new Float64Array(xi.length));
    const lhs = z.reduce((a, v, i) => a + v * dz[i], 0), rhs = dx.reduce((a, v, i) => a + v * xi[i], 0);
    expect(Math.abs(lhs - rhs)).toBeLessThan(1e-14 * (1 + Math.abs(lhs)));
  });
});

describe('convolutional network', () => {
  const rng = new Rng('conv/net');
  const x = normal(rng.child('x'), 3 * 2 * 36);

  /** Jacobian of F (rows i·k + a) by the fourth-order stencil on the forward pass. */
  function fdJacobian(s: ConvNetSpec, theta: Float64Array, n: number): Float64Array[] {
    const lay = convNetLayout(s);
    const rows: Float64Array[] = Array.from({ length: n * s.outputs }, () => new Float64Array(lay.total));
    const eps = 1e-4;
    for (let p = 0; p < lay.total; p++) {
      const v0 = theta[p];
      const at = (d: number) => { theta[p] = v0 + d; const F = convNetForward(s, lay, theta, n, x).F.data.slice(); theta[p] = v0; return F; };
      const u1 = at(eps), d1 = at(-eps), u2 = at(2 * eps), d2 = at(-2 * eps);
      rows.forEach((r, q) => { r[p] = (8 * (u1[q] - d1[q]) - (u2[q] - d2[q])) / (12 * eps); });
    }
    return rows;
  }

  for (const [name, o] of [['tanh, pooled, biases', {}], ['softplus, global pooling only, no bias', { activation: parseActivation('softplus:5'), pool: 'none', biasStd: 0 }]] as const) {
    it(`${name}: the vector–Jacobian product matches central differences (1e-8 relative)`, () => {
      const s = spec(o as Partial<ConvNetSpec>);
      const lay = convNetLayout(s);
      const theta = initConvNet(s, rng.child(`init/${name}`));
      const { cache } = convNetForward(s, lay, theta, 3, x);
      const dF = mat(3, 2, normal(rng.child('dF'), 6));
      const g = convNetVjp(s, lay, theta, cache, dF);
      const J = fdJacobian(s, theta, 3);
      let num = 0, den = 0;
      for (let p = 0; p < lay.total; p++) {
        const fd = J.reduce((a, r, q) => a + r[p] * dF.data[q], 0);
        num += (fd - g[p]) ** 2; den += g[p] ** 2;
      }
      expect(den).toBeGreaterThan(0);
      expect(Math.sqrt(num / den)).toBeLessThan(1e-8);
    });
  }

  it('its empirical tangent kernel is J·Jᵀ of the finite-difference Jacobian (1e-8 relative)', () => {
    const s = spec();
    const lay = convNetLayout(s);
    const theta = initConvNet(s, rng.child('init/ntk'));
    const K = convNetNtk(s, lay, theta, 3, x);
    const J = fdJacobian(s, theta, 3);
    let num = 0, den = 0;
    for (let a = 0; a < 6; a++) for (let b = 0; b < 6; b++) {
      const ref = J[a].reduce((acc, v, p) => acc + v * J[b][p], 0);
      num += (ref - K.data[a * 6 + b]) ** 2; den += ref * ref;
    }
    expect(Math.sqrt(num / den)).toBeLessThan(1e-8);
  });

  it('channels play the width: the output variance at init stays O(1) from h = 4 to h = 64 (Monte Carlo, 4 s.e.)', () => {
    const second = (h: number) => {
      const s = spec({ channels: h, activation: parseActivation('relu'), weightStd: Math.SQRT2, biasStd: 0, outputs: 1 });
      const lay = convNetLayout(s);
      const vals: number[] = [];
      for (let k = 0; k < 300; k++) vals.push(convNetForward(s, lay, initConvNet(s, new Rng(`conv/mc/${h}/${k}`)), 1, x).F.data[0] ** 2);
      const m = vals.reduce((a, v) => a + v, 0) / vals.length;
      const se = Math.sqrt(vals.reduce((a, v) => a + (v - m) ** 2, 0) / (vals.length - 1) / vals.length);
      return { m, se };
    };
    const a = second(4), b = second(64);
    // the NTK-scaled output has an h-independent variance at leading order (corrections O(1/h))
    expect(Math.abs(a.m - b.m)).toBeLessThan(4 * Math.hypot(a.se, b.se) + 0.25 * b.m);
    expect(b.m).toBeGreaterThan(0.01);
  });
});
