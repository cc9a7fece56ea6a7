/**
 * The initial-weights file (docs/interface.md#init-file; `--save-init`, `--init`):
 *
 *   {"format": "widelimit-init/1", "activation": "relu", "alpha": 1, "centred": false,
 *    "layers": [{"W": [[..]], "b": [..] | null, "multiplier": 0.7, "biasMultiplier": 0.1,
 *                "rate": 1, "biasRate": 1}]}
 *
 * `W` is n_out × n_in, the trainable values themselves; the layer computes
 * `z = multiplier · W a + biasMultiplier · b`; each parameter's step is `lr · rate · ∂Loss/∂θ`.
 * Extensions written here (optional on reading): `parameterization` (the preset's name, for
 * information) and `firstStepRates` (ip-llr). A layer without bias has `b: null` and bias
 * multiplier and rate 0.
 */
import { InputError, show } from '../core/errors.js';
import { mat } from '../core/matrix.js';
import { parseActivation } from './activation.js';
import type { Architecture, LayerParams } from './architecture.js';
import type { Params } from './params.js';

export const INIT_FORMAT = 'widelimit-init/1';

export interface InitLayer {
  W: number[][];
  b: number[] | null;
  multiplier: number;
  biasMultiplier: number;
  rate: number;
  biasRate: number;
}

export interface InitFile {
  format: typeof INIT_FORMAT;
  activation: string;
  alpha: number;
  centred: boolean;
  parameterization?: string;
  firstStepRates?: { weights: number[]; biases: number[] };
  layers: InitLayer[];
}

/** What a layer of the file says besides its values. */
export interface InitLayerInfo {
  nIn: number;
  nOut: number;
  multiplier: number;
  rate: number;
  bias: { multiplier: number; rate: number } | null;
}

/** The initial-weights file of `params` under `arch`. */
export function toInitFile(arch: Architecture, params: Params): InitFile {
  const layers = arch.layers.map((l, i): InitLayer => {
    const W: number[][] = [];
    const w = params.W[i];
    for (let r = 0; r < w.rows; r++) W.push(Array.from(w.data.subarray(r * w.cols, (r + 1) * w.cols)));
    const b = params.b[i];
    return {
      W,
      b: b ? Array.from(b) : null,
      multiplier: l.multiplier,
      biasMultiplier: l.bias ? l.bias.multiplier : 0,
      rate: l.rate,
      biasRate: l.bias ? l.bias.rate : 0,
    };
  });
  const file: InitFile = {
    format: INIT_FORMAT,
    activation: arch.activation.name,
    alpha: arch.alpha,
    centred: arch.centred,
    parameterization: arch.parameterization,
    layers,
  };
  if (arch.firstStepRates) {
    file.firstStepRates = { weights: [...arch.firstStepRates.weights], biases: [...arch.firstStepRates.biases] };
  }
  return file;
}

export interface ParsedInit {
  params: Params;
  layers: InitLayerInfo[];
  activation: string;
  alpha: number;
  centred: boolean;
  firstStepRates?: { weights: number[]; biases: number[] };
}

/**
 * Read and validate an initial-weights file (parsed JSON). With `arch`, the shapes (and the
 * presence of biases) must be those of `arch`: `init.layers[1].W: expected 64x64, got 32x64`.
 * Errors are InputErrors located under `where` (default `init`).
 */
export function paramsFromInitFile(json: unknown, arch?: Architecture, where = 'init'): ParsedInit {
  const o = asObject(json, where);
  if (o.format !== INIT_FORMAT) throw new InputError(`${where}.format`, `expected ${show(INIT_FORMAT)}, got ${show(o.format)}`);
  if (typeof o.activation !== 'string') throw new InputError(`${where}.activation`, `must be an activation string, got ${show(o.activation)}`);
  const alpha = num(o.alpha ?? 1, `${where}.alpha`);
  if (!(alpha > 0)) throw new InputError(`${where}.alpha`, `must be > 0, got ${show(alpha)}`);
  const centred = o.centred ?? false;
  if (typeof centred !== 'boolean') throw new InputError(`${where}.centred`, `must be true or false, got ${show(centred)}`);
  if (!Array.isArray(o.layers) || o.layers.length === 0) {
    throw new InputError(`${where}.layers`, `must be a non-empty array of layers, got ${show(o.layers)}`);
  }
  if (arch && o.layers.length !== arch.layers.length) {
    throw new InputError(`${where}.layers`, `expected ${arch.layers.length} layers (depth ${arch.layers.length - 1}), got ${o.layers.length}`);
  }
  const W: Params['W'] = [];
  const b: Params['b'] = [];
  const layers: InitLayerInfo[] = [];
  o.layers.forEach((raw: unknown, l: number) => {
    const at = `${where}.layers[${l}]`;
    const lo = asObject(raw, at);
    const w = readMatrix(lo.W, `${at}.W`);
    const expect = arch?.layers[l];
    if (expect && (w.rows !== expect.nOut || w.cols !== expect.nIn)) {
      throw new InputError(`${at}.W`, `expected ${expect.nOut}x${expect.nIn}, got ${w.rows}x${w.cols}`);
    }
    if (l > 0 && w.cols !== W[l - 1].rows) {
      throw new InputError(`${at}.W`, `has ${w.cols} columns but layer ${l - 1} has ${W[l - 1].rows} outputs`);
    }
    const bias = readBias(lo.b, w.rows, `${at}.b`, expect);
    W.push(w);
    b.push(bias);
    layers.push({
      nIn: w.cols,
      nOut: w.rows,
      multiplier: num(lo.multiplier, `${at}.multiplier`),
      rate: num(lo.rate, `${at}.rate`),
      bias: bias ? { multiplier: num(lo.biasMultiplier, `${at}.biasMultiplier`), rate: num(lo.biasRate, `${at}.biasRate`) } : null,
    });
  });
  const parsed: ParsedInit = { params: { W, b }, layers, activation: o.activation, alpha, centred };
  if (o.firstStepRates !== undefined) parsed.firstStepRates = readFirstStepRates(o.firstStepRates, layers.length, `${where}.firstStepRates`);
  return parsed;
}

/**
 * The architecture a parsed init file trains: `base` (shapes, init laws, name) with the file's
 * multipliers, rates, α, centring and first-step rates. Without `base`, everything comes from the
 * file (width = n_out of the first layer). The file's activation must be `base`'s.
 */
export function architectureFromInit(init: ParsedInit, base?: Architecture, where = 'init'): Architecture {
  const activation = parseActivation(init.activation, `${where}.activation`);
  if (base && activation.name !== base.activation.name) {
    throw new InputError(`${where}.activation`, `is ${show(activation.name)} but model.activation is ${show(base.activation.name)}`);
  }
  const layers: LayerParams[] = init.layers.map((l, i) => ({
    nIn: l.nIn,
    nOut: l.nOut,
    multiplier: l.multiplier,
    initStd: base ? base.layers[i].initStd : NaN,
    initMean: base ? base.layers[i].initMean : 0,
    rate: l.rate,
    bias: l.bias ? { multiplier: l.bias.multiplier, initStd: base?.layers[i].bias?.initStd ?? NaN, rate: l.bias.rate } : null,
  }));
  const L = layers.length - 1;
  return {
    inputDim: layers[0].nIn,
    outputDim: layers[L].nOut,
    width: base ? base.width : L > 0 ? layers[0].nOut : 0,
    depth: L,
    activation: base ? base.activation : activation,
    layers,
    alpha: init.alpha,
    centred: init.centred,
    firstStepRates: init.firstStepRates,
    parameterization: base ? base.parameterization : 'init-file',
  };
}

function asObject(v: unknown, where: string): Record<string, any> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InputError(where, `must be an object, got ${show(v)}`);
  return v as Record<string, any>;
}

function num(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(where, `must be a finite number, got ${show(v)}`);
  return v;
}

function readMatrix(v: unknown, where: string) {
  if (!Array.isArray(v) || v.length === 0 || !Array.isArray(v[0])) {
    throw new InputError(where, `must be a non-empty array of rows (n_out x n_in), got ${show(v)}`);
  }
  const rows = v.length, cols = (v[0] as unknown[]).length;
  const m = mat(rows, cols);
  for (let i = 0; i < rows; i++) {
    const r = v[i];
    if (!Array.isArray(r) || r.length !== cols) {
      throw new InputError(`${where}[${i}]`, `must be a row of ${cols} numbers, got ${Array.isArray(r) ? `${r.length} values` : show(r)}`);
    }
    for (let j = 0; j < cols; j++) m.data[i * cols + j] = num(r[j], `${where}[${i}][${j}]`);
  }
  return m;
}

function readBias(v: unknown, nOut: number, where: string, expect?: LayerParams): Float64Array | null {
  if (v === null || v === undefined) {
    if (expect?.bias) throw new InputError(where, `expected ${nOut} values (the spec's architecture has a bias here), got null`);
    return null;
  }
  if (expect && !expect.bias) throw new InputError(where, `expected null (the spec's architecture has no bias here), got ${show(v)}`);
  if (!Array.isArray(v) || v.length !== nOut) {
    throw new InputError(where, `expected ${nOut} values, got ${Array.isArray(v) ? v.length : show(v)}`);
  }
  return Float64Array.from(v, (x, i) => num(x, `${where}[${i}]`));
}

function readFirstStepRates(v: unknown, L1: number, where: string): { weights: number[]; biases: number[] } {
  const o = asObject(v, where);
  const list = (x: unknown, at: string) => {
    if (!Array.isArray(x) || x.length !== L1) throw new InputError(at, `must be an array of ${L1} numbers, got ${show(x)}`);
    return x.map((e, i) => num(e, `${at}[${i}]`));
  };
  return { weights: list(o.weights, `${where}.weights`), biases: list(o.biases, `${where}.biases`) };
}
