/**
 * KKT points of max N(u) s.t. ‖u‖ = 1 by projected ascent (Kumar & Haupt 2024, §3; theory/kumar-haupt.md):
 * the KKT condition ∇N(u) = pN(u)u at the fixed point, the balance of the layers it implies
 * [derived, theory/kumar-haupt.md#balance], local maximality, and the deep-linear closed form.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { parseActivation } from '../../../src/finite/activation.js';
import { paramLayout } from '../../../src/finite/params.js';
import { balancedUnitDirection, homogeneousNet } from '../../../src/regimes/kumarHaupt/homogeneous.js';
import { kktByProjectedAscent, kktResidual, normalized } from '../../../src/regimes/kumarHaupt/kkt.js';
import { correlationProblem } from '../../../src/regimes/kumarHaupt/ncf.js';
import { layerRankRatios } from '../../../src/regimes/kumarHaupt/rankOne.js';
import { loadData } from '../../../src/data/load.js';
import { parseSpec } from '../../../src/spec/validate.js';

/** A ReLU-teacher regression set, as in experiments/kumar-haupt-directional.json. */
const data = loadData(parseSpec({ data: { source: 'gaussian', n: 32, nTest: 0, dim: 8, target: 'teacher-relu', seed: 0 } }).data);

function layerNormsSquared(net: ReturnType<typeof homogeneousNet>, u: Float64Array): number[] {
  const lay = paramLayout(net.arch);
  return net.arch.layers.map((l, i) => {
    let s = 0;
    for (let j = lay.wOffset[i]; j < lay.wOffset[i] + l.nIn * l.nOut; j++) s += u[j] * u[j];
    return s;
  });
}

describe('KKT points of the NCF on the unit sphere', () => {
  const net = homogeneousNet(8, 1, 16, 2, parseActivation('leaky_relu:0.2'));
  const ncf = correlationProblem(net, data.x, data.y);
  const u0 = balancedUnitDirection(net, new Rng(1).child('direction'));
  const k = kktByProjectedAscent(ncf, u0);

  it('the ascent’s fixed point is a unit vector with ∇N(u) = pN(u)u (relative residual ≤ 1e-6) and N(u) > 0', () => {
    expect(k.status).toBe('ok');
    expect(Math.abs(Math.hypot(...k.u) - 1)).toBeLessThan(1e-12);
    expect(kktResidual(ncf, k.u)).toBeLessThanOrEqual(1e-6);
    expect(k.value).toBeGreaterThan(0);
    expect(k.value).toBeGreaterThan(ncf.value(u0));
  });

  it('at a KKT point every layer carries ‖U_l‖² = 1/p of the unit norm [derived]; the error is of the order of the residual', () => {
    // ⟨U_l, ∇_{U_l} N⟩ = N (degree 1 in each layer) and ∇N = pN u give p N ‖U_l‖² = N.
    for (const s of layerNormsSquared(net, k.u)) expect(Math.abs(s - 1 / 3)).toBeLessThan(1e-5);
    // the initial direction was balanced by construction too, but a random unit vector is not:
    const unbalanced = normalized(Float64Array.from({ length: net.size }, (_x, i) => (i < 128 ? 1 : 0.1)));
    const k2 = kktByProjectedAscent(ncf, unbalanced);
    for (const s of layerNormsSquared(net, k2.u)) expect(Math.abs(s - 1 / 3)).toBeLessThan(1e-5);
  });

  it('it is a local maximum on the sphere: 200 random perturbations of angle 1e-3 do not increase N (beyond 1e-12)', () => {
    const rng = new Rng('perturb');
    for (let t = 0; t < 200; t++) {
      const v = k.u.map((x) => x + 1e-3 * rng.normal() / Math.sqrt(net.size));
      expect(ncf.value(normalized(v))).toBeLessThanOrEqual(k.value + 1e-12);
    }
  });

  it('deep linear net (identity φ): the maximum is ‖Xᵀy‖ / p^{p/2} with rank-one layers (closed form, 1e-8 relative)', () => {
    // N(u) = W³W²W¹b with b = Xᵀy, ≤ ‖W³‖‖W²‖‖W¹‖‖b‖, maximal at equal norms 1/√3 and aligned
    // rank-one layers.
    const lin = homogeneousNet(8, 1, 6, 2, parseActivation('identity'));
    const ncfLin = correlationProblem(lin, data.x, data.y);
    const b = new Float64Array(8);
    for (let i = 0; i < data.x.rows; i++) for (let j = 0; j < 8; j++) b[j] += data.x.data[i * 8 + j] * data.y.data[i];
    const kl = kktByProjectedAscent(ncfLin, balancedUnitDirection(lin, new Rng(4).child('direction')));
    expect(kl.status).toBe('ok');
    const expected = Math.hypot(...b) / Math.pow(3, 1.5);
    expect(Math.abs(kl.value - expected)).toBeLessThan(1e-8 * expected);
    const ranks = layerRankRatios(lin.arch, kl.u);
    expect(ranks[0]).toBeLessThan(1e-4);
    expect(ranks[1]).toBeLessThan(1e-4);
  });
});
