import { describe, expect, it } from 'vitest';
import { type Mat, fromRows, mat, frobenius, frobeniusDistance } from '../../../src/core/matrix.js';
import { Rng } from '../../../src/core/rng.js';
import { fitPowerLaw } from '../../../src/core/fit.js';
import { InputError } from '../../../src/core/errors.js';
import { type Activation, parseActivation } from '../../../src/finite/activation.js';
import { buildArchitecture, type ArchitectureOptions } from '../../../src/finite/parameterization.js';
import { initParams } from '../../../src/finite/params.js';
import { forwardRaw } from '../../../src/finite/fused/forward.js';
import { empiricalNtk } from '../../../src/finite/fused/ntk.js';
import { analyticKernels, kernelOptionsFromArchitecture, type KernelOptions } from '../../../src/limits/ntk/kernels.js';
import { dualActivation } from '../../../src/limits/ntk/dual.js';

function randomInputs(seed: string, n: number, d: number): Mat {
  const x = mat(n, d);
  new Rng(seed).fillNormal(x.data);
  return x;
}

function opts(activation: Activation, depth: number, weightStd = 1.3, biasStd = 0.2): KernelOptions {
  return { depth, activation, weightStd, biasStd, parameterization: 'ntk' };
}

/**
 * The recursion of theory/ntk.md#dual-activations written out for one pair, calling the dual maps directly (the
 * diagonal map when x = y, as the implementation does: the pair map at ρ = 1 − O(ε) carries
 * arccos noise ~1e-8 that the diagonal map avoids).
 */
function referencePair(o: KernelOptions, x: Float64Array, y: Float64Array, same = false): { nngp: number; ntk: number } {
  const d = x.length;
  const dual = dualActivation(o.activation);
  const wv = o.weightStd ** 2, bv = o.biasStd ** 2;
  let dot = 0, xx = 0, yy = 0;
  for (let p = 0; p < d; p++) { dot += x[p] * y[p]; xx += x[p] * x[p]; yy += y[p] * y[p]; }
  let s12 = (wv * dot) / d + bv, s11 = (wv * xx) / d + bv, s22 = (wv * yy) / d + bv;
  let t = s12;
  const e = new Float64Array(2), e1 = new Float64Array(2), e2 = new Float64Array(2);
  for (let l = 0; l < o.depth; l++) {
    if (same) dual.diag(s11, e);
    else dual.pair(s11, s12, s22, e);
    dual.diag(s11, e1);
    dual.diag(s22, e2);
    const next = wv * e[0] + bv;
    t = next + t * wv * e[1];
    s12 = next;
    s11 = wv * e1[0] + bv;
    s22 = wv * e2[0] + bv;
  }
  return { nngp: s12, ntk: t };
}

describe('analytic kernel recursion (theory/ntk.md#recursion)', () => {
  const x = randomInputs('k-x', 7, 5);
  const x2 = randomInputs('k-x2', 4, 5);

  it.each(['relu', 'leaky_relu:0.2', 'erf', 'tanh', 'x^3 + x', 'identity'])(
    '%s: every entry equals the pairwise recursion written out with the dual maps (1e-12 relative)',
    (name) => {
      // the fused ABReLU loop forms √Λ11·√Λ22 instead of √(Λ11Λ22): rounding differences only
      const o = opts(parseActivation(name), 3);
      const k = analyticKernels(o, x);
      const kx = analyticKernels(o, x, x2);
      for (let i = 0; i < x.rows; i++) {
        for (let j = 0; j < x.rows; j++) {
          const r = referencePair(o, x.data.subarray(i * 5, i * 5 + 5), x.data.subarray(j * 5, j * 5 + 5), i === j);
          expect(Math.abs(k.ntk.data[i * 7 + j] - r.ntk)).toBeLessThan(1e-12 * Math.abs(r.ntk) + 1e-14);
          expect(Math.abs(k.nngp.data[i * 7 + j] - r.nngp)).toBeLessThan(1e-12 * Math.abs(r.nngp) + 1e-14);
        }
        for (let j = 0; j < x2.rows; j++) {
          const r = referencePair(o, x.data.subarray(i * 5, i * 5 + 5), x2.data.subarray(j * 5, j * 5 + 5));
          expect(Math.abs(kx.ntk.data[i * 4 + j] - r.ntk)).toBeLessThan(1e-12 * Math.abs(r.ntk) + 1e-14);
        }
      }
    },
  );

  it('X×X kernels are exactly symmetric and depth 0 is σ_w² x·x\'/d + σ_b²', () => {
    const k = analyticKernels(opts(parseActivation('relu'), 2), x);
    for (let i = 0; i < 7; i++) for (let j = 0; j < 7; j++) expect(k.ntk.data[i * 7 + j]).toBe(k.ntk.data[j * 7 + i]);
    const k0 = analyticKernels(opts(parseActivation('relu'), 0, 1.5, 0.5), x);
    let dot = 0;
    for (let p = 0; p < 5; p++) dot += x.data[p] * x.data[5 + p];
    expect(k0.nngp.data[1]).toBeCloseTo((2.25 * dot) / 5 + 0.25, 14);
    expect(k0.ntk.data[1]).toBe(k0.nngp.data[1]);
  });

  it('the ntk preset read off an Architecture gives the same kernel as the direct options (1e-14)', () => {
    const act = parseActivation('relu');
    const arch = buildArchitecture({ inputDim: 5, outputDim: 1, width: 100, depth: 3, activation: act, parameterization: 'ntk', weightStd: 1.3, biasStd: 0.2 });
    const a = analyticKernels(kernelOptionsFromArchitecture(arch), x);
    const b = analyticKernels(opts(act, 3), x);
    expect(frobeniusDistance(a.ntk, b.ntk) / frobenius(b.ntk)).toBeLessThan(1e-14);
    expect(frobeniusDistance(a.nngp, b.nngp) / frobenius(b.nngp)).toBeLessThan(1e-14);
  });

  it('duplicate points and zero vectors give finite kernels (zero vector without bias: zero row)', () => {
    const xs = fromRows([[1, 2, 3], [1, 2, 3], [0, 0, 0], [-1, 0.5, 2]]);
    for (const name of ['relu', 'erf', 'tanh', 'x^2 + 1', 'abs']) {
      for (const bias of [0, 0.3]) {
        const k = analyticKernels(opts(parseActivation(name), 2, 1.2, bias), xs);
        expect(k.ntk.data.every(Number.isFinite) && k.nngp.data.every(Number.isFinite)).toBe(true);
        // duplicates: identical rows
        for (let j = 0; j < 4; j++) expect(k.ntk.data[j]).toBeCloseTo(k.ntk.data[4 + j], 12);
      }
    }
    const k = analyticKernels(opts(parseActivation('relu'), 2, 1.2, 0), xs);
    for (let j = 0; j < 4; j++) expect(k.ntk.data[2 * 4 + j]).toBe(0);
  });

  it('rejects non-finite inputs and mismatched dimensions with an InputError', () => {
    const bad = fromRows([[1, NaN]]);
    expect(() => analyticKernels(opts(parseActivation('relu'), 1), bad)).toThrow(InputError);
    expect(() => analyticKernels(opts(parseActivation('relu'), 1), x, fromRows([[1, 2]]))).toThrow(/dimension/);
  });

  it('ip and non-centred inits have no NTK limit (InputError); standard needs a width', () => {
    const act = parseActivation('relu');
    const ip = buildArchitecture({ inputDim: 3, outputDim: 1, width: 8, depth: 2, activation: act, parameterization: 'ip' });
    expect(() => kernelOptionsFromArchitecture(ip)).toThrow(InputError);
    expect(() => analyticKernels({ ...opts(act, 1), parameterization: 'standard' }, x)).toThrow(/width/);
  });
});

/** Mean and standard error over seeds of the empirical NNGP (from outputs) and rate-weighted NTK. */
function monteCarlo(o: ArchitectureOptions, x: Mat, seeds: number): { nngp: Float64Array; nngpSe: Float64Array; ntk: Float64Array; ntkSe: Float64Array } {
  const arch = buildArchitecture(o);
  const n = x.rows, k = o.outputDim;
  const s1 = new Float64Array(n * n), s2 = new Float64Array(n * n), t1 = new Float64Array(n * n), t2 = new Float64Array(n * n);
  for (let s = 0; s < seeds; s++) {
    const params = initParams(arch, new Rng(`mc-${s}`).child('init'));
    const F = forwardRaw(arch, params, x);
    const th = empiricalNtk(arch, params, x);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let ff = 0;
        for (let a = 0; a < k; a++) ff += F.data[i * k + a] * F.data[j * k + a];
        ff /= k;
        // block (a, a) of the k-output NTK, averaged over a
        let tt = 0;
        for (let a = 0; a < k; a++) tt += th.data[(i * k + a) * n * k + j * k + a];
        tt /= k;
        s1[i * n + j] += ff; s2[i * n + j] += ff * ff;
        t1[i * n + j] += tt; t2[i * n + j] += tt * tt;
      }
    }
  }
  const fin = (m1: Float64Array, m2: Float64Array) => {
    const mean = m1.map((v) => v / seeds);
    const se = m2.map((v, i) => Math.sqrt(Math.max(0, v / seeds - mean[i] ** 2) / (seeds - 1)));
    return [mean, se];
  };
  const [nngp, nngpSe] = fin(s1, s2);
  const [ntk, ntkSe] = fin(t1, t2);
  return { nngp, nngpSe, ntk, ntkSe };
}

describe('Monte Carlo over finite networks (tier 3: random initializations)', () => {
  const x = randomInputs('mc-x', 4, 6);
  // Allowance: 4 standard errors (seed noise) + (L/h)·max diag relative bias (the finite-width
  // correction of E[Θ̂] and E[FF'] is O(1/h), Hanin–Nica 2019 / Yaida 2019). Measured: the worst
  // entry uses ≤ 0.66 of this allowance, while a kernel 5% off fails most NTK entries (relative SE
  // of the mean NTK ≈ 0.4–1.3%); the NNGP estimate from 8 outputs is noisier (SE ≈ 7%).
  const check = (mean: Float64Array, se: Float64Array, exact: Mat, scale: number, h: number, depth: number) => {
    for (let i = 0; i < mean.length; i++) {
      expect(Math.abs(mean[i] - exact.data[i])).toBeLessThan(4 * se[i] + (depth / h) * scale);
    }
  };
  const scaleOf = (m: Mat) => Math.max(...Array.from({ length: m.rows }, (_, i) => Math.abs(m.data[i * m.cols + i])));

  it.each([
    ['relu', 'ntk', 2],
    ['erf', 'ntk', 2],
    ['tanh', 'standard', 2],
    ['relu', 'meanfield', 2],
    ['leaky_relu:0.3', 'geiger', 1],
  ] as const)('%s, %s, depth %i: mean of 48 nets of width 512 matches the analytic NNGP and NTK', (name, param, depth) => {
    const h = 512;
    const o: ArchitectureOptions = {
      inputDim: 6, outputDim: 8, width: h, depth, activation: parseActivation(name),
      parameterization: param, weightStd: 1.3, biasStd: param === 'geiger' ? 0 : 0.3, gamma0: 1,
    };
    const arch = buildArchitecture(o);
    const ko = kernelOptionsFromArchitecture(arch);
    const exact = analyticKernels(ko, x);
    const mc = monteCarlo(o, x, 48);
    check(mc.ntk, mc.ntkSe, exact.ntk, scaleOf(exact.ntk), h, depth);
    check(mc.nngp, mc.nngpSe, exact.nngp, scaleOf(exact.nngp), h, depth);
  });

  it('theta (two-layer, width-dependent kernel): the mean empirical NTK matches the analytic kernel at that width', () => {
    const h = 512;
    const o: ArchitectureOptions = {
      inputDim: 6, outputDim: 4, width: h, depth: 1, activation: parseActivation('tanh'),
      parameterization: 'theta', theta: { p1: 0.25, p2: 0, q: 0.5 },
    };
    const ko = kernelOptionsFromArchitecture(buildArchitecture(o));
    expect(ko.notes?.some((s) => s.includes('width'))).toBe(true);
    const exact = analyticKernels(ko, x);
    const mc = monteCarlo(o, x, 32);
    check(mc.ntk, mc.ntkSe, exact.ntk, scaleOf(exact.ntk), h, 1);
  });
});

describe('convergence of the empirical NTK (Jacot et al. 2018 Thm 1)', () => {
  it('‖Θ̂_h − Θ‖_F/‖Θ‖_F of ntk networks decays as h^p with p in [−0.6, −0.4] over widths 32..1024', () => {
    // 6 inputs, depth 2, ReLU, 48 seeds. The fluctuation of Θ̂ is O(h^{−1/2}) (its O(1/h) bias is
    // smaller) but heavy-tailed per seed (driven by a few random scalars): with 5 seeds the fitted
    // exponent scattered over −0.44…−0.55; with 48 seeds, other seed sets (from 100, 200, 300)
    // gave −0.50, −0.51, −0.51 (this one −0.52). A wrong kernel gives a plateau, p ≈ 0.
    const x = randomInputs('conv-x', 6, 4);
    const act = parseActivation('relu');
    const widths = [32, 64, 128, 256, 512, 1024];
    const seeds = 48;
    const values: number[][] = [];
    let exact: Mat | null = null;
    for (let s = 0; s < seeds; s++) {
      const row: number[] = [];
      for (const h of widths) {
        const arch = buildArchitecture({ inputDim: 4, outputDim: 1, width: h, depth: 2, activation: act, parameterization: 'ntk', weightStd: Math.SQRT2, biasStd: 0.1 });
        exact ??= analyticKernels(kernelOptionsFromArchitecture(arch), x).ntk;
        const th = empiricalNtk(arch, initParams(arch, new Rng(`conv-${s}`).child(`h${h}`)), x);
        row.push(frobeniusDistance(th, exact) / frobenius(exact));
      }
      values.push(row);
    }
    const fit = fitPowerLaw(widths, values, { rng: new Rng('conv-fit'), nBoot: 200 });
    expect(fit.exponent).toBeGreaterThan(-0.6);
    expect(fit.exponent).toBeLessThan(-0.4);
  });
});
