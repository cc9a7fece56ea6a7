/**
 * Independent reference implementations for the finite-network tests: a naive forward pass on
 * nested number arrays (no gemm, no workspaces) and the training loss written from theory/conventions.md#losses and #layer-form
 * directly, used for finite differences and explicit Jacobians.
 */
import { type Mat, mat } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import type { Dataset } from '../../src/data/dataset.js';
import { parseActivation } from '../../src/finite/activation.js';
import type { Architecture } from '../../src/finite/architecture.js';
import { type ArchitectureOptions, buildArchitecture } from '../../src/finite/parameterization.js';
import type { Params } from '../../src/finite/params.js';

/** Parameters as nested arrays: W[l][i][j], b[l][i] | null. */
export interface NaiveParams {
  W: number[][][];
  b: (number[] | null)[];
}

export function toNaive(p: Params): NaiveParams {
  return {
    W: p.W.map((w) => Array.from({ length: w.rows }, (_, i) => Array.from(w.data.subarray(i * w.cols, (i + 1) * w.cols)))),
    b: p.b.map((b) => (b ? Array.from(b) : null)),
  };
}

/** F(x) and every hidden pre-activation, by the definition z = m W a + β b, a = φ(z). */
export function naiveForward(arch: Architecture, p: NaiveParams, x: number[]): { F: number[]; z: number[] } {
  let a = x;
  const zs: number[] = [];
  const L = arch.layers.length - 1;
  arch.layers.forEach((lay, l) => {
    const z: number[] = [];
    for (let i = 0; i < lay.nOut; i++) {
      let s = 0;
      for (let j = 0; j < lay.nIn; j++) s += p.W[l][i][j] * a[j];
      s *= lay.multiplier;
      const b = p.b[l];
      if (b && lay.bias) s += lay.bias.multiplier * b[i];
      z.push(s);
    }
    if (l < L) {
      zs.push(...z);
      a = z.map(arch.activation.f);
    } else a = z;
  });
  return { F: a, z: zs };
}

export function rows(m: Mat): number[][] {
  return Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
}

/** ℓ per output entry, written out independently of src/finite/loss.ts. */
export function naivePointLoss(kind: string, f: number, y: number, beta = 20): number {
  switch (kind) {
    case 'mse': return 0.5 * (f - y) ** 2;
    case 'hinge': return Math.max(0, 1 - f * y);
    case 'soft-hinge': return logOnePlusExp(beta * (1 - f * y)) / beta;
    case 'logistic': return logOnePlusExp(-f * y);
    default: throw new Error(kind);
  }
}

/** log(1 + e^u) = max(u, 0) + log(1 + e^{−|u|}). */
function logOnePlusExp(u: number): number {
  return Math.max(u, 0) + Math.log(1 + Math.exp(-Math.abs(u)));
}

/** Loss = (1/(α² n)) Σ_i Σ_a ℓ(α(F − [c]F0), y). */
export function naiveLoss(
  arch: Architecture, kind: string, p: NaiveParams, p0: NaiveParams | null, x: number[][], y: number[][], beta = 20,
): number {
  let s = 0;
  x.forEach((xi, i) => {
    const F = naiveForward(arch, p, xi).F;
    const F0 = arch.centred && p0 ? naiveForward(arch, p0, xi).F : null;
    F.forEach((Fa, a) => {
      const f = arch.alpha * (Fa - (F0 ? F0[a] : 0));
      s += naivePointLoss(kind, f, y[i][a], beta);
    });
  });
  return s / (arch.alpha * arch.alpha * x.length);
}

/** A Gaussian matrix from a named stream. */
export function gaussian(rng: Rng, r: number, c: number, std = 1): Mat {
  return mat(r, c, rng.fillNormal(new Float64Array(r * c), std));
}

export const ACTIVATIONS = ['relu', 'leaky_relu:0.1', 'abs', 'erf', 'tanh', 'gelu', 'softplus:2', 'identity', 'x^3 + sin(x)'];
export const PARAMETERIZATIONS: ArchitectureOptions['parameterization'][] = [
  'ntk', 'standard', 'meanfield', 'ip', 'ip-llr', 'geiger', 'theta', { a: [0, 0.5, 0.5], b: [0, 0, 0.5], c: 0, cm: 1.3, cs: 0.9 },
];
export const LOSSES = ['mse', 'hinge', 'soft-hinge', 'logistic'] as const;

/** A small architecture (theta forces depth 1; the abc object has three layers, so depth 2). */
export function smallArch(
  activation: string,
  parameterization: ArchitectureOptions['parameterization'],
  o: Partial<ArchitectureOptions> = {},
): Architecture {
  return buildArchitecture({
    inputDim: 3,
    outputDim: 1,
    width: 5,
    depth: parameterization === 'theta' ? 1 : 2,
    activation: parseActivation(activation),
    parameterization,
    ...o,
  });
}

/** n Gaussian inputs in dimension d with targets ±1 (k columns), and a test set of nTest. */
export function smallData(seed: string, n: number, d: number, k = 1, nTest = 3): Dataset {
  const rng = new Rng(seed);
  const sign = (m: Mat) => { for (let i = 0; i < m.data.length; i++) m.data[i] = rng.sign(); return m; };
  return {
    x: gaussian(rng.child('x'), n, d),
    y: sign(mat(n, k)),
    xTest: gaussian(rng.child('xt'), nTest, d),
    yTest: sign(mat(nTest, k)),
    description: `test data ${seed}`,
  };
}

/** Least-squares slope of y against x. */
export function fitSlope(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n, my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ** 2; }
  return sxy / sxx;
}
