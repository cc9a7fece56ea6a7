/**
 * The networks compared by the integrable-parameterization experiment (Hajjar, Chizat, Giraud
 * 2021, arXiv 2110.15596; theory/conventions.md#presets, presets `ip`, `ip-llr`, `meanfield`; theory/ip.md#variants): each variant is
 * the library's preset, wrapped where the preset alone does not give the paper's network
 * (theory/ip.md#variants):
 *
 * - `ip`: plain integrable parameterization, zero-mean i.i.d. init (the preset as is);
 * - `ip-llr`: the `ip-llr` preset, optionally with the authors' per-layer calibration of the
 *   first-step base rates (calibrate.ts; theory/ip.md#llr-calibration);
 * - non-centred init: `ip` with mean-μ weights in the chosen layers (`'all'`, the preset's
 *   choice, or `'intermediate'`: first and output layers centred, theory/ip.md#non-centred);
 * - unscaled biases: `ip` with a unit-multiplier bias in every layer; the bias rates are the
 *   preset's (`'preset'`: the layer's rate h or h²) or the integrable ones (`'integrable'`:
 *   h for hidden biases, 1 for the output bias, theory/ip.md#bias-rates);
 * - `meanfield` (μP) with γ0.
 */
import { InputError, requireFinite, requirePositive, show } from '../../core/errors.js';
import type { Activation } from '../../finite/activation.js';
import type { Architecture, LayerParams } from '../../finite/architecture.js';
import { buildArchitecture } from '../../finite/parameterization.js';

export type IpVariantKind = 'ip' | 'ip-llr' | 'meanfield';

/** One network of the comparison. */
export interface IpVariant {
  /** Short name, used in metric names (`lossChange.<name>`). */
  name: string;
  parameterization: IpVariantKind;
  /** Non-centred init: mean of the weights (ip, ip-llr). */
  initMean?: number;
  /** Which layers get `initMean` (default 'all', as the preset). */
  initMeanLayers?: 'all' | 'intermediate';
  /** Unit-multiplier biases in every layer (ip, ip-llr). */
  unscaledBiases?: boolean;
  /** Rates of those biases (default 'integrable'). */
  biasRates?: 'preset' | 'integrable';
  /** ip-llr: calibrate the first-step base rates layer by layer as the authors' code (default true). */
  calibrateFirstStep?: boolean;
  /** meanfield: γ0 (default 1). */
  gamma0?: number;
  /** σ (default: the preset's, ipSigma for ip; √2 for meanfield with ReLU-like φ, else 1). */
  weightStd?: number;
  /** Base rate η of this variant (default: the experiment's). */
  lr?: number;
  /**
   * ip only: the first layer's rate (weights and bias). 'preset' (default): h; 'code': h/(d+1), the
   * authors' code, which computes W x/√(d+1) with W ~ N(0, σ²) at rate h (theory/ip.md#layer-count).
   */
  firstLayerRate?: 'preset' | 'code';
}

/** The variants of the claim of theory/ip.md#variants: plain IP, IP-LLR, non-centred init, unscaled biases, μP. */
export const DEFAULT_IP_VARIANTS: readonly IpVariant[] = [
  { name: 'ip', parameterization: 'ip' },
  { name: 'ipLlr', parameterization: 'ip-llr', calibrateFirstStep: true },
  { name: 'ipNonCentred', parameterization: 'ip', initMean: 1, initMeanLayers: 'all' },
  { name: 'ipBiases', parameterization: 'ip', unscaledBiases: true, biasRates: 'integrable' },
  { name: 'muP', parameterization: 'meanfield', gamma0: 1 },
];

const FIELDS = ['name', 'parameterization', 'initMean', 'initMeanLayers', 'unscaledBiases', 'biasRates', 'calibrateFirstStep', 'gamma0', 'weightStd', 'lr', 'firstLayerRate'];

/** Validate one variant object (errors name `<where>.<field>`). */
export function parseIpVariant(v: unknown, where: string): IpVariant {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InputError(where, `must be an object {name, parameterization, …}, got ${show(v)}`);
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!FIELDS.includes(k)) throw new InputError(`${where}.${k}`, `unknown field (allowed: ${FIELDS.join(', ')})`);
  if (typeof o.name !== 'string' || !/^[A-Za-z][A-Za-z0-9_-]*$/.test(o.name)) throw new InputError(`${where}.name`, `must be a name of letters, digits, _ or -, got ${show(o.name)}`);
  const kinds: IpVariantKind[] = ['ip', 'ip-llr', 'meanfield'];
  if (!kinds.includes(o.parameterization as IpVariantKind)) throw new InputError(`${where}.parameterization`, `must be one of ${kinds.join(', ')}, got ${show(o.parameterization)}`);
  const out: IpVariant = { name: o.name, parameterization: o.parameterization as IpVariantKind };
  const isIp = out.parameterization !== 'meanfield';
  const ipOnly = (k: string) => { if (!isIp && o[k] !== undefined) throw new InputError(`${where}.${k}`, 'only used with parameterizations ip and ip-llr'); };
  ['initMean', 'initMeanLayers', 'unscaledBiases', 'biasRates'].forEach(ipOnly);
  if (o.initMean !== undefined) out.initMean = requireFinite(`${where}.initMean`, o.initMean);
  if (o.initMeanLayers !== undefined) {
    if (o.initMeanLayers !== 'all' && o.initMeanLayers !== 'intermediate') throw new InputError(`${where}.initMeanLayers`, `must be "all" or "intermediate", got ${show(o.initMeanLayers)}`);
    out.initMeanLayers = o.initMeanLayers;
  }
  if (o.unscaledBiases !== undefined) out.unscaledBiases = requireBool(`${where}.unscaledBiases`, o.unscaledBiases);
  if (o.biasRates !== undefined) {
    if (o.biasRates !== 'preset' && o.biasRates !== 'integrable') throw new InputError(`${where}.biasRates`, `must be "preset" or "integrable", got ${show(o.biasRates)}`);
    out.biasRates = o.biasRates;
  }
  if (o.calibrateFirstStep !== undefined) {
    if (out.parameterization !== 'ip-llr') throw new InputError(`${where}.calibrateFirstStep`, 'only used with parameterization ip-llr');
    out.calibrateFirstStep = requireBool(`${where}.calibrateFirstStep`, o.calibrateFirstStep);
  }
  if (o.gamma0 !== undefined) {
    if (isIp) throw new InputError(`${where}.gamma0`, 'only used with parameterization meanfield');
    out.gamma0 = requirePositive(`${where}.gamma0`, o.gamma0);
  }
  if (o.weightStd !== undefined) out.weightStd = requirePositive(`${where}.weightStd`, o.weightStd);
  if (o.lr !== undefined) out.lr = requirePositive(`${where}.lr`, o.lr);
  if (o.firstLayerRate !== undefined) {
    if (out.parameterization !== 'ip') throw new InputError(`${where}.firstLayerRate`, 'only used with parameterization ip');
    if (o.firstLayerRate !== 'preset' && o.firstLayerRate !== 'code') throw new InputError(`${where}.firstLayerRate`, `must be "preset" or "code", got ${show(o.firstLayerRate)}`);
    out.firstLayerRate = o.firstLayerRate;
  }
  return out;
}

function requireBool(where: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new InputError(where, `must be true or false, got ${show(v)}`);
  return v;
}

export interface NetworkShape {
  /** f = F − F_{θ0} (theory/conventions.md#output-scale centring). */
  centred: boolean;
  inputDim: number;
  outputDim: number;
  width: number;
  /** L: number of hidden layers (L+1 weight matrices). */
  depth: number;
  activation: Activation;
}

/**
 * The architecture of a variant (before any first-step calibration). For ip/ip-llr the preset is
 * built by `buildArchitecture`, then only the init means and the bias rates are changed, as the
 * variant says; nothing else of the preset is touched.
 */
export function variantArchitecture(v: IpVariant, s: NetworkShape): Architecture {
  if (v.parameterization === 'meanfield') {
    const sigma = v.weightStd ?? (s.activation.family.kind === 'abrelu' ? Math.SQRT2 : 1);
    return buildArchitecture({ ...s, parameterization: 'meanfield', gamma0: v.gamma0 ?? 1, weightStd: sigma });
  }
  const preset = buildArchitecture({
    ...s, parameterization: v.parameterization, weightStd: v.weightStd, ipUnscaledBiases: v.unscaledBiases ?? false,
  });
  const L = s.depth;
  const mu = v.initMean ?? 0;
  const meanLayers = v.initMeanLayers ?? 'all';
  const integrable = (v.unscaledBiases ?? false) && (v.biasRates ?? 'integrable') === 'integrable';
  const layers: LayerParams[] = preset.layers.map((lay, l) => {
    const hasMean = mu !== 0 && (meanLayers === 'all' || (l > 0 && l < L));
    let bias = lay.bias;
    // first-layer bias: the preset's (part of the first layer); hidden: rate h; output: rate 1
    if (bias && integrable && l > 0) bias = { ...bias, rate: l === L ? 1 : s.width };
    if (l === 0 && v.firstLayerRate === 'code') {
      const k = 1 / (s.inputDim + 1);
      return { ...lay, initMean: hasMean ? mu : 0, rate: lay.rate * k, bias: bias && { ...bias, rate: bias.rate * k } };
    }
    return { ...lay, initMean: hasMean ? mu : 0, bias };
  });
  return { ...preset, layers };
}
