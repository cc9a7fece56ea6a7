/**
 * The layers' kernel maps (src/finite/layers/kernelMap.ts), composed pair by pair, against two
 * independent computations: the NTK limit's fused matrix recursion (src/limits/ntk/kernels.ts, same
 * dual activations, another order of operations: 1e-12 relative) and, for residual linear networks,
 * the closed form of the initial tangent kernel (L+1 plain, (1+β²)^{L−1}[2(1+β²) + Lβ²] residual,
 * theory/deeplinear.md#residual-kernel: 1e-12 relative, rounding of a few dozen operations).
 */
import { describe, expect, it } from 'vitest';
import { mat } from '../../../src/core/matrix.js';
import { Rng } from '../../../src/core/rng.js';
import { parseActivation } from '../../../src/finite/activation.js';
import { buildNetwork } from '../../../src/finite/layers/build.js';
import { denseKernelScales, inputKernel, kernelMap, networkKernels } from '../../../src/finite/layers/kernelMap.js';
import { denseLayers } from '../../../src/finite/layers/layer.js';
import { deepLinearNetwork } from '../../../src/finite/layers/linear.js';
import { initialKernelFactor } from '../../../src/limits/deeplinear/problem.js';
import { dualActivation } from '../../../src/limits/ntk/dual.js';
import { analyticKernels } from '../../../src/limits/ntk/kernels.js';
import { kernelOptionsFromNetwork, resolveLayers } from '../../../src/limits/ntk/kernelOptions.js';

const duals = new Map<object, ReturnType<typeof dualActivation>>();
const dual = (a: Parameters<typeof dualActivation>[0]) => {
  if (!duals.has(a)) duals.set(a, dualActivation(a));
  return duals.get(a)!;
};

describe('kernel maps of the layers', () => {
  it.each([
    ['relu', 'ntk', 1], ['relu', 'ntk', 3], ['erf', 'geiger', 2], ['tanh', 'ntk', 2], ['gelu', 'standard', 2], ['abs', 'ntk', 1],
  ] as const)('%s, %s, depth %i: the composed per-layer maps equal the NTK limit\'s recursion (1e-12)', (act, p, depth) => {
    const net = buildNetwork({ inputDim: 3, outputDim: 1, width: 64, depth, activation: parseActivation(act), parameterization: p, biasStd: 0.3 });
    const rng = new Rng(`kmap-${act}-${depth}`);
    const x = mat(4, 3);
    rng.fillNormal(x.data);
    const rows = Array.from({ length: 4 }, (_, i) => x.data.subarray(3 * i, 3 * i + 3));
    const mine = networkKernels(net, rows, rows, dual);
    const theirs = analyticKernels(kernelOptionsFromNetwork(net), x);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        expect(Math.abs(mine.nngp[i][j] - theirs.nngp.data[i * 4 + j])).toBeLessThanOrEqual(1e-12 * Math.abs(theirs.nngp.data[i * 4 + j]) + 1e-15);
        expect(Math.abs(mine.ntk[i][j] - theirs.ntk.data[i * 4 + j])).toBeLessThanOrEqual(1e-12 * Math.abs(theirs.ntk.data[i * 4 + j]) + 1e-15);
      }
    }
  });

  it.each([[1, false], [3, false], [1, true], [4, true]] as const)('deep linear, depth %i, residual %s: Θ(x, x′) = κ K^x(x, x′) with the closed-form κ (1e-12)', (depth, residual) => {
    const beta0 = 0.8;
    const net = deepLinearNetwork({ inputDim: 3, width: 50, depth, gamma0: 1.7, parameterization: 'meanfield', ...(residual ? { residual: { beta0 } } : {}) });
    const x = Float64Array.of(0.3, -1.2, 0.5), x2 = Float64Array.of(1.1, 0.4, -0.7);
    const k0 = inputKernel(x, x2);
    const out = kernelMap(net.layers.filter((l) => l.kind !== 'output'), k0, dual);
    const kappa = initialKernelFactor(residual ? { kind: 'residual', beta0 } : { kind: 'plain' }, depth);
    expect(Math.abs(out.theta / k0.k12 - kappa)).toBeLessThanOrEqual(1e-12 * kappa);
  });

  it('the output layer scales the NNGP by α² (0 when centred) and leaves Θ', () => {
    const s = { k11: 2, k12: 0.5, k22: 1, theta: 3 };
    const none = () => { throw new Error('no φ'); };
    expect(kernelMap([{ kind: 'output', alpha: 3, centred: false }], s, none)).toEqual({ k11: 18, k12: 4.5, k22: 9, theta: 3 });
    expect(kernelMap([{ kind: 'output', alpha: 3, centred: true }], s, none)).toEqual({ k11: 0, k12: 0, k22: 0, theta: 3 });
  });
});

describe('the kernel command\'s σ_w form is the ntk and standard presets\' dense kernel scales', () => {
  it.each(['ntk', 'standard'] as const)('%s: resolveLayers(σ_w, σ_b) = denseKernelScales of the preset\'s layers (1e-15 relative: (σ_w/√n)²·n against σ_w²)', (p) => {
    const o = { inputDim: 5, outputDim: 1, width: 37, depth: 3, activation: parseActivation('relu'), parameterization: p, weightStd: 1.3, biasStd: 0.4 };
    const fromLayers = denseLayers(buildNetwork(o).layers).map(denseKernelScales);
    const fromSigma = resolveLayers({ depth: 3, activation: o.activation, weightStd: 1.3, biasStd: 0.4, parameterization: p, width: 37 }, 5);
    fromLayers.forEach((s, l) => {
      for (const k of ['weightVar', 'biasVar', 'weightTangent', 'biasTangent'] as const) {
        expect(Math.abs(s[k] - fromSigma[l][k]), `${p} layer ${l} ${k}`).toBeLessThanOrEqual(1e-15 * Math.abs(fromSigma[l][k]));
      }
    });
  });
});
