/**
 * Parameterizations: every preset of theory/conventions.md#presets as a choice of (m_l, s_l, r_l), plus the explicit
 * width-exponent ("abc", Yang–Hu 2021, arXiv 2011.14522 §3) form `m_l = c^m_l h^{−a_l}`,
 * `s_l = c^s_l h^{−b_l}`, `r_l = h^{−c_l}`.
 *
 * | preset    | source |
 * |-----------|--------|
 * | ntk       | Jacot, Gabriel, Hongler 2018 (arXiv 1806.07572), Eq. (1) |
 * | standard  | usual PyTorch-style init; its NTK grows with width |
 * | meanfield | Bordelon–Pehlevan 2022 (arXiv 2205.09653) §2; = μP of Yang–Hu 2021 |
 * | ip, ip-llr| Hajjar, Chizat, Giraud 2021 (arXiv 2110.15596) §3 and their code |
 * | geiger    | Geiger, Spigler, Jacot, Wyart 2020 (arXiv 1906.08034) §2 |
 * | theta     | Luo, Xu, Ma, Zhang 2021 (JMLR 22:71) Eq. (2); Li, Luo, Zhou 2024 (arXiv 2404.04859) |
 */
import { InputError, show, requireFinite, requirePositive } from '../core/errors.js';
import type { Activation } from './activation.js';
import type { Architecture, LayerParams } from './architecture.js';

export const PRESETS = ['ntk', 'standard', 'meanfield', 'ip', 'ip-llr', 'geiger', 'theta'] as const;
export type Preset = (typeof PRESETS)[number];

/** Explicit width exponents; each entry is a number (all layers) or an array of L+1 numbers. */
export interface AbcParameterization {
  a: number | number[];
  b: number | number[];
  c: number | number[];
  /** c^m_l (default 1). */
  cm?: number | number[];
  /** c^s_l (default 1). */
  cs?: number | number[];
}

/** Exponents of the `theta` preset: β_1 = m^{−p1}, β_2 = m^{−p2}, α = m^{q} (Luo et al. 2021). */
export interface ThetaExponents {
  p1: number;
  p2: number;
  q: number;
}

export interface ArchitectureOptions {
  inputDim: number;
  outputDim: number;
  width: number;
  depth: number;
  activation: Activation;
  parameterization: Preset | AbcParameterization;
  /** σ_w (default 1). */
  weightStd?: number;
  /** σ_b (default 0: no biases, except where the preset has its own). */
  biasStd?: number;
  /** Output scale α (default 1). */
  alpha?: number;
  /** f = α(F − F_{θ0}) (default: true for geiger, false otherwise). */
  centred?: boolean;
  /** γ0 of the meanfield preset (default 1). */
  gamma0?: number;
  /** Exponents of the theta preset. */
  theta?: ThetaExponents;
  /** ip variants: init mean of every weight (non-centred init, e.g. 1), and biases in all layers unscaled. */
  initMean?: number;
  ipUnscaledBiases?: boolean;
}

/** σ of the `ip` preset as in the authors' code: 2 for ReLU-like, 4 for GELU, 1 for tanh/ELU (σ²). */
export function ipSigma(act: Activation): number {
  const fam = act.family;
  if (fam.kind === 'abrelu') return Math.SQRT2;
  if (act.name === 'gelu') return 2;
  return 1;
}

function perLayer(where: string, v: number | number[] | undefined, L1: number, dflt: number): number[] {
  if (v === undefined) return new Array(L1).fill(dflt);
  if (typeof v === 'number') return new Array(L1).fill(requireFinite(where, v));
  if (!Array.isArray(v) || v.length !== L1) {
    throw new InputError(where, `must be a number or an array of ${L1} numbers (one per layer), got ${show(v)}`);
  }
  return v.map((x, i) => requireFinite(`${where}[${i}]`, x));
}

/** Resolve a preset or an abc object into per-layer numbers. */
export function buildArchitecture(o: ArchitectureOptions): Architecture {
  const { inputDim: d, outputDim: k, width: h, depth: L, activation } = o;
  const sw = o.weightStd ?? 1;
  const sb = o.biasStd ?? 0;
  const alpha = requirePositive('model.alpha', o.alpha ?? 1);
  const nIn = (l: number) => (l === 0 ? d : h);
  const nOut = (l: number) => (l === L ? k : h);
  const L1 = L + 1;
  const layers: LayerParams[] = [];
  const p = o.parameterization;
  let centred = o.centred ?? false;
  let firstStepRates: Architecture['firstStepRates'];
  let name: string;

  const push = (l: number, multiplier: number, initStd: number, rate: number, bias: LayerParams['bias'], initMean = 0) =>
    layers.push({ nIn: nIn(l), nOut: nOut(l), multiplier, initStd, initMean, rate, bias });

  if (typeof p === 'object' && p !== null) {
    name = 'abc';
    const a = perLayer('model.parameterization.a', p.a, L1, 0);
    const b = perLayer('model.parameterization.b', p.b, L1, 0);
    const c = perLayer('model.parameterization.c', p.c, L1, 0);
    const cm = perLayer('model.parameterization.cm', p.cm, L1, 1);
    const cs = perLayer('model.parameterization.cs', p.cs, L1, 1);
    for (let l = 0; l < L1; l++) {
      const bias = sb > 0 ? { multiplier: sb, initStd: 1, rate: Math.pow(h, -c[l]) } : null;
      push(l, cm[l] * Math.pow(h, -a[l]), cs[l] * Math.pow(h, -b[l]), Math.pow(h, -c[l]), bias);
    }
  } else {
    name = p;
    switch (p) {
      case 'ntk':
        for (let l = 0; l < L1; l++) {
          push(l, sw / Math.sqrt(nIn(l)), 1, 1, sb > 0 ? { multiplier: sb, initStd: 1, rate: 1 } : null);
        }
        break;
      case 'standard':
        for (let l = 0; l < L1; l++) {
          push(l, 1, sw / Math.sqrt(nIn(l)), 1, sb > 0 ? { multiplier: 1, initStd: sb, rate: 1 } : null);
        }
        break;
      case 'geiger':
        centred = o.centred ?? true;
        for (let l = 0; l < L1; l++) push(l, sw / Math.sqrt(nIn(l)), 1, 1, null);
        break;
      case 'meanfield': {
        const g0 = requirePositive('model.gamma0', o.gamma0 ?? 1);
        const rate = g0 * g0 * h;
        for (let l = 0; l < L1; l++) {
          const m = l === L ? 1 / (g0 * h) : sw / Math.sqrt(nIn(l));
          push(l, m, 1, rate, sb > 0 ? { multiplier: sb, initStd: 1, rate } : null);
        }
        break;
      }
      case 'ip':
      case 'ip-llr': {
        const sigma = o.weightStd ?? ipSigma(activation);
        const mu = o.initMean ?? 0;
        const w: number[] = [];
        const wb: number[] = [];
        for (let l = 0; l < L1; l++) {
          const first = l === 0;
          const last = l === L;
          const m = first ? 1 : 1 / h;
          const s = first ? sigma / Math.sqrt(d + 1) : sigma;
          const rate = first || last ? h : h * h;
          let bias: LayerParams['bias'] = null;
          if (first) bias = { multiplier: 1, initStd: sigma / Math.sqrt(d + 1), rate };
          else if (o.ipUnscaledBiases) bias = { multiplier: 1, initStd: 1, rate };
          push(l, m, s, rate, bias, mu);
          const llr = first || last ? Math.pow(h, (L + 1) / 2) : Math.pow(h, (L + 2) / 2);
          w.push(llr);
          wb.push(llr);
        }
        if (p === 'ip-llr') firstStepRates = { weights: w, biases: wb };
        break;
      }
      case 'theta': {
        if (L !== 1) throw new InputError('model.depth', `the theta parameterization is two-layer: depth must be 1, got ${L}`);
        const t = o.theta ?? { p1: 0, p2: 0, q: 0.5 };
        const beta1 = Math.pow(h, -requireFinite('model.theta.p1', t.p1));
        const beta2 = Math.pow(h, -requireFinite('model.theta.p2', t.p2));
        const a = Math.pow(h, requireFinite('model.theta.q', t.q));
        // f = (1/α_θ) Σ_k a_k φ(w_k·x): first layer m=1, s=β_2; second m = 1/α_θ, s = β_1.
        push(0, 1, beta2, 1, null);
        push(1, 1 / a, beta1, 1, null);
        break;
      }
      default: {
        const never: never = p;
        throw new InputError('model.parameterization', `unknown parameterization ${show(never)}`);
      }
    }
  }
  return { inputDim: d, outputDim: k, width: h, depth: L, activation, layers, alpha, centred, firstStepRates, parameterization: name };
}

/** Parse `model.parameterization` (a preset name or an abc object). */
export function parseParameterization(v: unknown, where = 'model.parameterization'): Preset | AbcParameterization {
  if (typeof v === 'string') {
    if ((PRESETS as readonly string[]).includes(v)) return v as Preset;
    throw new InputError(where, `unknown parameterization ${show(v)} (known: ${PRESETS.join(', ')}, or an object {a, b, c})`);
  }
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    for (const key of Object.keys(o)) {
      if (!['a', 'b', 'c', 'cm', 'cs'].includes(key)) throw new InputError(`${where}.${key}`, 'unknown field (allowed: a, b, c, cm, cs)');
    }
    for (const key of ['a', 'b', 'c']) if (!(key in o)) throw new InputError(`${where}.${key}`, 'is required for an explicit abc parameterization');
    return o as unknown as AbcParameterization;
  }
  throw new InputError(where, `must be a preset name or an object {a, b, c}, got ${show(v)}`);
}
