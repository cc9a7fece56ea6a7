/**
 * s₂/s₁ of each layer (src/regimes/kumarHaupt/rankOne.ts) against ml-matrix's SVD (an
 * independent implementation) and exact cases.
 */
import { SingularValueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { parseActivation } from '../../../src/finite/activation.js';
import { paramLayout } from '../../../src/finite/params.js';
import { homogeneousNet } from '../../../src/regimes/kumarHaupt/homogeneous.js';
import { layerRankRatios } from '../../../src/regimes/kumarHaupt/rankOne.js';

const net = homogeneousNet(3, 1, 5, 2, parseActivation('leaky_relu:0.1'));
const lay = paramLayout(net.arch);

describe('layer rank ratios s₂/s₁', () => {
  it('agree with ml-matrix’s SVD on random layers (1e-8 absolute: eigenvalues of the Gram matrix lose half the digits)', () => {
    const w = new Rng('rank').fillNormal(new Float64Array(net.size));
    const got = layerRankRatios(net.arch, w);
    net.arch.layers.forEach((l, i) => {
      const W = new Matrix(l.nOut, l.nIn);
      for (let r = 0; r < l.nOut; r++) for (let c = 0; c < l.nIn; c++) W.set(r, c, w[lay.wOffset[i] + r * l.nIn + c]);
      const sv = new SingularValueDecomposition(W, { autoTranspose: true }).diagonal;
      const want = Math.min(l.nIn, l.nOut) < 2 ? 0 : sv[1] / sv[0];
      expect(Math.abs(got[i] - want)).toBeLessThan(1e-8);
    });
  });

  it('is 0 for rank-one layers, 0.5 for W = diag(2, 1) ⊕ 0, and finite for layers with subnormal entries', () => {
    const w = new Float64Array(net.size);
    // W¹ (5×3) = a bᵀ
    const a = [1, -2, 0.5, 3, 1], b = [0.3, -1, 2];
    for (let r = 0; r < 5; r++) for (let c = 0; c < 3; c++) w[lay.wOffset[0] + r * 3 + c] = a[r] * b[c];
    // W² (5×5): diag(2, 1, 0, 0, 0) plus subnormal noise
    w[lay.wOffset[1]] = 2;
    w[lay.wOffset[1] + 6] = 1;
    w[lay.wOffset[1] + 3] = -1.2e-322;
    w[lay.wOffset[1] + 15] = 5e-323;
    const r = layerRankRatios(net.arch, w);
    expect(r[0]).toBeLessThan(1e-7);
    expect(Math.abs(r[1] - 0.5)).toBeLessThan(1e-12);
    expect(r[2]).toBe(0);
  });
});
