/**
 * Presets are functions returning layers (src/finite/layers/presets): special cases are instances
 * (geiger is the ntk preset without biases, centred), and the trainer's flat Architecture is a
 * lossless reading of the layers (toArchitecture ∘ fromArchitecture is the identity, exactly).
 */
import { describe, expect, it } from 'vitest';
import { parseActivation } from '../../../src/finite/activation.js';
import { buildNetwork, fromArchitecture, toArchitecture } from '../../../src/finite/layers/build.js';
import { denseLayers, outputOf } from '../../../src/finite/layers/layer.js';
import { presetNames } from '../../../src/finite/layers/presets/index.js';
import { buildArchitecture } from '../../../src/finite/parameterization.js';

const base = { inputDim: 5, outputDim: 2, width: 24, activation: parseActivation('tanh'), weightStd: 1.4 };

describe('presets as layers', () => {
  it('geiger is the ntk preset with no biases, centred (exactly)', () => {
    const g = buildNetwork({ ...base, depth: 3, parameterization: 'geiger', biasStd: 0.5 });
    const n = buildNetwork({ ...base, depth: 3, parameterization: 'ntk', biasStd: 0, centred: true });
    expect(denseLayers(g.layers)).toEqual(denseLayers(n.layers));
    expect(outputOf(g)).toEqual(outputOf(n));
  });

  it.each(presetNames())('%s: the flat architecture reads back into the same layers and again into the same architecture', (p) => {
    const o = { ...base, depth: p === 'theta' ? 1 : 2, parameterization: p, biasStd: 0.3, alpha: 2 };
    const arch = buildArchitecture(o);
    expect(toArchitecture(fromArchitecture(arch), arch.activation)).toEqual(arch);
    expect(denseLayers(fromArchitecture(arch).layers).map(({ exponents: _e, ...d }) => d)).toEqual(denseLayers(buildNetwork(o).layers).map(({ exponents: _e, ...d }) => d));
  });

  it('abc layers carry their width exponents', () => {
    const net = buildNetwork({ ...base, depth: 1, parameterization: { a: [0, 0.5], b: 0, c: [1, 0] } });
    expect(denseLayers(net.layers).map((d) => d.exponents)).toEqual([{ a: 0, b: 0, c: 1 }, { a: 0.5, b: 0, c: 0 }]);
    expect(denseLayers(net.layers)[1].multiplier).toBe(Math.pow(24, -0.5));
  });
});

describe('theta preset at depth ≥ 2 (theory/theta.md#multilayer)', () => {
  it('input layer β_2, hidden layers β_h = h^{−ph} (default ½), readout β_1 and 1/α; depth 1 unchanged; ph refused at depth 1', () => {
    const h = 16;
    const theta = { p1: 0.25, p2: -0.5, q: 0.75 };
    const deep = denseLayers(buildNetwork({ ...base, width: h, depth: 3, parameterization: 'theta', theta }).layers);
    expect(deep.map((l) => l.initStd)).toEqual([Math.pow(h, 0.5), Math.pow(h, -0.5), Math.pow(h, -0.5), Math.pow(h, -0.25)]);
    expect(deep.map((l) => l.multiplier)).toEqual([1, 1, 1, 1 / Math.pow(h, 0.75)]);
    expect(deep.map((l) => l.rate)).toEqual([1, 1, 1, 1]);
    const ph0 = denseLayers(buildNetwork({ ...base, width: h, depth: 2, parameterization: 'theta', theta: { ...theta, ph: 0 } }).layers);
    expect(ph0[1].initStd).toBe(1);
    const one = denseLayers(buildNetwork({ ...base, width: h, depth: 1, parameterization: 'theta', theta }).layers);
    expect(one.map((l) => [l.initStd, l.multiplier])).toEqual([[Math.pow(h, 0.5), 1], [Math.pow(h, -0.25), 1 / Math.pow(h, 0.75)]]);
    expect(() => buildNetwork({ ...base, width: h, depth: 1, parameterization: 'theta', theta: { ...theta, ph: 0 } })).toThrow(/needs depth ≥ 2/);
  });
});
