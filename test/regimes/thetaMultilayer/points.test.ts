import { describe, expect, it } from 'vitest';
import { mat } from '../../../src/core/matrix.js';
import { Rng } from '../../../src/core/rng.js';
import { parseActivation } from '../../../src/finite/activation.js';
import { createNetwork } from '../../../src/finite/network.js';
import { buildArchitecture } from '../../../src/finite/parameterization.js';
import type { ThetaExponents } from '../../../src/finite/parameterization.js';
import { initParams } from '../../../src/finite/params.js';
import { kappaExponentOf, multilayerExponents, multilayerKey } from '../../../src/regimes/thetaMultilayer/points.js';

const d = 3;
const relu = parseActivation('relu');
const x = mat(4, d, Float64Array.from({ length: 4 * d }, (_, i) => Math.sin(1.3 * i + 0.2)));
const outputs = (depth: number, m: number, parameterization: 'theta' | 'ntk', theta?: ThetaExponents) => {
  const arch = buildArchitecture({ inputDim: d, outputDim: 1, width: m, depth, activation: relu, parameterization, ...(theta ? { theta } : {}) });
  return createNetwork(arch, initParams(arch, new Rng(11).child('init'))).outputs(x).data;
};

describe('multi-layer θ points (theory/theta.md#multilayer)', () => {
  it('log κ/log m = 1 − γ at every depth and split', () => {
    for (const depth of [2, 3, 4]) {
      for (const ph of [0, 0.25, 0.5, 1]) {
        for (const [gamma, gammaPrime] of [[0.5, 0], [0.75, -0.5], [1.5, 0.5]]) {
          const e = multilayerExponents({ depth, point: { gamma, gammaPrime }, ph }, { fix: 'p2', value: 0 });
          expect(e.ph).toBe(ph);
          expect(kappaExponentOf(depth, e)).toBeCloseTo(1 - gamma, 14);
        }
      }
    }
  });

  it('f = (κ/√m)·√d·f_ntk with the same standard draws (ReLU homogeneity): the κ of the built layers, for both splits', () => {
    for (const depth of [2, 3]) {
      for (const ph of [0.5, 0]) {
        const m = 64, gamma = 0.75;
        const e = multilayerExponents({ depth, point: { gamma, gammaPrime: -0.25 }, ph }, { fix: 'p2', value: 0 });
        const f = outputs(depth, m, 'theta', e);
        const g = outputs(depth, m, 'ntk');
        const kappa = Math.pow(m, 1 - gamma);
        for (let i = 0; i < f.length; i++) expect(f[i]).toBeCloseTo((kappa / Math.sqrt(m)) * Math.sqrt(d) * g[i], 12);
      }
    }
  });

  it('keys name depth and point, and ph only when it is not ½', () => {
    expect(multilayerKey({ depth: 2, point: { gamma: 0.5, gammaPrime: 0 }, ph: 0.5 })).toBe('L=2,gamma=0.5,gammaPrime=0');
    expect(multilayerKey({ depth: 3, point: { gamma: 1.5, gammaPrime: -0.5 }, ph: 0 })).toBe('L=3,gamma=1.5,gammaPrime=-0.5,ph=0');
  });
});
