/**
 * Each layer's kernel map: one step of the NNGP/NTK recursion on a pair of inputs (x, x')
 * (theory/ntk.md#general-layers; Jacot et al. 2018, arXiv 1806.07572, Thm 1; Arora et al. 2019,
 * arXiv 1904.11955, Eq. (4)–(5); the rate weighting of theory/conventions.md#notation). The state is the
 * kernel K of the current representation on (x, x), (x, x'), (x', x') and its rate-weighted tangent
 * kernel Θ on (x, x'); the input is K = x·x'/d, Θ = 0.
 *
 * - dense (m, s, r, β, sb, rb; n = n_in): K ← wv K + bv, Θ ← wt K + bt + wv Θ, with
 *   wv = m² s² n, bv = β² sb², wt = r m² n, bt = rb β² ({@link denseKernelScales});
 * - φ: K ← E[φ(u)φ(v)], Θ ← Θ · E[φ'(u)φ'(v)] for (u, v) ~ N(0, K) (the dual activation, which
 *   src/limits/ntk supplies: this layer names the map, the limits hold the closed forms);
 * - residual: state ← skip·state + branch(state) (the cross terms vanish: the branch's weights are
 *   centred and independent of the rest);
 * - output: K ← α² K (0 when centred: f_0 = 0); Θ unchanged — with the loss divided by α² the
 *   function-space dynamics use Θ of F (theory/conventions.md#presets).
 *
 * This is the plain, per-pair reading; the NTK limit's fused matrix recursion (src/limits/ntk/kernels.ts)
 * runs on the same scales and is checked against it (test/finite/layers/kernelMap.test.ts).
 */
import { InputError } from '../../core/errors.js';
import type { Activation } from '../activation.js';
import type { DenseLayer, Layer, Serial } from './layer.js';

/** The four numbers of a dense layer's kernel step (see the file comment). */
export interface KernelScales {
  readonly weightVar: number;
  readonly biasVar: number;
  readonly weightTangent: number;
  readonly biasTangent: number;
}

/** wv = m² s² n_in, bv = β² sb², wt = r m² n_in, bt = rb β². */
export function denseKernelScales(lay: DenseLayer): KernelScales {
  const m2n = lay.multiplier * lay.multiplier * lay.nIn;
  const b = lay.bias;
  return {
    weightVar: m2n * lay.initStd * lay.initStd,
    biasVar: b ? b.multiplier * b.multiplier * b.initStd * b.initStd : 0,
    weightTangent: lay.rate * m2n,
    biasTangent: b ? b.rate * b.multiplier * b.multiplier : 0,
  };
}

/** out = (E[φ(u)φ(v)], E[φ'(u)φ'(v)]) for (u, v) ~ N(0, [[l11, l12], [l12, l22]]); `diag`: u = v. */
export interface DualMap {
  pair(l11: number, l12: number, l22: number, out: Float64Array): void;
  diag(l11: number, out: Float64Array): void;
}

/** Kernels of one representation on the pair (x, x'). */
export interface PairKernel {
  readonly k11: number;
  readonly k12: number;
  readonly k22: number;
  /** Θ(x, x'). */
  readonly theta: number;
}

/** The state before the first layer: K = x·x'/d, Θ = 0. */
export function inputKernel(x: ArrayLike<number>, x2: ArrayLike<number>): PairKernel {
  const d = x.length;
  let k11 = 0, k12 = 0, k22 = 0;
  for (let i = 0; i < d; i++) {
    k11 += x[i] * x[i];
    k12 += x[i] * x2[i];
    k22 += x2[i] * x2[i];
  }
  const c = d > 0 ? 1 / d : 0;
  return { k11: k11 * c, k12: k12 * c, k22: k22 * c, theta: 0 };
}

/** One layer's kernel map (see the file comment); `dual` gives φ's dual activation. */
export function kernelStep(layer: Layer, s: PairKernel, dual: (a: Activation) => DualMap): PairKernel {
  switch (layer.kind) {
    case 'dense': {
      const { weightVar: wv, biasVar: bv, weightTangent: wt, biasTangent: bt } = denseKernelScales(layer);
      return { k11: wv * s.k11 + bv, k12: wv * s.k12 + bv, k22: wv * s.k22 + bv, theta: wt * s.k12 + bt + wv * s.theta };
    }
    case 'activation': {
      const map = dual(layer.activation);
      const e = new Float64Array(2), e1 = new Float64Array(2), e2 = new Float64Array(2);
      map.pair(s.k11, s.k12, s.k22, e);
      map.diag(s.k11, e1);
      map.diag(s.k22, e2);
      return { k11: e1[0], k12: e[0], k22: e2[0], theta: s.theta * e[1] };
    }
    case 'residual': {
      const b = kernelMap(layer.branch, s, dual);
      const k = layer.skip;
      return { k11: k * s.k11 + b.k11, k12: k * s.k12 + b.k12, k22: k * s.k22 + b.k22, theta: k * s.theta + b.theta };
    }
    case 'output': {
      const a2 = layer.centred ? 0 : layer.alpha * layer.alpha;
      return { k11: a2 * s.k11, k12: a2 * s.k12, k22: a2 * s.k22, theta: s.theta };
    }
    case 'conv2d':
    case 'pool':
      throw new InputError('model.conv', 'no infinite-width kernel for convolutional networks: their kernel map (per pair of positions) is not computed here (theory/finite.md#convolution)');
    default: {
      const never: never = layer;
      throw new RangeError(`kernelStep: unknown layer ${JSON.stringify(never)}`);
    }
  }
}

/** The composition of the layers' kernel maps from state `s`. */
export function kernelMap(layers: readonly Layer[], s: PairKernel, dual: (a: Activation) => DualMap): PairKernel {
  return layers.reduce((state, l) => kernelStep(l, state, dual), s);
}

/** NNGP and NTK of `net`'s raw output F (output layer skipped) on x_i, x2_j (rows, n × d and m × d): n × m each. */
export function networkKernels(net: Serial, x: Float64Array[], x2: Float64Array[], dual: (a: Activation) => DualMap): { nngp: number[][]; ntk: number[][] } {
  const body = net.layers.filter((l) => l.kind !== 'output');
  const nngp = x.map(() => new Array<number>(x2.length).fill(0));
  const ntk = x.map(() => new Array<number>(x2.length).fill(0));
  x.forEach((xi, i) => x2.forEach((xj, j) => {
    const k = kernelMap(body, inputKernel(xi, xj), dual);
    nngp[i][j] = k.k12;
    ntk[i][j] = k.theta;
  }));
  return { nngp, ntk };
}
