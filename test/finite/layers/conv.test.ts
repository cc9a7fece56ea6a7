/**
 * Convolutional networks as layers of the description (src/finite/layers/convBuild.ts, reference.ts,
 * batched.ts, serialParams.ts; theory/finite.md#convolution):
 *
 * - the reference's vector–Jacobian product through conv2d and pool layers equals a fourth-order
 *   central finite-difference Jacobian of its own forward pass (step 1e-3, error O(ε⁴) ≈ 1e-12 times
 *   the fifth derivative; tolerance 1e-7 relative, far above rounding 1e-16/ε ≈ 1e-13);
 * - the batched reading equals the one-input reference on every input, forward and vjp, to 1e-12
 *   relative (the same sums in a different order);
 * - the reference agrees with the stand-alone conv network of src/finite/conv/convNet.ts built on the
 *   same numbers (an independent composition of the same layers) to 1e-12;
 * - the build: NTK multipliers σ/√(C_in k²) on the convolutions and σ/√h on the read-out, sizes, and
 *   clear errors (kernel map, MLP trainer, parameterizations without the fan-in in the multiplier).
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { mat } from '../../../src/core/matrix.js';
import { Rng } from '../../../src/core/rng.js';
import { parseActivation } from '../../../src/finite/activation.js';
import { type ConvNetSpec, convNetForward, convNetLayout } from '../../../src/finite/conv/convNet.js';
import { batchedForward, batchedVjp } from '../../../src/finite/layers/batched.js';
import { buildNetwork, toArchitecture } from '../../../src/finite/layers/build.js';
import { networkKernels } from '../../../src/finite/layers/kernelMap.js';
import { type ConvLayer, type Serial, paramLayers } from '../../../src/finite/layers/layer.js';
import type { ArchitectureOptions } from '../../../src/finite/layers/presets/index.js';
import { referenceForward, referenceVjp, zeroGrads } from '../../../src/finite/layers/reference.js';
import { initSerialParams, serialLayout, viewSerialParams } from '../../../src/finite/layers/serialParams.js';

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0, s = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return s === 0 ? d : d / s;
}

function convOptions(over: Partial<ArchitectureOptions> = {}): ArchitectureOptions {
  return {
    inputDim: 2 * 8 * 8, outputDim: 2, width: 3, depth: 2, activation: parseActivation('tanh'), parameterization: 'ntk',
    weightStd: 1.3, biasStd: 0.4, alpha: 1,
    conv: { channels: 2, height: 8, width: 8, kernel: 3, pool: true, inputPool: 2 },
    ...over,
  };
}

function inputs(rng: Rng, n: number, d: number): Float64Array[] {
  return Array.from({ length: n }, () => rng.fillNormal(new Float64Array(d)));
}

/** The flattened gradient of Σ_a g_a F_a(x) by the reference, and by 4th-order central differences. */
function vjpAndFd(net: Serial, flat: Float64Array, x: Float64Array, g: Float64Array): [Float64Array, Float64Array] {
  const lay = serialLayout(net), p = viewSerialParams(lay, flat);
  const { grads } = referenceVjp(net, p, x, g);
  const an = new Float64Array(lay.size);
  let o = 0;
  grads.W.forEach((w, i) => {
    an.set(w.data, o); o += w.data.length;
    const b = grads.b[i];
    if (b) { an.set(b, o); o += b.length; }
  });
  const eps = 1e-3, fd = new Float64Array(lay.size);
  const val = () => referenceForward(net, p, x).out.reduce((acc, v, a) => acc + g[a] * v, 0);
  for (let j = 0; j < lay.size; j++) {
    const t = flat[j], at = (e: number) => { flat[j] = t + e; return val(); };
    fd[j] = (8 * (at(eps) - at(-eps)) - (at(2 * eps) - at(-2 * eps))) / (12 * eps);
    flat[j] = t;
  }
  return [an, fd];
}

describe('conv layers in the description', () => {
  it('builds convolutions with the NTK scaling in channels, pooling and a dense read-out', () => {
    const net = buildNetwork(convOptions());
    expect(net.layers.map((l) => l.kind)).toEqual(['pool', 'conv2d', 'activation', 'pool', 'conv2d', 'activation', 'pool', 'pool', 'dense', 'output']);
    const convs = paramLayers(net.layers).filter((l): l is ConvLayer => l.kind === 'conv2d');
    expect(convs[0].multiplier).toBeCloseTo(1.3 / Math.sqrt(2 * 9), 14);
    expect(convs[1].multiplier).toBeCloseTo(1.3 / Math.sqrt(3 * 9), 14);
    expect(convs[1].shape).toMatchObject({ cIn: 3, cOut: 3, height: 2, width: 2, pad: 1 });
    const readout = net.layers[8];
    expect(readout.kind === 'dense' && readout.multiplier).toBeCloseTo(1.3 / Math.sqrt(3), 14);
    expect(convs[0].bias).toEqual({ multiplier: 0.4, initStd: 1, rate: 1 });
  });

  it('reference vjp through conv2d and pool equals fourth-order finite differences', () => {
    for (const [act, pool, inputPool] of [['tanh', true, 2], ['softplus:2', false, 1]] as const) {
      const o = convOptions({ activation: parseActivation(act), inputDim: pool ? 128 : 2 * 6 * 6, conv: { channels: 2, height: pool ? 8 : 6, width: pool ? 8 : 6, kernel: 3, pool, inputPool } });
      const net = buildNetwork(o);
      const rng = new Rng(`conv-fd/${act}`);
      const { flat } = initSerialParams(net, rng.child('init'));
      const [x] = inputs(rng, 1, o.inputDim);
      const [an, fd] = vjpAndFd(net, flat, x, Float64Array.of(0.7, -1.1));
      expect(relErr(an, fd)).toBeLessThan(1e-7);
      expect(relErr(an, fd)).toBeGreaterThan(0); // the two methods are independent
    }
  });

  it('the batched reading equals the reference on every input, forward and vjp', () => {
    const net = buildNetwork(convOptions({ activation: parseActivation('softplus:5'), width: 8 })); // width 8: the products reach the engine's gemm
    const rng = new Rng('conv-batched');
    const { params } = initSerialParams(net, rng.child('init'));
    const n = 5, xs = inputs(rng, n, net.inputDim);
    const X = mat(n, net.inputDim);
    xs.forEach((x, i) => X.data.set(x, i * net.inputDim));
    const G = mat(n, 2);
    rng.fillNormal(G.data);
    const { F, tape } = batchedForward(net, params, X);
    const grads = zeroGrads(params);
    batchedVjp(tape, G, grads);
    const ref = zeroGrads(params);
    xs.forEach((x, i) => {
      const r = referenceVjp(net, params, x, G.data.subarray(2 * i, 2 * i + 2));
      expect(relErr(F.data.subarray(2 * i, 2 * i + 2), r.out)).toBeLessThan(1e-12);
      r.grads.W.forEach((w, l) => { for (let j = 0; j < w.data.length; j++) ref.W[l].data[j] += w.data[j]; });
      r.grads.b.forEach((b, l) => { if (b) for (let j = 0; j < b.length; j++) (ref.b[l] as Float64Array)[j] += b[j]; });
    });
    grads.W.forEach((w, l) => expect(relErr(w.data, ref.W[l].data)).toBeLessThan(1e-12));
    grads.b.forEach((b, l) => { if (b) expect(relErr(b, ref.b[l] as Float64Array)).toBeLessThan(1e-12); });
  });

  it('agrees with the stand-alone conv network of src/finite/conv on the same numbers', () => {
    const act = parseActivation('tanh');
    const net = buildNetwork(convOptions({ activation: act, biasStd: 0.5, weightStd: 1.2, conv: { channels: 2, height: 8, width: 8, kernel: 3, pool: true, inputPool: 1 } }));
    const spec: ConvNetSpec = { inChannels: 2, height: 8, width: 8, channels: 3, convLayers: 2, kernel: 3, pool: 'avg', outputs: 2, activation: act, weightStd: 1.2, biasStd: 0.5 };
    const lay = convNetLayout(spec), rng = new Rng('conv-standalone');
    const { flat } = initSerialParams(net, rng.child('init'));
    // Same layout: per stage W then b, then the read-out W (k × h) and b.
    expect(flat.length).toBe(lay.total);
    const [x] = inputs(rng, 1, 128);
    const mine = referenceForward(net, viewSerialParams(serialLayout(net), flat), x).out;
    const theirs = convNetForward(spec, lay, flat, 1, x).F.data;
    expect(relErr(mine, theirs)).toBeLessThan(1e-12);
  });

  it('refuses what it does not do, naming the field', () => {
    const net = buildNetwork(convOptions());
    expect(() => networkKernels(net, [new Float64Array(128)], [new Float64Array(128)], () => { throw new Error('unused'); })).toThrow(/no infinite-width kernel/);
    expect(() => toArchitecture(net)).toThrow(InputError);
    expect(() => buildNetwork(convOptions({ parameterization: 'meanfield' }))).toThrow(/parameterizations ntk, geiger/);
    expect(() => buildNetwork(convOptions({ inputDim: 100 }))).toThrow(/inputs have dimension 100/);
    expect(() => buildNetwork(convOptions({ conv: { channels: 2, height: 8, width: 8, kernel: 2, pool: true, inputPool: 1 } }))).toThrow(/odd/);
  });
});
