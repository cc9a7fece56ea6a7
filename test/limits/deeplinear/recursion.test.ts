/**
 * The deep-linear recursion checked against itself by independent routes: the causal layer solver
 * (causal.ts), the joint single-site solver (joint.ts), Picard iteration of the full map
 * (fullMap.ts), and the S = (I − M_h M_g)^{−1} formulas of theory/deeplinear.md#layer-solve evaluated literally.
 */
import { describe, expect, it } from 'vitest';
import { gemm, matmul } from '../../../src/core/gemm.js';
import { inverse } from '../../../src/core/lu.js';
import { type Mat, identity, mat, transpose } from '../../../src/core/matrix.js';
import { solvePlainCausal } from '../../../src/limits/deeplinear/causal.js';
import { frozenKernelGd } from '../../../src/limits/deeplinear/exact.js';
import { applyFullMap, solvePlainPicard } from '../../../src/limits/deeplinear/fullMap.js';
import { solveJoint } from '../../../src/limits/deeplinear/joint.js';
import { initialKernelFactor } from '../../../src/limits/deeplinear/problem.js';
import { solveDeepLinear } from '../../../src/limits/deeplinear/solve.js';
import { tangentKernelAt } from '../../../src/limits/deeplinear/solution.js';
import { parseActivation } from '../../../src/finite/activation.js';
import { analyticKernels } from '../../../src/limits/ntk/kernels.js';
import { maxAbsDiff, randomProblem } from './helpers.js';

describe('plain network: three solvers agree', () => {
  it.each([1, 2, 3, 4])('causal layer recursion = joint single-site solver, L = %i (f, H^l, G^l)', (L) => {
    const { problem } = randomProblem(`joint-${L}`, 3, 4, { depth: L, gamma0: 1.3, lr: 0.25, steps: 12 });
    const c = solvePlainCausal(problem).solution;
    const j = solveJoint(problem);
    // Different algebra (layer formulas with S eliminated vs explicit source coefficients), same
    // numbers: agreement to rounding, relative to O(1) kernels.
    expect(maxAbsDiff(c.f, j.f)).toBeLessThan(1e-12);
    for (let l = 0; l < L; l++) {
      expect(maxAbsDiff(c.H[l].data, j.H[l].data)).toBeLessThan(1e-11);
      expect(maxAbsDiff(c.G[l].data, j.G[l].data)).toBeLessThan(1e-11);
    }
  });

  it('Picard iteration of the full self-consistency map converges to the causal solution in at most L·T + 1 sweeps', () => {
    const L = 3, steps = 8;
    const { problem } = randomProblem('picard', 3, 2, { depth: L, gamma0: 1.1, lr: 0.3, steps });
    const c = solvePlainCausal(problem).solution;
    const p = solvePlainPicard(problem, { maxIterations: 200, tolerance: 1e-13 });
    expect(p.status).toBe('ok');
    // Each sweep fixes at least one more (layer, time) of the strictly causal system.
    expect(Number(p.stats.iterations)).toBeLessThanOrEqual(L * (steps + 1) + 1);
    expect(maxAbsDiff(c.f, p.f)).toBeLessThan(1e-12);
    for (let l = 0; l < L; l++) expect(maxAbsDiff(c.H[l].data, p.H[l].data)).toBeLessThan(1e-11);
  });

  it('the causal solution is a fixed point of the full map (residual at rounding level)', () => {
    const { problem } = randomProblem('fixed', 4, 3, { depth: 3, gamma0: 1.5, lr: 0.2, steps: 15 });
    const { solution, state } = solvePlainCausal(problem);
    expect(applyFullMap(state, problem.y, Float64Array.from(solution.f)).change).toBeLessThan(1e-13);
    const s = solveDeepLinear(problem);
    expect(s.status).toBe('ok');
    expect(Number(s.stats.fixedPointResidual)).toBeLessThan(1e-13);
  });

  it('theory/deeplinear.md#layer-solve literally: H = S H^{l−1} Sᵀ + (S M_h) G^{l+1} (S M_h)ᵀ, G = (M_g S) H^{l−1} (M_g S)ᵀ + (I + M_g S M_h) G^{l+1} (…)ᵀ, R = S M_h, Q = M_g S', () => {
    const P = 3, steps = 6, L = 3, g0 = 1.4, lr = 0.3;
    const { problem } = randomProblem('literal', P, 2, { depth: L, gamma0: g0, lr, steps });
    const { solution, state } = solvePlainCausal(problem);
    const T = steps + 1, n = P * T;
    const delta = state.delta;
    const wrap = (r: number, c: number, d: Float64Array) => mat(r, c, d);
    for (let l = 0; l < L; l++) {
      const V = l === 0 ? state.H0 : state.layers[l - 1].H;
      const Rp = l === 0 ? null : state.layers[l - 1].Rt;
      const Gn = l === L - 1 ? null : state.layers[l + 1].G;
      const Qn = l === L - 1 ? null : state.layers[l + 1].Qt;
      // Unscaled M_h (PT×T) and M_g (T×PT) of theory/deeplinear.md#causal-solver, strictly causal.
      const Mh = mat(n, T), Mg = mat(T, n);
      for (let t = 0; t < T; t++) for (let mu = 0; mu < P; mu++) for (let s = 0; s < t; s++) {
        let acc = 0;
        for (let nu = 0; nu < P; nu++) acc += delta[s * P + nu] * V[(t * P + mu) * n + s * P + nu];
        Mh.data[(t * P + mu) * T + s] = g0 * (Rp ? Rp[(t * P + mu) * T + s] : 0) + ((lr * g0) / P) * acc;
      }
      for (let t = 0; t < T; t++) for (let s = 0; s < t; s++) for (let nu = 0; nu < P; nu++) {
        Mg.data[t * n + s * P + nu] = g0 * (Qn ? Qn[t * n + s * P + nu] : 0) + ((lr * g0) / P) * delta[s * P + nu] * (Gn ? Gn[t * T + s] : 1);
      }
      const A = identity(n);
      gemm(false, false, -1, Mh, Mg, 1, A);
      const S = inverse(A);
      const SM = matmul(S, Mh);
      const MS = matmul(Mg, S);
      const Gnext = Gn ? wrap(T, T, Gn) : wrap(T, T, new Float64Array(T * T).fill(1));
      const Hl = matmul(matmul(S, wrap(n, n, V)), transpose(S));
      gemm(false, true, 1, matmul(SM, Gnext), SM, 1, Hl);
      const E = identity(T);
      gemm(false, false, 1, MS, Mh, 1, E);
      const Gl = matmul(matmul(MS, wrap(n, n, V)), transpose(MS));
      gemm(false, true, 1, matmul(E, Gnext), E, 1, Gl);
      // Inverse of a 21×21 well-conditioned unit-lower-triangular system: rounding-level agreement.
      expect(maxAbsDiff(Hl.data, state.layers[l].H)).toBeLessThan(1e-11);
      expect(maxAbsDiff(Gl.data, state.layers[l].G)).toBeLessThan(1e-11);
      expect(maxAbsDiff(SM.data, state.layers[l].Rt.map((v) => g0 * v))).toBeLessThan(1e-12);
      expect(maxAbsDiff(MS.data, state.layers[l].Qt.map((v) => g0 * v))).toBeLessThan(1e-12);
      if (l === L - 1) {
        // f_μ(t) = ⟨g^L(t) h^L_μ(t)⟩/γ0 with ⟨h gᵀ⟩ = S H^{L−1} (M_g S)ᵀ + S M_h G^{L+1} (I + M_g S M_h)ᵀ.
        const C: Mat = matmul(matmul(S, wrap(n, n, V)), transpose(MS));
        gemm(false, true, 1, matmul(SM, Gnext), E, 1, C);
        const f = new Float64Array(T * P);
        for (let t = 0; t < T; t++) for (let mu = 0; mu < P; mu++) f[t * P + mu] = C.data[(t * P + mu) * T + t] / g0;
        expect(maxAbsDiff(f, solution.f)).toBeLessThan(1e-12);
      }
    }
  });

  it('the learned function satisfies f(x_μ) = Σ_ν K^x_{μν} a_ν (Stein\'s lemma on the first layer) for every L', () => {
    for (const L of [1, 2, 5]) {
      const { problem } = randomProblem(`stein-${L}`, 5, 3, { depth: L, gamma0: 2, lr: 0.15, steps: 20 });
      // Links the top layer (f from ⟨g^L h^L⟩) to the bottom one (a from Q̃^1, G^1): rounding only.
      expect(solvePlainCausal(problem).solution.residual).toBeLessThan(1e-13);
    }
  });
});

describe('one architecture, several readings', () => {
  it.each([1, 3])('the recursion\'s tangent kernel at t = 0 is the analytic NTK of theory/ntk.md#recursion for the identity activation, L = %i', (L) => {
    const { problem, X } = randomProblem(`ntk-analytic-${L}`, 5, 4, { depth: L, gamma0: 0.8, lr: 0.1, steps: 2 });
    const K0 = tangentKernelAt(solvePlainCausal(problem).solution, problem.kx, 0);
    const ntk = analyticKernels({ depth: L, activation: parseActivation('identity'), weightStd: 1, biasStd: 0, parameterization: 'ntk' }, X).ntk;
    // Σ G^{l+1}(0,0) H^l(0,0) of the single site vs the NTK recursion Θ^{l+1} = Σ^{l+1} + Θ^l Σ̇^{l+1}.
    expect(maxAbsDiff(K0.data, ntk.data)).toBeLessThan(1e-13);
  });
});

describe('status of failing runs', () => {
  it('Picard iteration stopped early reports not-converged with the residual', () => {
    const { problem } = randomProblem('nc', 3, 3, { depth: 2, gamma0: 1, lr: 0.3, steps: 10 });
    const s = solvePlainPicard(problem, { maxIterations: 3, tolerance: 1e-12 });
    expect(s.status).toBe('not-converged');
    expect(s.message).toMatch(/relative change \d\.\d+e[-+]\d+ after 3 iterations/);
    expect(s.residual).toBeGreaterThan(1e-12);
  });

  it('a learning rate beyond stability reports diverged (never throws) with the steps reached', () => {
    const { problem } = randomProblem('div', 4, 3, { depth: 2, gamma0: 1, lr: 6, steps: 60 });
    const s = solveDeepLinear(problem);
    expect(s.status).toBe('diverged');
    expect(s.message).toMatch(/diverges/);
    expect(s.T).toBeLessThan(61);
    expect(s.trainLoss.length).toBe(s.T);
  });
});

describe('residual network h^{l+1} = h^l + (β0/√L) W^l h^l/√N', () => {
  it.each([[1, 0.5], [3, 1], [6, 2]])('K(0) = K^x (1+β²)^{L−1}[2(1+β²) + Lβ²], β = β0/√L, for L = %i, β0 = %f', (L, beta0) => {
    const { problem } = randomProblem(`res-k0-${L}`, 3, 4, { depth: L, gamma0: 1, lr: 0.1, steps: 1, architecture: { kind: 'residual', beta0 } });
    const sol = solveJoint(problem);
    const K0 = tangentKernelAt(sol, problem.kx, 0);
    const factor = initialKernelFactor(problem.architecture, L);
    const b2 = (beta0 * beta0) / L;
    expect(factor).toBeCloseTo(Math.pow(1 + b2, L - 1) * (2 * (1 + b2) + L * b2), 12);
    // The joint solver's H^l(0,0), G^l(0,0) combined as Σ G^{l+1} H^l: rounding only.
    expect(maxAbsDiff(K0.data, problem.kx.data.map((v) => factor * v))).toBeLessThan(1e-12);
  });

  it('β0 = 0 is the two-layer network (h^{L+1} = h^1): equal to the plain L = 1 recursion', () => {
    const { problem } = randomProblem('res-zero', 4, 3, { depth: 3, gamma0: 1.2, lr: 0.2, steps: 15, architecture: { kind: 'residual', beta0: 0 } });
    const res = solveJoint(problem);
    const plain = solvePlainCausal({ ...problem, depth: 1, architecture: { kind: 'plain' } }).solution;
    expect(maxAbsDiff(res.f, plain.f)).toBeLessThan(1e-12);
  });

  it('γ0 → 0 approaches the frozen kernel K(0) at order γ0², and γ0 = 0 is that kernel', () => {
    const arch = { kind: 'residual' as const, beta0: 1.5 };
    const { problem } = randomProblem('res-lazy', 4, 3, { depth: 2, gamma0: 0, lr: 0.1, steps: 15, architecture: arch });
    const lazy = frozenKernelGd(problem.kx, initialKernelFactor(arch, 2), problem.y, problem.lr, problem.steps);
    expect(maxAbsDiff(solveDeepLinear(problem).f, lazy)).toBeLessThan(1e-14);
    const dev = [0.1, 0.05].map((g) => maxAbsDiff(solveJoint({ ...problem, gamma0: g }).f, lazy));
    expect(dev[0] / dev[1]).toBeGreaterThan(3.6);
    expect(dev[0] / dev[1]).toBeLessThan(4.4);
  });
});
