import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { parseActivation } from '../../../src/finite/activation.js';
import { sampleParticles } from '../../../src/limits/meanfield/particles.js';
import { createPopulationField } from '../../../src/limits/meanfield/population.js';
import { singleIndexRelu } from '../../../src/limits/meanfield/subspace/singleIndex.js';
import { sphereInitQuadrature } from '../../../src/limits/meanfield/subspace/reducedInit.js';
import { predictorGap, reducedTrajectory } from '../../../src/regimes/hajjarChizat/subspaceCompare.js';
import { runSubspace } from '../../../src/regimes/hajjarChizat/subspace.js';

const d = 4, v = 1 / 4;
const relu = (z: number) => (z > 0 ? z : 0);

describe('particles against the reduced PDE (theory/subspace-reduction.md#comparison)', () => {
  it('the L² gap formula equals a Monte Carlo average over x of (f_m − f_∞)², f_∞ by its orbit average (4.5 se)', () => {
    const target = singleIndexRelu(d, v);
    const m = 40;
    const y = sampleParticles({ kind: 'sphere', radius: 1, aScale: 1, symmetric: false }, { m, d }, new Rng(3));
    const R = createPopulationField({ activation: parseActivation('relu'), wRate: 1 }, { kind: 'population', variance: v, target }, { m, d }).velocity(y, new Float64Array(y.length));
    const init = sphereInitQuadrature(6);
    // move the reduced measure off its initial state, so that f_∞ ≠ 0
    const red = reducedTrajectory(target, v, init, [0, 2], { kind: 'euler', dt: 2 });
    const yr = red.states[1];
    const gap = predictorGap(y, m, d, R, target, v, yr, init, red.energy[1]);
    const M = init.measure.M, om = init.measure.weights;
    const rng = new Rng(5);
    const x = new Float64Array(d);
    const n = 400000;
    let s = 0, s2 = 0;
    for (let q = 0; q < n; q++) {
      rng.fillNormal(x, Math.sqrt(v));
      let fm = 0;
      for (let j = 0; j < m; j++) fm += y[j] * relu(y[m + j * d] * x[0] + y[m + j * d + 1] * x[1] + y[m + j * d + 2] * x[2] + y[m + j * d + 3] * x[3]);
      fm /= m;
      // orbit average of relu(u x_1 + r ω·x_⊥), ω uniform on S²: s = ω·x̂_⊥ uniform on [−1, 1]
      const B0 = Math.hypot(x[1], x[2], x[3]);
      let fi = 0;
      for (let i = 0; i < M; i++) {
        const A = yr[M + i] * x[0], B = Math.abs(yr[2 * M + i]) * B0;
        fi += om[i] * yr[i] * (B > 0 ? (relu(A + B) ** 2 - relu(A - B) ** 2) / (4 * B) : relu(A));
      }
      const e = (fm - fi) ** 2;
      s += e; s2 += e * e;
    }
    const mean = s / n, se = Math.sqrt((s2 / n - mean * mean) / n);
    expect(se).toBeLessThan(0.02 * mean);
    expect(Math.abs(gap * gap - mean)).toBeLessThan(4.5 * se);
  });

  it('runs a tiny configuration and records every metric (smoke)', () => {
    const r = runSubspace({ widths: [16, 32], seeds: 2, seed: 0, eta: 2, evals: 3, nodes: 8, alignWidths: [16], alignTime: 2, alignRecords: 2, rtol: 1e-5 });
    expect(r.status).toBe('ok');
    const metrics = new Set(r.records.map((x) => x.metric));
    for (const k of ['fGapEnd', 'fGapSup', 'riskGapSup', 'riskDiffScaled', 'alignDiffScaled', 'flowGapSup', 'alignGapSup', 'alignEnd', 'alignEndReduced']) expect(metrics.has(k)).toBe(true);
    expect(r.records.every((x) => Number.isFinite(x.value))).toBe(true);
    expect(r.reducedSelfGap).toBeLessThan(1e-3);
  });
});
