import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import {
  allocParams, cloneParams, initParams, packParams, paramDistance, paramLayout, paramNorm, viewParams,
} from '../../src/finite/params.js';
import { smallArch } from './helpers.js';

describe('initial parameters', () => {
  it('are bit-identical for the same seed and differ for different seeds', () => {
    const arch = smallArch('relu', 'ntk', { biasStd: 0.5 });
    const a = packParams(arch, initParams(arch, new Rng(7))).flat;
    const b = packParams(arch, initParams(arch, new Rng(7))).flat;
    const c = packParams(arch, initParams(arch, new Rng(8))).flat;
    expect(Array.from(a)).toEqual(Array.from(b));
    let same = 0;
    for (let i = 0; i < a.length; i++) if (a[i] === c[i]) same++;
    expect(same).toBe(0);
  });

  it("draw each layer from its own stream: a layer's values do not depend on other layers' sizes", () => {
    // k = 1 vs k = 4 outputs: the first two layers are identical; d = 3 vs d = 6 inputs: the
    // hidden and output layers are identical.
    const r = () => new Rng('indep');
    const k1 = initParams(smallArch('tanh', 'ntk', { biasStd: 1 }), r());
    const k4 = initParams(smallArch('tanh', 'ntk', { biasStd: 1, outputDim: 4 }), r());
    const d6 = initParams(smallArch('tanh', 'ntk', { biasStd: 1, inputDim: 6 }), r());
    for (const l of [0, 1]) {
      expect(Array.from(k4.W[l].data)).toEqual(Array.from(k1.W[l].data));
      expect(Array.from(k4.b[l]!)).toEqual(Array.from(k1.b[l]!));
    }
    for (const l of [1, 2]) expect(Array.from(d6.W[l].data)).toEqual(Array.from(k1.W[l].data));
  });

  it('fill W row-major before b: a wider layer starts with the rows of a narrower one', () => {
    const narrow = initParams(smallArch('tanh', 'ntk', { width: 5 }), new Rng('rows'));
    const wide = initParams(smallArch('tanh', 'ntk', { width: 9 }), new Rng('rows'));
    expect(Array.from(wide.W[0].data.subarray(0, 15))).toEqual(Array.from(narrow.W[0].data));
  });

  it('have the mean and standard deviation of the parameterization (Monte Carlo, 4 standard errors)', () => {
    const arch = smallArch('relu', 'ip', { width: 200, initMean: 0.5 });
    const p = initParams(arch, new Rng('moments'));
    arch.layers.forEach((l, i) => {
      const w = p.W[i].data;
      const n = w.length;
      const mean = w.reduce((s, v) => s + v, 0) / n;
      const sd = Math.sqrt(w.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
      // SE of the mean s/√n, of the sd ≈ s/√(2n)
      expect(Math.abs(mean - l.initMean)).toBeLessThan((4 * l.initStd) / Math.sqrt(n));
      expect(Math.abs(sd - l.initStd)).toBeLessThan((4 * l.initStd) / Math.sqrt(2 * n));
    });
    const b = p.b[0]!;
    expect(b.length).toBe(200);
    const sdb = Math.sqrt(b.reduce((s, v) => s + v * v, 0) / b.length);
    expect(Math.abs(sdb - arch.layers[0].bias!.initStd)).toBeLessThan((4 * arch.layers[0].bias!.initStd) / Math.sqrt(400));
  });
});

describe('parameter vectors', () => {
  it('are views of one flat vector in layer order (W^l row-major, then b^l)', () => {
    const arch = smallArch('tanh', 'ntk', { biasStd: 1 });
    const lay = paramLayout(arch);
    expect(lay.size).toBe(3 * 5 + 5 + 5 * 5 + 5 + 5 + 1);
    const { params, flat } = allocParams(arch);
    params.W[1].data[2] = 7;
    params.b[2]![0] = -3;
    expect(flat[lay.wOffset[1] + 2]).toBe(7);
    expect(flat[lay.bOffset[2]]).toBe(-3);
    const v = viewParams(arch, flat);
    expect(v.W[1].data[2]).toBe(7);
  });

  it('clone deeply, and norm and distance agree with direct sums', () => {
    const arch = smallArch('tanh', 'ntk', { biasStd: 1 });
    const a = initParams(arch, new Rng('a'));
    const b = cloneParams(a);
    b.W[0].data[0] += 3;
    b.b[1]![2] -= 4;
    expect(a.W[0].data[0]).not.toBe(b.W[0].data[0]);
    const d = paramDistance(a, b);
    expect(d.total).toBeCloseTo(5, 14);
    expect(d.perLayer[0]).toBeCloseTo(3, 14);
    expect(d.perLayer[1]).toBeCloseTo(4, 14);
    expect(d.perLayer[2]).toBe(0);
    const fa = packParams(arch, a).flat;
    const n = paramNorm(a);
    expect(n.total).toBeCloseTo(Math.sqrt(fa.reduce((s, v) => s + v * v, 0)), 12);
    expect(Math.hypot(...n.perLayer)).toBeCloseTo(n.total, 12);
  });
});
