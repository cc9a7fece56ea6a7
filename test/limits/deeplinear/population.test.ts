/**
 * Gaussian inputs with a linear teacher: the learned linear map of the limit, its population risk,
 * and the one-effective-point reduction of population training ([derived], theory/deeplinear.md#population).
 */
import { describe, expect, it } from 'vitest';
import { type Mat, mat } from '../../../src/core/matrix.js';
import { Rng } from '../../../src/core/rng.js';
import type { Dataset } from '../../../src/data/dataset.js';
import { deepLinearNetSpec, initLinearNet, trainLinearGd } from '../../../src/finite/residualLinear.js';
import { limitLinearMap, linearTeacherRisk, onePointProblem, populationDynamics } from '../../../src/limits/deeplinear/population.js';
import { type DeepLinearArchitecture, inputKernel } from '../../../src/limits/deeplinear/problem.js';
import { solveDeepLinear } from '../../../src/limits/deeplinear/solve.js';
import { maxAbsDiff, whitenedLinearData } from './helpers.js';

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));

function teacher(D: number, seed: string): Float64Array {
  const w = new Rng(seed).fillNormal(new Float64Array(D));
  return w.map((v) => v / Math.sqrt(D)); // |v*| ≈ 1, as the `linear` target β/√D
}

/** Seed mean and standard error of the end-to-end maps of finite μP networks at each record (T×D). */
function finiteMaps(data: Dataset, D: number, width: number, seeds: number, o: { depth: number; gamma0: number; lr: number; steps: number; every: number }) {
  const spec = deepLinearNetSpec({ inputDim: D, width, depth: o.depth, gamma0: o.gamma0, parameterization: 'meanfield' });
  const runs = Array.from({ length: seeds }, (_, s) => trainLinearGd(spec, initLinearNet(spec, new Rng(`pop-${s}`)), data, { lr: o.lr, steps: o.steps, recordEvery: o.every, recordMap: true }).maps!.map((m) => m[0]));
  const R = runs[0].length;
  const mean = new Float64Array(R * D), se = new Float64Array(R * D);
  for (let r = 0; r < R; r++) for (let i = 0; i < D; i++) {
    const v = runs.map((run) => run[r][i]);
    const m = v.reduce((a, b) => a + b, 0) / seeds;
    mean[r * D + i] = m;
    se[r * D + i] = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (seeds - 1) / seeds);
  }
  return { mean, se, records: R, runs };
}

describe('one effective point for isotropic data and a linear teacher', () => {
  it.each<[string, DeepLinearArchitecture, number]>([
    ['plain L = 3', { kind: 'plain' }, 3],
    ['residual L = 2, β0 = 1.5', { kind: 'residual', beta0: 1.5 }, 2],
  ])('%s: the recursion on D whitened points equals one point with K^x = 1/D, ȳ = |v*| (loss = population risk)', (_n, architecture, depth) => {
    const D = 6;
    const vStar = teacher(D, 'one-point');
    const data = whitenedLinearData(D, vStar, new Rng('white'));
    const common = { depth, gamma0: 1.3, lr: 0.4, steps: 25, architecture };
    const full = solveDeepLinear({ kx: inputKernel(data.x, data.x), y: Float64Array.from(data.y.data), ...common });
    const one = populationDynamics({ dim: D, teacherNorm: norm(vStar), ...common });
    expect(one.status).toBe('ok');
    // Rotation covariance of the single-site equations: the D-point system reduces exactly to the
    // point along v*; agreement to rounding (XXᵀ/D = I up to 1e-15).
    expect(maxAbsDiff(full.trainLoss, one.trainLoss)).toBeLessThan(1e-12);
    // And the limit's map v = Xᵀa/D has population risk ½|v − v*|² equal to the same curve.
    expect(maxAbsDiff(linearTeacherRisk(limitLinearMap(full, data.x), vStar), one.trainLoss)).toBeLessThan(1e-12);
    expect(onePointProblem({ dim: D, teacherNorm: 2, ...common }).kx.data[0]).toBeCloseTo(1 / D, 15);
  });

  it('finite μP networks trained on whitened data (empirical loss = population risk) follow the one-point limit along v*', () => {
    const D = 6, width = 256, seeds = 12;
    const o = { depth: 2, gamma0: 1, lr: 0.2, steps: 15, every: 3 };
    const vStar = teacher(D, 'one-point-finite');
    const data = whitenedLinearData(D, vStar, new Rng('white2'));
    const one = populationDynamics({ dim: D, teacherNorm: norm(vStar), depth: o.depth, gamma0: o.gamma0, lr: o.lr, steps: o.steps, architecture: { kind: 'plain' } });
    const fin = finiteMaps(data, D, width, seeds, o);
    const u = vStar.map((v) => v / norm(vStar));
    let worst = 0;
    for (let r = 0; r < fin.records; r++) {
      // Per seed, the component along v* (the effective point's output f̄ = v·v̂*).
      const along = fin.runs.map((run) => run[r].reduce((a, vi, i) => a + vi * u[i], 0));
      const m = along.reduce((a, b) => a + b, 0) / seeds;
      const se = Math.sqrt(along.reduce((a, b) => a + (b - m) ** 2, 0) / (seeds - 1) / seeds);
      worst = Math.max(worst, Math.abs(m - one.f[r * o.every]) / se);
    }
    // O(1/N) bias against O(1/√(N·seeds)) noise: within 3 standard errors at every record. The
    // records stop before convergence (loss still falling): once every seed has interpolated
    // (P = D), the spread collapses faster than the Jensen bias of the decay, and z loses meaning.
    expect(worst).toBeLessThan(3);
  });
});

describe('the learned linear map v(t) = Xᵀa(t)/D for P < D Gaussian points', () => {
  it('finite μP networks\' seed-mean end-to-end map agrees with the limit\'s map within 3 standard errors; the population risk is ½|v − v*|²', () => {
    const P = 4, D = 8, width = 256, seeds = 12;
    const o = { depth: 3, gamma0: 1.2, lr: 0.3, steps: 15, every: 5 };
    const vStar = teacher(D, 'map');
    const rng = new Rng('map-x');
    const X: Mat = mat(P, D);
    rng.fillNormal(X.data);
    const y = mat(P, 1);
    for (let p = 0; p < P; p++) for (let i = 0; i < D; i++) y.data[p] += X.data[p * D + i] * vStar[i];
    const data: Dataset = { x: X, y, xTest: X, yTest: y, description: 'map' };
    const sol = solveDeepLinear({ kx: inputKernel(X, X), y: Float64Array.from(y.data), depth: o.depth, gamma0: o.gamma0, lr: o.lr, steps: o.steps, architecture: { kind: 'plain' } });
    const v = limitLinearMap(sol, X);
    const fin = finiteMaps(data, D, width, seeds, o);
    let z2 = 0, count = 0;
    for (let r = 0; r < fin.records; r++) {
      for (let i = 0; i < D; i++) {
        const se = fin.se[r * D + i];
        if (se > 0) { z2 += ((fin.mean[r * D + i] - v[r * o.every * D + i]) / se) ** 2; count++; }
      }
    }
    // zRms over the D components and the recorded steps (see finite.test.ts for the criterion).
    expect(Math.sqrt(z2 / count)).toBeLessThan(3);
    // The limit never moves v off the span of the training inputs: risk ≥ ½|P_⊥ v*|² > 0 for P < D.
    const risk = linearTeacherRisk(v, vStar);
    expect(risk[o.steps]).toBeLessThan(risk[0]);
    expect(risk[0]).toBeCloseTo(0.5 * norm(vStar) ** 2, 12);
  });
});
