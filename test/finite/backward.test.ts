import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineKind, setEngine } from '../../src/core/engine.js';
import { type Mat, mat } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import { parseActivation } from '../../src/finite/activation.js';
import type { Architecture } from '../../src/finite/architecture.js';
import { gemm } from '../../src/core/gemm.js';
import { setSparseGemm } from '../../src/core/gemmWasm.js';
import { backward } from '../../src/finite/fused/backward.js';
import { createWorkspace, forwardCached, forwardRaw } from '../../src/finite/fused/forward.js';
import { makeLoss } from '../../src/finite/loss.js';
import { lossGradient } from '../../src/finite/network.js';
import { type Params, initParams, packParams } from '../../src/finite/params.js';
import {
  ACTIVATIONS, LOSSES, PARAMETERIZATIONS, gaussian, naiveForward, naiveLoss, rows, smallArch, toNaive,
} from './helpers.js';

/** Kinked activations and the hinge: finite differences are checked only away from the kinks. */
const KINK = 1e-3;
/**
 * Step of the fourth-order central stencil (8(ℓ(+ε) − ℓ(−ε)) − (ℓ(+2ε) − ℓ(−2ε)))/(12ε):
 * truncation ~ε⁴|ℓ⁽⁵⁾|, rounding ~1e-16·|ℓ|/ε. Nested polynomial activations (x³ of x³) make
 * ℓ''' large, which the plain two-point stencil (error ~ε²|ℓ'''|) does not tolerate at 1e-6.
 */
const EPS = 1e-5;

interface Case {
  arch: Architecture;
  loss: (typeof LOSSES)[number];
  x: Mat;
  y: Mat;
  theta: Params;
  theta0: Params;
}

/** θ = θ0 + noise (so that a centred f is not zero); a new draw until no kink is within KINK. */
function makeCase(arch: Architecture, loss: (typeof LOSSES)[number], seed: string): Case {
  const kinked = arch.activation.family.kind === 'abrelu' && arch.activation.name !== 'identity';
  for (let attempt = 0; attempt < 100; attempt++) {
    const rng = new Rng(`${seed}/${attempt}`);
    const theta0 = initParams(arch, rng.child('init'));
    const { params: theta, flat } = packParams(arch, theta0);
    const noise = rng.child('noise');
    for (let i = 0; i < flat.length; i++) flat[i] += 0.5 * noise.normal() * Math.max(Math.abs(flat[i]), 0.3);
    const x = gaussian(rng.child('x'), 4, arch.inputDim);
    const y = mat(4, arch.outputDim);
    for (let i = 0; i < y.data.length; i++) y.data[i] = rng.sign() * (loss === 'mse' ? 1 + rng.uniform() : 1);
    const nt = toNaive(theta), n0 = toNaive(theta0);
    let ok = true, active = false;
    rows(x).forEach((xi, i) => {
      const { F, z } = naiveForward(arch, nt, xi);
      if (kinked && z.some((v) => Math.abs(v) < KINK)) ok = false;
      const F0 = naiveForward(arch, n0, xi).F;
      F.forEach((Fa, a) => {
        const m = arch.alpha * (Fa - (arch.centred ? F0[a] : 0)) * y.data[i * arch.outputDim + a];
        if (loss === 'hinge' && Math.abs(1 - m) < KINK) ok = false;
        if (m < 1) active = true;
      });
    });
    if (ok && (loss !== 'hinge' || active)) return { arch, loss, x, y, theta, theta0 };
  }
  throw new Error(`no kink-free case for ${seed}`);
}

/** ‖g_fd − g‖₂ / ‖g‖₂ with g from backprop and g_fd by the fourth-order stencil on the naive loss. */
function gradientError(c: Case, eps = EPS, tamper?: (g: Float64Array) => void): number {
  const { arch } = c;
  const F0 = arch.centred ? forwardRaw(arch, c.theta0, c.x) : null;
  const { grads } = lossGradient(arch, makeLoss(c.loss), c.theta, c.x, c.y, F0);
  const g = packParams(arch, grads).flat;
  tamper?.(g);
  const { params: probe, flat } = packParams(arch, c.theta);
  const n0 = toNaive(c.theta0), xr = rows(c.x), yr = rows(c.y);
  const value = () => naiveLoss(arch, c.loss, toNaive(probe), n0, xr, yr);
  let num = 0, den = 0;
  for (let p = 0; p < flat.length; p++) {
    const v = flat[p];
    const at = (d: number) => { flat[p] = v + d; const r = value(); flat[p] = v; return r; };
    const fd = (8 * (at(eps) - at(-eps)) - (at(2 * eps) - at(-2 * eps))) / (12 * eps);
    num += (fd - g[p]) ** 2;
    den += g[p] ** 2;
  }
  expect(den).toBeGreaterThan(0);
  return Math.sqrt(num / den);
}

describe('backprop gradients', () => {
  // The full product: 9 activations × 8 parameterizations × 4 losses = 288 cases. Biases,
  // k = 2 outputs, α ∈ {1, 3.7, 0.4} and centring cycle with the case index, so every value of
  // each factor appears with many others.
  const cases: { name: string; build: () => Case }[] = [];
  let c = 0;
  for (const act of ACTIVATIONS) {
    for (const param of PARAMETERIZATIONS) {
      for (const loss of LOSSES) {
        const idx = c++;
        const opts = {
          biasStd: idx % 2 ? 0.4 : 0,
          outputDim: (idx >> 1) % 2 ? 2 : 1,
          alpha: [1, 3.7, 0.4][idx % 3],
          centred: ((idx >> 2) & 1) === 1,
        };
        const pname = typeof param === 'string' ? param : 'abc';
        cases.push({
          name: `${act} × ${pname} × ${loss} (bias ${opts.biasStd}, k ${opts.outputDim}, α ${opts.alpha}, centred ${opts.centred})`,
          build: () => makeCase(smallArch(act, param, opts), loss, `grad/${idx}`),
        });
      }
    }
  }

  it('match central finite differences of an independent naive loss to 1e-6 for every activation × parameterization × loss', () => {
    const bad: string[] = [];
    let worst = 0;
    for (const k of cases) {
      const kase = k.build();
      // With nested cubics (x^3 + sin x) |f| reaches 1e8 and a step of 1e-5 moves f across the
      // soft hinge's transition (width 1/β): the reference is then taken with a tenfold smaller step.
      let e = gradientError(kase);
      if (!(e <= 1e-6)) e = Math.min(e, gradientError(kase, EPS / 10));
      worst = Math.max(worst, e);
      if (!(e <= 1e-6)) bad.push(`${k.name}: relative error ${e.toExponential(2)}`);
    }
    expect(bad).toEqual([]);
    expect(cases.length).toBe(288);
    expect(worst).toBeLessThanOrEqual(1e-6);
  });

  it('covers biases, several outputs, α ≠ 1 and centring in one network', () => {
    const arch = smallArch('tanh', 'ntk', { biasStd: 0.7, outputDim: 3, alpha: 2.5, centred: true, width: 6 });
    expect(arch.layers.every((l) => l.bias !== null)).toBe(true);
    for (const loss of LOSSES) expect(gradientError(makeCase(arch, loss, `grad/all/${loss}`))).toBeLessThanOrEqual(1e-6);
  });

  it('resolves a relative gradient error of 1e-5 (the check can fail)', () => {
    const c = makeCase(smallArch('relu', 'ntk', { biasStd: 0.5 }), 'soft-hinge', 'grad/neg');
    expect(gradientError(c)).toBeLessThan(1e-8);
    expect(gradientError(c, EPS, (g) => g.forEach((v, i) => (g[i] = v * (1 + 1e-5))))).toBeGreaterThan(1e-6);
    // a gradient missing the bias contributions of one layer fails by far
    expect(gradientError(c, EPS, (g) => g.fill(0, g.length - 1))).toBeGreaterThan(1e-3);
  });
});

describe('forward pass', () => {
  it('equals the naive definition z = m W a + β b, a = φ(z) for every activation', () => {
    for (const act of ACTIVATIONS) {
      const arch = smallArch(act, 'standard', { biasStd: 0.3, outputDim: 2, width: 7 });
      const theta = initParams(arch, new Rng(`fw/${act}`));
      const x = gaussian(new Rng(`fw/x/${act}`), 5, 3);
      const F = forwardRaw(arch, theta, x);
      const nt = toNaive(theta);
      rows(x).forEach((xi, i) => {
        const ref = naiveForward(arch, nt, xi).F;
        // same operations in a different summation order: agreement to rounding
        ref.forEach((v, a) => expect(Math.abs(F.data[i * 2 + a] - v)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(v))));
      });
    }
  });

  it('ABReLU(0, 1) is relu: the same network outputs bit for bit', () => {
    const a1 = smallArch('relu', 'ntk');
    const a2 = { ...a1, activation: parseActivation('leaky_relu:0') };
    const theta = initParams(a1, new Rng('relu-id'));
    const x = gaussian(new Rng('relu-x'), 6, 3);
    expect(Array.from(forwardRaw(a2, theta, x).data)).toEqual(Array.from(forwardRaw(a1, theta, x).data));
  });
});

describe('backprop into the packed left factor of ∂S/∂W⁰ (two-layer networks)', () => {
  // the packed left factor is the WebAssembly engine's (the native engine packs its own operands)
  let previousEngine: EngineKind;
  beforeAll(() => { previousEngine = setEngine('wasm'); });
  afterAll(() => { setEngine(previousEngine); });
  // Δ⁰ goes straight into the SIMD kernel's panels of Δ⁰ᵀ when layer 0 has no bias; ∂S/∂W⁰ must
  // be the bits of gemm(T, N, m_0, Δ⁰, X) on Δ⁰ from a backward pass without gradients (which
  // fills ws.delta), with the dense or the sparse kernel. relu reads φ' from act, abs from the
  // mask, tanh from the table; h = 1021..1023 leave padding rows in the last panel; k = 2 the general loop.
  for (const [act, k, h] of [['relu', 1, 1021], ['abs', 1, 1023], ['tanh', 1, 1022], ['relu', 2, 1026], ['relu', 1, 1024]] as const) {
    it(`${act}, k = ${k}, h = ${h}: ∂S/∂W⁰ is the bits of the row-major product`, () => {
      const arch = smallArch(act, 'ntk', { inputDim: 16, width: h, depth: 1, outputDim: k });
      const theta = initParams(arch, new Rng(`packed/${act}`));
      const x = gaussian(new Rng(`packed/x/${act}`), 66, 16); // 66 = 16 groups of four rows and two single rows
      const seed = gaussian(new Rng(`packed/seed/${act}`), 66, k);
      const ws = createWorkspace(arch, x.rows);
      forwardCached(arch, theta, x, ws, true);
      ws.delta[1].data.set(seed.data);
      backward(arch, theta, x, ws); // no gradients: Δ⁰ row-major
      const results = (['never', 'always'] as const).map((mode) => {
        setSparseGemm(mode);
        const want = gemm(true, false, arch.layers[0].multiplier, ws.delta[0], x);
        setSparseGemm('auto');
        return want;
      });
      const grads = initParams(arch, new Rng('unused'));
      const ws2 = createWorkspace(arch, x.rows);
      forwardCached(arch, theta, x, ws2, true);
      ws2.delta[1].data.set(seed.data);
      backward(arch, theta, x, ws2, grads);
      for (const want of results) expect(Array.from(grads.W[0].data).every((v, i) => Object.is(v, want.data[i]))).toBe(true);
      expect(Array.from(grads.W[0].data).some((v) => v !== 0)).toBe(true);
    });
  }
});
