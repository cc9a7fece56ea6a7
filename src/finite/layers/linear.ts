/**
 * Deep linear networks as layers (theory/deeplinear.md#single-site; theory/deeplinear.md#residual-kernel), and the two
 * readings of them outside the MLP trainer: the residual linear trainer's {@link LinearNetSpec}
 * (src/finite/residualLinear.ts) and the deep-linear limit's view (depth, plain or residual with β0).
 *
 *   h^1 = m_in W^0 x,   h^{l+1} = skip · h^l + m_hid W^l h^l  (l = 1..blocks),   f = m_out W^out h^last
 *
 * μP (`meanfield`): m_in = 1/√D, m_hid = β/√N, m_out = 1/(γ0 N), every rate γ0² N, with β = β0/√L and
 * skip 1 for the residual network (L blocks), β = 1 and skip 0 for the plain one (L − 1 blocks);
 * `ntk` is the same with γ0 = 1/√N. No φ (a linear network), no biases, weights N(0, 1).
 */
import { InputError, requirePositive, requirePositiveInt } from '../../core/errors.js';
import type { LinearNetSpec } from '../residualLinear.js';
import type { DenseLayer, Layer, ResidualLayer, Serial } from './layer.js';

export type LinearParameterization = 'meanfield' | 'ntk';

export interface DeepLinearOptions {
  inputDim: number;
  width: number;
  depth: number;
  gamma0: number;
  parameterization: LinearParameterization;
  residual?: { beta0: number };
  outputDim?: number;
}

const linear = (nIn: number, nOut: number, multiplier: number, rate: number): DenseLayer => ({
  kind: 'dense', nIn, nOut, multiplier, initStd: 1, initMean: 0, rate, bias: null,
});

/** The μP / NTK deep linear network at width N (see the file comment). */
export function deepLinearNetwork(o: DeepLinearOptions): Serial {
  const N = requirePositiveInt('model.width', o.width);
  const L = requirePositiveInt('model.depth', o.depth);
  const D = requirePositiveInt('data.dim', o.inputDim);
  const k = o.outputDim ?? 1;
  const g0 = o.parameterization === 'ntk' ? 1 / Math.sqrt(N) : requirePositive('model.gamma0', o.gamma0);
  const rate = g0 * g0 * N;
  const beta = o.residual ? o.residual.beta0 / Math.sqrt(L) : 1;
  const hidden = linear(N, N, beta / Math.sqrt(N), rate);
  const blocks: Layer[] = [];
  for (let l = 0; l < (o.residual ? L : L - 1); l++) {
    blocks.push(o.residual
      ? { kind: 'residual', skip: 1, branchScale: beta, branch: [hidden], depthScaled: { beta0: o.residual.beta0, blocks: L } }
      : hidden);
  }
  return {
    inputDim: D, outputDim: k, width: N, preset: o.parameterization,
    layers: [linear(D, N, 1 / Math.sqrt(D), rate), ...blocks, linear(N, k, 1 / (g0 * N), rate), { kind: 'output', alpha: 1, centred: false }],
  };
}

/** The hidden dense layer of a block (a dense layer, or a residual block around one). */
function blockDense(l: Layer): { dense: DenseLayer; skip: 0 | 1 } | null {
  if (l.kind === 'dense') return { dense: l, skip: 0 };
  if (l.kind === 'residual' && l.branch.length === 1 && l.branch[0].kind === 'dense') return { dense: l.branch[0], skip: l.skip };
  return null;
}

/**
 * The residual linear trainer's description of `net`: dense, then blocks of one square dense layer
 * (all alike, all plain or all residual), then the readout dense; φ layers must be the identity.
 */
export function linearNetSpecOf(net: Serial): LinearNetSpec {
  const body = net.layers.filter((l) => !(l.kind === 'output' || (l.kind === 'activation' && l.activation.family.kind === 'identity')));
  const first = body[0], last = body[body.length - 1];
  if (body.length < 2 || first.kind !== 'dense' || last.kind !== 'dense') throw new InputError('model', 'a linear network is dense, blocks, dense');
  const blocks = body.slice(1, -1).map(blockDense);
  const b0 = blocks[0];
  for (const b of blocks) {
    if (!b || !b0 || b.skip !== b0.skip || b.dense.multiplier !== b0.dense.multiplier || b.dense.rate !== b0.dense.rate) {
      throw new InputError('model', 'the linear trainer needs identical hidden blocks of one square dense layer');
    }
  }
  return {
    inputDim: net.inputDim,
    outputDim: net.outputDim,
    width: net.width,
    blocks: blocks.length,
    skip: b0?.skip ?? 0,
    multipliers: { input: first.multiplier, hidden: b0 ? b0.dense.multiplier : 1 / Math.sqrt(net.width), output: last.multiplier },
    rates: { input: first.rate, hidden: b0 ? b0.dense.rate : first.rate, output: last.rate },
  };
}

/** What the deep-linear limit reads of a linear network: L, and plain or residual with β0. */
export interface DeepLinearView {
  /** Hidden layers (plain) or residual blocks (residual). */
  readonly depth: number;
  readonly architecture: { kind: 'plain' } | { kind: 'residual'; beta0: number };
}

/** The deep-linear limit's view of `net` (see {@link DeepLinearView}). */
export function deepLinearView(net: Serial): DeepLinearView {
  const res = net.layers.filter((l): l is ResidualLayer => l.kind === 'residual' && l.skip === 1);
  if (res.length > 0) {
    const s = res[0].depthScaled;
    if (!s || res.some((r) => r.depthScaled?.beta0 !== s.beta0)) throw new InputError('model', 'residual blocks need one depth-μP branch scale β0/√L');
    return { depth: res.length, architecture: { kind: 'residual', beta0: s.beta0 } };
  }
  const dense = net.layers.filter((l) => l.kind === 'dense' || l.kind === 'residual').length;
  return { depth: dense - 1, architecture: { kind: 'plain' } };
}
