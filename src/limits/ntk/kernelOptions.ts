/**
 * What the analytic kernel recursion needs to know about a network, and how one
 * {@link Architecture} (the same value the finite network reads, theory/conventions.md#layer-form) maps to it.
 *
 * A layer l = 1..L+1 computing z = m W a + β b (W ~ N(0, s²), b ~ N(0, sb²), rates r, rb), with
 * K^{l−1}(x, x') = E[a(x)·a(x')]/n_{l−1} (K⁰ = x·x'/d) and K̇^{l−1} = E[φ'φ'] (theory/ntk.md#general-layers):
 *
 *   Σ^l = weightVar · K^{l−1} + biasVar,                 weightVar = m² s² n_{l−1},  biasVar = β² sb²,
 *   Θ^l = weightTangent · K^{l−1} + biasTangent + weightVar · K̇^{l−1} · Θ^{l−1},
 *         weightTangent = r m² n_{l−1},  biasTangent = rb β²,
 *
 * i.e. the recursion of theory/ntk.md#recursion (Jacot et al. 2018, arXiv 1806.07572, Thm 1; Arora et al. 2019,
 * arXiv 1904.11955, Eq. (4)–(5)) with the rate weighting of theory/conventions.md#notation. For the `ntk` preset
 * weightVar = weightTangent = σ_w², biasVar = biasTangent = σ_b² (exactly theory/ntk.md#recursion). Presets
 * where these numbers grow or vanish with the width have no width-independent kernel: `standard`
 * and `theta` are mapped at the architecture's finite width (for finite-width comparisons only),
 * `ip`/`ip-llr` and non-centred inits are refused.
 */
import { type Activation, parseActivation } from '../../finite/activation.js';
import type { Architecture } from '../../finite/architecture.js';
import { fromArchitecture } from '../../finite/layers/build.js';
import { type KernelScales, denseKernelScales } from '../../finite/layers/kernelMap.js';
import { type Serial, denseLayers } from '../../finite/layers/layer.js';
import { presetNamed } from '../../finite/layers/presets/index.js';
import { InputError, requireFinite, requireNonNegative, requirePositiveInt, show } from '../../core/errors.js';

/** Scales of one layer (see the file comment; the dense layer's kernel step, src/finite/layers/kernelMap.ts). */
export type KernelLayer = KernelScales;

const IDENTITY = parseActivation('identity');

export interface KernelOptions {
  /** L, the number of hidden layers. */
  depth: number;
  activation: Activation;
  /** σ_w. */
  weightStd: number;
  /** σ_b. */
  biasStd: number;
  /**
   * `ntk`: the width-independent kernel of theory/ntk.md#recursion. `standard`: the rate-weighted tangent
   * kernel of the standard parameterization at width `width`, whose weight terms are n_{l−1}·K
   * instead of σ_w²·K (neural-tangents' "standard" convention; it grows linearly with the width
   * and has no infinite-width limit — use it only to compare with finite networks of that width).
   */
  parameterization: 'ntk' | 'standard';
  /** Hidden width h (required by `standard`). */
  width?: number;
  /** Explicit per-layer scales (L+1 entries, input to output); overrides the four fields above. */
  layers?: readonly KernelLayer[];
  /** Gauss–Hermite nodes per dimension for activations without a closed form (default 96). */
  quadratureNodes?: number;
  /** Notes carried into the result's warnings (e.g. from {@link kernelOptionsFromArchitecture}). */
  notes?: readonly string[];
}

/** The L+1 layer scales of `opts` for inputs of dimension d. */
export function resolveLayers(opts: KernelOptions, d: number): KernelLayer[] {
  const L = requireNonNegativeInt('model.depth', opts.depth);
  if (opts.layers) {
    if (opts.layers.length !== L + 1) {
      throw new InputError('kernel.layers', `must have depth + 1 = ${L + 1} entries, got ${opts.layers.length}`);
    }
    opts.layers.forEach((l, i) => {
      for (const k of ['weightVar', 'biasVar', 'weightTangent', 'biasTangent'] as const) {
        requireNonNegative(`kernel.layers[${i}].${k}`, l[k]);
      }
    });
    return [...opts.layers];
  }
  const sw = requireFinite('model.weightStd', opts.weightStd);
  const sb = requireFinite('model.biasStd', opts.biasStd);
  const wv = sw * sw;
  const bv = sb * sb;
  const out: KernelLayer[] = [];
  switch (opts.parameterization) {
    case 'ntk':
      for (let l = 0; l <= L; l++) out.push({ weightVar: wv, biasVar: bv, weightTangent: wv, biasTangent: bv });
      return out;
    case 'standard': {
      if (opts.width === undefined) {
        throw new InputError('model.width', 'the standard parameterization has a width-dependent NTK: give the width');
      }
      const h = requirePositiveInt('model.width', opts.width);
      for (let l = 0; l <= L; l++) {
        out.push({ weightVar: wv, biasVar: bv, weightTangent: l === 0 ? d : h, biasTangent: sb > 0 ? 1 : 0 });
      }
      return out;
    }
    default: {
      const never: never = opts.parameterization;
      throw new InputError('model.parameterization', `kernels exist for ntk or standard, got ${show(never)}`);
    }
  }
}

function requireNonNegativeInt(where: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new InputError(where, `must be a non-negative integer, got ${show(v)}`);
  }
  return v;
}

/**
 * Kernel options read off an architecture: per-layer scales of its dense layers
 * (src/finite/layers/kernelMap.ts, exactly as the finite network uses (m_l, s_l, r_l, bias)), so that the analytic
 * kernel is the h → ∞ mean of that network's rate-weighted empirical NTK (src/finite/fused/ntk.ts) — at the
 * architecture's own width for the width-dependent presets. No α: with f = α(F − [centred]F0) and the
 * loss divided by α², the function-space dynamics use Θ of F (theory/conventions.md#presets), so the kernel —
 * and the limit — do not depend on α. The preset's own kernel note (presets/*.ts) goes into the
 * warnings; InputError when the preset refuses (no NTK limit) or the init is not centred.
 */
export function kernelOptionsFromArchitecture(arch: Architecture): KernelOptions {
  return kernelOptionsFromNetwork(fromArchitecture(arch), arch.activation);
}

/**
 * {@link kernelOptionsFromArchitecture} of a network given as layers (an MLP: dense and φ alternating);
 * `activation` names φ when the network has no hidden layer (default identity).
 */
export function kernelOptionsFromNetwork(net: Serial, activation?: Activation): KernelOptions {
  const notes: string[] = [];
  const said = presetNamed(net.preset)?.kernel?.(net.width);
  if (said && 'refuse' in said) throw new InputError('model.parameterization', said.refuse);
  if (said) notes.push(said.note);
  const dense = denseLayers(net.layers);
  const layers = dense.map((lay, i): KernelLayer => {
    if (lay.initMean !== 0) {
      throw new InputError(
        'model.initMean',
        `layer ${i + 1} has a non-centred initialization (mean ${lay.initMean}): no NTK limit (the kernel recursion assumes zero-mean weights)`,
      );
    }
    return denseKernelScales(lay);
  });
  if (net.firstStepRates) notes.push('first-step rates (ip-llr) are ignored by the kernel: it uses the steady rates');
  const phi = net.layers.find((l) => l.kind === 'activation');
  const first = dense[0];
  return {
    depth: dense.length - 1,
    activation: phi?.kind === 'activation' ? phi.activation : activation ?? IDENTITY,
    weightStd: Math.sqrt(layers[0].weightVar),
    biasStd: first.bias ? Math.sqrt(layers[0].biasVar) : 0,
    parameterization: net.preset === 'standard' ? 'standard' : 'ntk',
    width: net.width,
    layers,
    notes,
  };
}
