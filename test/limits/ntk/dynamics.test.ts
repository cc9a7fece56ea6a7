import { describe, expect, it } from 'vitest';
import { type Mat, fromRows, mat } from '../../../src/core/matrix.js';
import { Rng } from '../../../src/core/rng.js';
import { cholesky } from '../../../src/core/cholesky.js';
import { parseActivation } from '../../../src/finite/activation.js';
import { makeLoss } from '../../../src/finite/loss.js';
import { analyticKernels } from '../../../src/limits/ntk/kernels.js';
import type { FrozenProblem } from '../../../src/limits/ntk/frozenTypes.js';
import { frozenMse } from '../../../src/limits/ntk/mse.js';
import { frozenGeneral } from '../../../src/limits/ntk/frozenLoss.js';
import { kernelRegression } from '../../../src/limits/ntk/kernelRegression.js';
import { spectrum } from '../../../src/limits/ntk/spectral.js';
import { ensemblePrediction } from '../../../src/limits/ntk/ensemble.js';
import { lambdaMaxBounds } from '../../../src/limits/ntk/lanczos.js';
import { eighValues } from '../../../src/core/eigh.js';

function randn(seed: string, r: number, c: number): Mat {
  const m = mat(r, c);
  new Rng(seed).fillNormal(m.data);
  return m;
}

/** A ReLU NTK problem on Gaussian inputs (depth 2, σ_w² = 2, σ_b = 0.1). */
function problem(seed: string, n: number, nt: number, k: number, withF0: boolean, x?: Mat): FrozenProblem {
  const X = x ?? randn(`${seed}/x`, n, 4);
  const Xt = randn(`${seed}/xt`, nt, 4);
  const o = { depth: 2, activation: parseActivation('relu'), weightStd: Math.SQRT2, biasStd: 0.1, parameterization: 'ntk' as const };
  return {
    kernel: analyticKernels(o, X).ntk,
    kernelTest: analyticKernels(o, Xt, X).ntk,
    y: randn(`${seed}/y`, X.rows, k),
    f0: withF0 ? randn(`${seed}/f0`, X.rows, k) : mat(X.rows, k),
    f0Test: withF0 ? randn(`${seed}/f0t`, nt, k) : mat(nt, k),
  };
}

function maxAbsDiff(a: Mat, b: Mat): number {
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
  return m;
}

function maxAbs(a: Mat): number {
  let m = 0;
  for (const v of a.data) m = Math.max(m, Math.abs(v));
  return m;
}

describe('frozen-kernel MSE dynamics (theory/ntk.md#dynamics; Lee et al. 2019 Eq. (8)–(11))', () => {
  it('GD closed form (I − ηΘ/n)^t equals iterating f ← f − (η/n)Θ(f − y) on train and test outputs', () => {
    const p = problem('gd', 12, 5, 2, true);
    const n = 12;
    const lmax = eighValues(p.kernel)[n - 1];
    const lr = 0.9 * (2 * n) / lmax;
    const stepsList = [0, 1, 5, 20, 150];
    const sol = frozenMse(p, { kind: 'gd', lr }, stepsList.map((s) => lr * s), { path: 'eig' });
    expect(sol.status).toBe('ok');
    const f = Float64Array.from(p.f0.data), fs = Float64Array.from(p.f0Test.data);
    let s = 0;
    stepsList.forEach((target, idx) => {
      for (; s < target; s++) {
        const r = f.map((v, i) => v - p.y.data[i]);
        const df = new Float64Array(f.length), dfs = new Float64Array(fs.length);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let a = 0; a < 2; a++) df[i * 2 + a] += p.kernel.data[i * n + j] * r[j * 2 + a];
        for (let i = 0; i < 5; i++) for (let j = 0; j < n; j++) for (let a = 0; a < 2; a++) dfs[i * 2 + a] += p.kernelTest.data[i * n + j] * r[j * 2 + a];
        for (let i = 0; i < f.length; i++) f[i] -= (lr / n) * df[i];
        for (let i = 0; i < fs.length; i++) fs[i] -= (lr / n) * dfs[i];
      }
      // 1e-10: rounding of 150 iterated steps vs the eigendecomposition (both O(steps·ε·‖Θ‖))
      expect(maxAbsDiff(sol.fTrain[idx], mat(n, 2, f))).toBeLessThan(1e-10);
      expect(maxAbsDiff(sol.fTest[idx], mat(5, 2, fs))).toBeLessThan(1e-10);
    });
  });

  it('flow closed form e^{−Θτ/n} agrees with integrating df/dτ = −(1/n)Θ(f − y) by the ODE solver (MSE)', () => {
    const p = problem('flow-ode', 10, 4, 1, true);
    const times = [0, 0.5, 3, 20, 200];
    const closed = frozenMse(p, { kind: 'flow' }, times, { path: 'eig' });
    const ode = frozenGeneral(p, makeLoss('mse'), { kind: 'flow' }, times, { ode: { rtol: 1e-11, atol: 1e-13 } });
    expect(ode.status).toBe('ok');
    expect(ode.path).toBe('ode');
    expect(Number(ode.stats.odeSteps)).toBeGreaterThan(0);
    // ODE local tolerance 1e-11 → global error ≲ 1e-8 over these times
    times.forEach((_, i) => {
      expect(maxAbsDiff(closed.fTrain[i], ode.fTrain[i])).toBeLessThan(1e-8);
      expect(maxAbsDiff(closed.fTest[i], ode.fTest[i])).toBeLessThan(1e-8);
    });
  });

  it('Krylov and eigendecomposition paths agree to the stated accuracy (1e-10 relative coefficient change)', () => {
    const p = problem('krylov', 160, 20, 2, true);
    const n = 160;
    const lmax = eighValues(p.kernel)[n - 1];
    const times = [0, 1, 10, 100, 1000, 5000];
    for (const schedule of [{ kind: 'flow' as const }, { kind: 'gd' as const, lr: n / lmax }]) {
      const ts = schedule.kind === 'gd' ? [0, 1, 7, 40, 300].map((s) => s * schedule.lr) : times;
      const eig = frozenMse(p, schedule, ts, { path: 'eig' });
      const kr = frozenMse(p, schedule, ts, { path: 'krylov' });
      expect(kr.path).toBe('krylov');
      expect(kr.status).toBe('ok');
      expect(Number(kr.stats.krylovChange)).toBeLessThan(1e-10);
      // the stopping test bounds the change of train outputs by 1e-10·‖f0 − y‖ (≈ 18 here) and of
      // test outputs by 1e-10·‖Θ*‖·max‖d_τ‖ (measured: 1e-13); 1e-9 absolute leaves room for both plus eigh rounding
      ts.forEach((_, i) => {
        expect(maxAbsDiff(eig.fTrain[i], kr.fTrain[i])).toBeLessThan(1e-9);
        expect(maxAbsDiff(eig.fTest[i], kr.fTest[i])).toBeLessThan(1e-9);
      });
    }
    // the basis is much smaller than n for moderate times (the point of the Krylov path)
    const short = frozenMse(p, { kind: 'flow' }, [0, 1, 10], { path: 'krylov' });
    expect(Number(short.stats.krylovDim)).toBeLessThan(80);
  });

  it('λ_max from 30 Lanczos steps brackets the exact top eigenvalue', () => {
    const p = problem('lmax', 200, 1, 1, false);
    const exact = eighValues(p.kernel)[199];
    const b = lambdaMaxBounds(p.kernel);
    expect(b.lower).toBeLessThanOrEqual(exact * (1 + 1e-12));
    expect(b.upper).toBeGreaterThanOrEqual(exact * (1 - 1e-12));
    expect((b.upper - b.lower) / exact).toBeLessThan(1e-6);
  });

  it('t = ∞ equals kernel regression f* = f0* + Θ*Θ⁻¹(y − f0) (Cholesky), and train outputs equal y', () => {
    const p = problem('inf', 15, 6, 1, true);
    const eig = frozenMse(p, { kind: 'flow' }, [Infinity], { path: 'eig' });
    const kr = kernelRegression(p);
    expect(kr.method).toBe('cholesky');
    // Θ here has condition number ~1e3: solutions agree to 1e-10
    expect(maxAbsDiff(eig.fTest[0], kr.fTest)).toBeLessThan(1e-10);
    expect(maxAbsDiff(eig.fTrain[0], p.y)).toBeLessThan(1e-10);
    expect(maxAbsDiff(kr.fTrain, p.y)).toBeLessThan(1e-10);
    // and the flow converges to it: at τ = 1e4·n/λ_min the residual factor is e^{−1e4}
    const lmin = eighValues(p.kernel)[0];
    const late = frozenMse(p, { kind: 'flow' }, [(1e4 * 15) / lmin], { path: 'eig' });
    expect(maxAbsDiff(late.fTest[0], kr.fTest)).toBeLessThan(1e-9);
    // Krylov path: τ = ∞ goes through kernel regression
    const k2 = frozenMse(p, { kind: 'flow' }, [1, Infinity], { path: 'krylov' });
    expect(k2.stats.infinity).toBe('cholesky');
    expect(maxAbsDiff(k2.fTest[1], kr.fTest)).toBeLessThan(1e-10);
  });

  it('gradient descent above the bound 2n/λ_max reports status unstable with the bound, and never NaN', () => {
    const p = problem('unstable', 10, 3, 1, true);
    const lmax = eighValues(p.kernel)[9];
    const lr = 1.2 * (20 / lmax);
    for (const path of ['eig', 'krylov'] as const) {
      const sol = frozenMse(p, { kind: 'gd', lr }, [0, lr, 50 * lr, 5000 * lr], { path });
      expect(sol.status).toBe('unstable');
      expect(sol.message).toMatch(/2n\/λ_max = /);
      for (const f of [...sol.fTrain, ...sol.fTest]) expect(f.data.every(Number.isFinite)).toBe(true);
      expect(sol.times.length).toBeGreaterThanOrEqual(3);
    }
    const ok = frozenMse(p, { kind: 'gd', lr: 0.99 * (20 / lmax) }, [0, lr], { path: 'eig' });
    expect(ok.status).toBe('ok');
  });
});

describe('degenerate problems give finite answers', () => {
  it('duplicate training points: Θ singular; t = ∞ is the pseudo-inverse limit with a warning, identical on every path', () => {
    const X = fromRows([[1, 0, 0, 1], [1, 0, 0, 1], [0, 2, 1, 0], [0.5, -1, 0, 2], [0, 0, 0, 0]]);
    const p = problem('dup', 5, 3, 1, false, X);
    // inconsistent targets on the duplicates: no interpolant exists; the limit fits their mean
    p.y.data[0] = 1;
    p.y.data[1] = -1;
    const kr = kernelRegression(p);
    expect(kr.method).toBe('pseudo-inverse');
    expect(kr.warnings[0]).toMatch(/singular/);
    const eig = frozenMse(p, { kind: 'flow' }, [0, 10, Infinity], { path: 'eig' });
    expect(eig.warnings.some((w) => /singular/.test(w))).toBe(true);
    const kry = frozenMse(p, { kind: 'flow' }, [0, 10, Infinity], { path: 'krylov' });
    for (const s of [eig, kry]) {
      expect(s.status).toBe('ok');
      for (const f of [...s.fTrain, ...s.fTest]) expect(f.data.every(Number.isFinite)).toBe(true);
      // the duplicates are fitted to the mean of their targets, 0
      expect(Math.abs(s.fTrain[2].data[0])).toBeLessThan(1e-9);
      expect(Math.abs(s.fTrain[2].data[1])).toBeLessThan(1e-9);
    }
    expect(maxAbsDiff(eig.fTest[2], kr.fTest)).toBeLessThan(1e-9);
    expect(maxAbsDiff(kry.fTest[2], kr.fTest)).toBeLessThan(1e-9);
    // finite times: the null direction is simply not trained, and Krylov agrees with eig
    expect(maxAbsDiff(eig.fTrain[1], kry.fTrain[1])).toBeLessThan(1e-9);
  });

  it('a zero kernel (all-zero inputs, no bias): nothing moves, no NaN at any time', () => {
    const X = mat(4, 3);
    const o = { depth: 1, activation: parseActivation('relu'), weightStd: 1, biasStd: 0, parameterization: 'ntk' as const };
    const K = analyticKernels(o, X).ntk;
    expect(K.data.every((v) => v === 0)).toBe(true);
    const p: FrozenProblem = { kernel: K, kernelTest: mat(2, 4), y: randn('zy', 4, 1), f0: randn('zf', 4, 1), f0Test: mat(2, 1) };
    for (const path of ['eig', 'krylov'] as const) {
      const s = frozenMse(p, { kind: 'flow' }, [0, 5, Infinity], { path });
      for (const f of s.fTrain) expect(maxAbsDiff(f, p.f0)).toBeLessThan(1e-14);
      expect(s.fTest.every((f) => f.data.every((v) => v === 0))).toBe(true);
    }
  });

  it('f0 = y (zero residual): outputs stay put on the Krylov path', () => {
    const p = problem('r0', 20, 3, 1, true);
    const q = { ...p, f0: p.y };
    const s = frozenMse(q, { kind: 'flow' }, [0, 1, 100], { path: 'krylov' });
    expect(s.status).toBe('ok');
    for (const f of s.fTrain) expect(maxAbsDiff(f, p.y)).toBe(0);
    for (const f of s.fTest) expect(maxAbsDiff(f, p.f0Test)).toBe(0);
  });
});

describe('other losses', () => {
  it('GD with a small rate (exact iteration) approaches gradient flow (ODE) as O(lr)', () => {
    const p = problem('hinge', 10, 4, 1, true);
    for (let i = 0; i < 10; i++) p.y.data[i] = p.y.data[i] > 0 ? 1 : -1;
    const loss = makeLoss('soft-hinge', 20);
    const tau = 4;
    const flow = frozenGeneral(p, loss, { kind: 'flow' }, [0, tau], { ode: { rtol: 1e-10, atol: 1e-12 } });
    expect(flow.status).toBe('ok');
    const errs = [0.02, 0.01].map((lr) => {
      const gd = frozenGeneral(p, loss, { kind: 'gd', lr }, [0, tau]);
      expect(gd.path).toBe('iterate');
      return maxAbsDiff(gd.fTrain[1], flow.fTrain[1]);
    });
    // first order in lr: halving the step halves the gap (ratio 2 ± 0.3)
    expect(errs[0] / errs[1]).toBeGreaterThan(1.7);
    expect(errs[0] / errs[1]).toBeLessThan(2.3);
    expect(errs[0]).toBeLessThan(0.05 * maxAbs(flow.fTrain[1]));
  });

  it('logistic loss: the train margin grows monotonically and outputs stay finite', () => {
    const p = problem('logistic', 8, 3, 1, false);
    for (let i = 0; i < 8; i++) p.y.data[i] = i % 2 === 0 ? 1 : -1;
    const s = frozenGeneral(p, makeLoss('logistic'), { kind: 'flow' }, [0, 1, 10, 100]);
    expect(s.status).toBe('ok');
    const margin = s.fTrain.map((f) => f.data.reduce((acc, v, i) => acc + v * p.y.data[i], 0));
    for (let i = 1; i < margin.length; i++) expect(margin[i]).toBeGreaterThan(margin[i - 1]);
  });
});

describe('ensemble over initializations (Lee et al. 2019 Eq. (13)–(16))', () => {
  it('mean and covariance equal Monte Carlo over f0 ~ GP(0, Σ) propagated by the frozen dynamics (4 standard errors)', () => {
    const n = 6, nt = 3, draws = 4000;
    const X = randn('ens/x', n, 3), Xt = randn('ens/xt', nt, 3);
    const o = { depth: 2, activation: parseActivation('erf'), weightStd: 1.5, biasStd: 0.2, parameterization: 'ntk' as const };
    const all = mat(n + nt, 3);
    all.data.set(X.data, 0);
    all.data.set(Xt.data, n * 3);
    const joint = analyticKernels(o, all);
    const K = analyticKernels(o, X);
    const Kt = analyticKernels(o, Xt, X);
    const Ktt = analyticKernels(o, Xt);
    const y = randn('ens/y', n, 1);
    // draws of the joint Gaussian: f0 = L z
    const m = n + nt;
    const jit = mat(m, m, joint.nngp.data.slice());
    for (let i = 0; i < m; i++) jit.data[i * m + i] += 1e-12;
    const L = cholesky(jit) as Mat;
    const z = randn('ens/z', m, draws);
    const F = mat(m, draws);
    for (let i = 0; i < m; i++) for (let j = 0; j <= i; j++) for (let d = 0; d < draws; d++) F.data[i * draws + d] += L.data[i * m + j] * z.data[j * draws + d];
    const Y = mat(n, draws);
    for (let i = 0; i < n; i++) Y.data.fill(y.data[i], i * draws, (i + 1) * draws);
    const p: FrozenProblem = {
      kernel: K.ntk, kernelTest: Kt.ntk, y: Y,
      f0: mat(n, draws, F.data.slice(0, n * draws)), f0Test: mat(nt, draws, F.data.slice(n * draws)),
    };
    const times = [0, 2, 20, Infinity];
    const sp = spectrum(K.ntk, Kt.ntk);
    const paths = frozenMse(p, { kind: 'flow' }, times, { spectrum: sp });
    const ens = ensemblePrediction(sp, y, { train: K.nngp, testTrain: Kt.nngp, test: Ktt.nngp }, { kind: 'flow' }, times, 1);
    times.forEach((_, t) => {
      const ft = paths.fTest[t];
      for (let i = 0; i < nt; i++) {
        let s1 = 0, s2 = 0;
        for (let d = 0; d < draws; d++) { const v = ft.data[i * draws + d]; s1 += v; s2 += v * v; }
        const mean = s1 / draws, v = s2 / draws - mean * mean;
        const predVar = ens[t].covTest.data[i * nt + i];
        // mean: SE = √(var/draws); variance: SE ≈ var·√(2/draws)
        expect(Math.abs(mean - ens[t].meanTest.data[i])).toBeLessThan(4 * Math.sqrt(predVar / draws) + 1e-12);
        expect(Math.abs(v - predVar)).toBeLessThan(4 * predVar * Math.sqrt(2 / draws) + 1e-12);
      }
      // train covariance E Σ E: check the trace
      const fr = paths.fTrain[t];
      let tr = 0, trPred = 0;
      for (let i = 0; i < n; i++) {
        let s1 = 0, s2 = 0;
        for (let d = 0; d < draws; d++) { const v = fr.data[i * draws + d]; s1 += v; s2 += v * v; }
        tr += s2 / draws - (s1 / draws) ** 2;
        trPred += ens[t].covTrain.data[i * n + i];
      }
      expect(Math.abs(tr - trPred)).toBeLessThan(4 * trPred * Math.sqrt(2 / draws) + 1e-12);
    });
    // at t = 0 the test covariance is the NNGP itself; at ∞ the mean is Θ*Θ⁻¹y
    expect(maxAbsDiff(ens[0].covTest, Ktt.nngp)).toBeLessThan(1e-12);
    const kr = kernelRegression({ kernel: K.ntk, kernelTest: Kt.ntk, y, f0: mat(n, 1), f0Test: mat(nt, 1) });
    expect(maxAbsDiff(ens[3].meanTest, kr.fTest)).toBeLessThan(1e-10);
  });
});
