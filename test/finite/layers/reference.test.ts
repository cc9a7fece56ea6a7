/**
 * The fused trainer paths (forward.ts, backward.ts, ntk.ts, network.ts, residualLinear.ts; products on
 * the WebAssembly and, where it loads, the native engine) agree with the plain reference of
 * src/finite/layers/reference.ts on random architectures — depth, widths, activations,
 * parameterizations, biases, α and centring — to relative error ≤ 1e-12: the two compute the same
 * sums in different orders, so they differ by rounding only (about 1e-15 per operation, a few
 * hundred operations per entry). Relative error = max |fused − reference| / max |reference| over
 * each tensor.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineKind, engine, nativeAvailable, setEngine } from '../../../src/core/engine.js';
import { type Mat, mat } from '../../../src/core/matrix.js';
import { Rng } from '../../../src/core/rng.js';
import { parseActivation } from '../../../src/finite/activation.js';
import { backward } from '../../../src/finite/fused/backward.js';
import { createWorkspace, forwardCached } from '../../../src/finite/fused/forward.js';
import { buildNetwork } from '../../../src/finite/layers/build.js';
import { deepLinearNetwork, linearNetSpecOf } from '../../../src/finite/layers/linear.js';
import { referenceForward, referenceNtk, referenceOutput, referenceVjp, zeroGrads } from '../../../src/finite/layers/reference.js';
import { createNetwork } from '../../../src/finite/network.js';
import { empiricalNtk } from '../../../src/finite/fused/ntk.js';
import { type ArchitectureOptions, buildArchitecture } from '../../../src/finite/parameterization.js';
import { allocParams, initParams } from '../../../src/finite/params.js';
import { initLinearNet, lossAndGradient } from '../../../src/finite/residualLinear.js';

const TOL = 1e-12;

function relErr(fused: ArrayLike<number>, ref: ArrayLike<number>): number {
  let d = 0, s = 0;
  for (let i = 0; i < ref.length; i++) {
    d = Math.max(d, Math.abs(fused[i] - ref[i]));
    s = Math.max(s, Math.abs(ref[i]));
  }
  return s === 0 ? d : d / s;
}

const rows = (m: Mat): Float64Array[] => Array.from({ length: m.rows }, (_, i) => m.data.subarray(i * m.cols, (i + 1) * m.cols));

function normalMat(rng: Rng, r: number, c: number): Mat {
  const m = mat(r, c);
  rng.fillNormal(m.data);
  return m;
}

const ACTIVATIONS = ['relu', 'abs', 'leaky_relu:0.2', 'erf', 'tanh', 'gelu', 'identity', 'softplus:2', 'x^2/4 + sin(x)'];
const parameterization = fc.oneof(
  fc.constantFrom('ntk', 'standard', 'meanfield', 'geiger', 'ip'),
  fc.record({ a: fc.constantFrom(0, 0.5), b: fc.constantFrom(0, 0.5), c: fc.constantFrom(0, 1) }),
);
const architecture = fc.record({
  depth: fc.integer({ min: 0, max: 3 }),
  inputDim: fc.integer({ min: 1, max: 6 }),
  width: fc.constantFrom(8, 48, 64, 96),
  outputDim: fc.integer({ min: 1, max: 2 }),
  activation: fc.constantFrom(...ACTIVATIONS),
  parameterization,
  biasStd: fc.constantFrom(0, 0.5),
  alpha: fc.constantFrom(1, 0.25, 3),
  centred: fc.boolean(),
  seed: fc.integer({ min: 0, max: 1e6 }),
});

type Case = typeof architecture extends fc.Arbitrary<infer T> ? T : never;

/** One random architecture: fused forward, backward, NTK and outputs against the reference. */
function checkMlp(c: Case): void {
  const o: ArchitectureOptions = { ...c, activation: parseActivation(c.activation) };
  const arch = buildArchitecture(o);
  const net = buildNetwork(o);
  const rng = new Rng(`reference-${c.seed}`);
  const params = initParams(arch, rng.child('init'));
  const n = 32;
  const x = normalMat(rng.child('x'), n, c.inputDim);
  const G = normalMat(rng.child('g'), n, c.outputDim);
  // forward and backward (seed G: Σ_i G_i · ∂F(x_i)/∂θ)
  const ws = createWorkspace(arch, n);
  const F = forwardCached(arch, params, x, ws, true);
  ws.delta[arch.layers.length - 1].data.set(G.data);
  const { params: grads } = allocParams(arch);
  backward(arch, params, x, ws, grads);
  const refF: number[] = [];
  const refGrads = zeroGrads(params);
  rows(x).forEach((xi, i) => {
    const r = referenceVjp(net, params, xi, G.data.subarray(i * c.outputDim, (i + 1) * c.outputDim));
    refF.push(...r.out);
    r.grads.W.forEach((w, l) => w.data.forEach((v, q) => { refGrads.W[l].data[q] += v; }));
    r.grads.b.forEach((b, l) => b?.forEach((v, q) => { refGrads.b[l]![q] += v; }));
  });
  expect(relErr(F.data, refF), 'F').toBeLessThanOrEqual(TOL);
  grads.W.forEach((w, l) => expect(relErr(w.data, refGrads.W[l].data), `∂W${l}`).toBeLessThanOrEqual(TOL));
  grads.b.forEach((b, l) => { if (b) expect(relErr(b, refGrads.b[l]!), `∂b${l}`).toBeLessThanOrEqual(TOL); });
  // empirical NTK on the first 5 points against the next 3
  const xa = mat(5, c.inputDim, x.data.slice(0, 5 * c.inputDim));
  const xb = mat(3, c.inputDim, x.data.slice(5 * c.inputDim, 8 * c.inputDim));
  expect(relErr(empiricalNtk(arch, params, xa, xb).data, referenceNtk(net, params, rows(xa), rows(xb))), 'NTK').toBeLessThanOrEqual(TOL);
  // outputs f = α (F − [centred] F_θ0) after one perturbation of θ
  const p0 = initParams(arch, rng.child('init'));
  const network = createNetwork(arch, p0, { train: x });
  network.params.W.forEach((w, l) => w.data.forEach((v, q) => { w.data[q] = v + 0.1 * grads.W[l].data[q]; }));
  const ref = rows(x).flatMap((xi) => Array.from(referenceOutput(net, network.params, initParams(arch, rng.child('init')), xi)));
  expect(relErr(network.outputs(x).data, ref), 'f').toBeLessThanOrEqual(TOL);
}

/** Residual and plain deep linear networks: the linear trainer's loss gradient against the reference. */
function checkLinear(c: { depth: number; inputDim: number; width: number; residual: boolean; ntk: boolean; outputDim: number; seed: number }): void {
  const net = deepLinearNetwork({
    inputDim: c.inputDim, width: c.width, depth: c.depth, gamma0: 1.3, parameterization: c.ntk ? 'ntk' : 'meanfield',
    outputDim: c.outputDim, ...(c.residual ? { residual: { beta0: 0.7 } } : {}),
  });
  const s = linearNetSpecOf(net);
  const rng = new Rng(`linear-${c.seed}`);
  const p = initLinearNet(s, rng.child('init'));
  const n = 24;
  const X = normalMat(rng.child('x'), n, c.inputDim);
  const Y = normalMat(rng.child('y'), n, c.outputDim);
  const { grads, out } = lossAndGradient(s, p, X, Y);
  const params = { W: p.W, b: p.W.map(() => null) };
  const refGrads = zeroGrads(params);
  rows(X).forEach((xi, i) => {
    const f = referenceForward(net, params, xi).out;
    const g = f.map((v, a) => (v - Y.data[i * c.outputDim + a]) / n);
    expect(relErr(out.data.subarray(i * c.outputDim, (i + 1) * c.outputDim), f), 'f').toBeLessThanOrEqual(TOL);
    referenceVjp(net, params, xi, g).grads.W.forEach((w, l) => w.data.forEach((v, q) => { refGrads.W[l].data[q] += v; }));
  });
  grads.forEach((w, l) => expect(relErr(w.data, refGrads.W[l].data), `∂W${l}`).toBeLessThanOrEqual(TOL));
}

const linearCase = fc.record({
  depth: fc.integer({ min: 1, max: 4 }), inputDim: fc.integer({ min: 1, max: 6 }), width: fc.constantFrom(8, 48, 80),
  residual: fc.boolean(), ntk: fc.boolean(), outputDim: fc.integer({ min: 1, max: 2 }), seed: fc.integer({ min: 0, max: 1e6 }),
});

const ENGINES: EngineKind[] = nativeAvailable() ? ['wasm', 'native'] : ['wasm'];

describe.each(ENGINES)('the fused paths on the %s engine agree with the plain reference (relative error ≤ 1e-12)', (kind) => {
  let previous: EngineKind;
  beforeAll(() => { previous = setEngine(kind); });
  afterAll(() => { setEngine(previous); });

  it('MLPs: forward, backward, empirical NTK and the α/centred outputs, over random architectures', () => {
    expect(engine()).toBe(kind);
    fc.assert(fc.property(architecture, (c) => checkMlp(c)), { numRuns: 24, seed: 11 });
  });

  it('deep linear networks, plain and residual: outputs and loss gradient of the linear trainer', () => {
    fc.assert(fc.property(linearCase, (c) => checkLinear(c)), { numRuns: 24, seed: 12 });
  });
});
