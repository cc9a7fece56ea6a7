/**
 * Spec validation: untrusted JSON → a resolved {@link Spec} with every default filled in, or an
 * {@link InputError} naming the field (`model.width: must be a positive integer, got -3`,
 * `model.widht: unknown field (did you mean width?)`). Interface: docs/interface.md#spec-file.
 *
 * Source-dependent data fields:
 * - `gaussian`: n (32), nTest (16), dim (5), target (`teacher-relu`), outputs (1), noise (0).
 * - `mnist`: n, nTest as above; dim is 784 and outputs 1 (`labels: parity`) or 10 (`digit`);
 *   `target` is set to the labels' name.
 * - `file`: `path` required; n, nTest, dim, outputs default to 0, meaning "as in the file"
 *   (n, nTest > 0 take the first rows; dim, outputs > 0 must match); `target` is set to `file`.
 */
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { InputError, requirePositiveInt, show } from '../core/errors.js';
import { parseActivation } from '../finite/activation.js';
import { parseParameterization } from '../finite/parameterization.js';
import { findPreset } from '../finite/layers/presets/index.js';
import { MNIST_DIM } from '../data/mnist.js';
import { parseTarget } from '../data/target.js';
import { parseJsonText, readTextFile } from '../data/jsonFile.js';
import type { DataSpec, ModelSpec, Spec, TrainingSpec } from './types.js';
import { DATA_SOURCES, DEFAULTS, LOSSES, LOSS_ALIASES, METHODS, MNIST_LABELS, SPEC_FIELDS } from './defaults.js';
import { Fields, join } from './fields.js';
import { checkSizes } from './size.js';

/**
 * Upper bounds of the size fields: beyond them a run cannot fit in any machine this runs on (the
 * memory estimate of estimate.ts refuses most sizes well below them, for the machine at hand).
 */
export const BOUNDS = {
  points: 2 ** 24, dim: 2 ** 20, outputs: 2 ** 16, depth: 1000, width: 2 ** 26, steps: 1e9,
  particles: 2 ** 26, seeds: 4096,
  /** weightStd, biasStd: σ² must stay far from float64 overflow in every layer's variance. */
  scale: 1e100,
} as const;

function scale(where: string, v: number): number {
  if (v > BOUNDS.scale) throw new InputError(where, `must be at most ${BOUNDS.scale} (its square enters every layer's variance), got ${show(v)}`);
  return v;
}

/** Bounds of the size fields of `limitOptions` (validated in full by the limit that reads them). */
function checkLimitOptionSizes(o: Record<string, unknown>, where: string): void {
  for (const [key, max] of [['particles', BOUNDS.particles], ['seeds', BOUNDS.seeds]] as const) {
    const v = o[key];
    if (typeof v === 'number' && v > max) throw new InputError(join(where, key), `must be at most ${max}, got ${show(v)}`);
  }
}

function parseData(v: unknown, where: string): DataSpec {
  const f = Fields.of(v, where, SPEC_FIELDS.data);
  const D = DEFAULTS.data;
  const source = f.oneOf('source', DATA_SOURCES, D.source);
  const seed = f.nonNegInt('seed', D.seed);
  switch (source) {
    case 'gaussian': {
      f.forbid('labels', 'only used with sources "mnist" and "fashion-mnist"');
      f.forbid('path', 'only used with source "file"');
      const dim = f.posInt('dim', D.dim, BOUNDS.dim);
      const outputs = f.posInt('outputs', D.outputs, BOUNDS.outputs);
      const target = f.str('target', D.target).trim();
      parseTarget(target, dim, outputs, f.at('target'));
      return { source, n: f.posInt('n', D.n, BOUNDS.points), nTest: f.nonNegInt('nTest', D.nTest, BOUNDS.points), dim, target, outputs, seed, noise: f.nonNeg('noise', D.noise) };
    }
    case 'mnist':
    case 'fashion-mnist': {
      f.forbid('target', `not used with source "${source}" (the targets are set by labels)`);
      f.forbid('path', 'only used with source "file"');
      f.forbid('noise', 'only used with source "gaussian"');
      const labels = f.oneOf('labels', MNIST_LABELS, 'parity');
      const outputs = labels === 'parity' ? 1 : 10;
      const dim = f.posInt('dim', MNIST_DIM);
      if (dim !== MNIST_DIM) throw new InputError(f.at('dim'), `${source} images have ${MNIST_DIM} pixels, got ${dim}`);
      const k = f.posInt('outputs', outputs);
      if (k !== outputs) throw new InputError(f.at('outputs'), `labels "${labels}" have ${outputs} output(s), got ${k}`);
      const n = f.posInt('n', D.n, BOUNDS.points);
      if (n < 2) throw new InputError(f.at('n'), `${source} needs at least 2 training images (the inputs are centred), got ${n}`);
      return { source, n, nTest: f.nonNegInt('nTest', D.nTest, BOUNDS.points), dim, target: labels, outputs, seed, labels };
    }
    case 'file': {
      f.forbid('target', 'not used with source "file" (the targets are in the file)');
      f.forbid('labels', 'only used with sources "mnist" and "fashion-mnist"');
      f.forbid('noise', 'only used with source "gaussian"');
      const path = f.str('path');
      return {
        source, n: f.nonNegInt('n', 0, BOUNDS.points), nTest: f.nonNegInt('nTest', 0, BOUNDS.points), dim: f.nonNegInt('dim', 0, BOUNDS.dim), target: 'file',
        outputs: f.nonNegInt('outputs', 0, BOUNDS.outputs), seed, path,
      };
    }
    default: {
      const never: never = source;
      throw new InputError(f.at('source'), `unknown source ${show(never)}`);
    }
  }
}

function parseModel(v: unknown, where: string): ModelSpec {
  const f = Fields.of(v, where, SPEC_FIELDS.model);
  const D = DEFAULTS.model;
  const depth = f.posInt('depth', D.depth, BOUNDS.depth);
  const act = parseActivation(f.raw('activation') ?? D.activation, f.at('activation'));
  const parameterization = parseParameterization(f.raw('parameterization') ?? D.parameterization, f.at('parameterization'));
  const preset = typeof parameterization === 'string' ? parameterization : 'abc';
  const isIp = preset === 'ip' || preset === 'ip-llr';
  const def = findPreset(parameterization);
  const model: ModelSpec = {
    depth,
    width: f.posInt('width', D.width, BOUNDS.width),
    activation: act.name,
    parameterization,
    weightStd: scale(f.at('weightStd'), f.positive('weightStd', def?.defaultWeightStd ? def.defaultWeightStd(act) : D.weightStd)),
    biasStd: scale(f.at('biasStd'), f.nonNeg('biasStd', D.biasStd)),
    alpha: f.positive('alpha', D.alpha),
    centred: f.bool('centred', def?.centredByDefault ?? false),
    gamma0: f.positive('gamma0', D.gamma0),
  };
  if (preset === 'theta') {
    const t = Fields.of(f.raw('theta'), f.at('theta'), SPEC_FIELDS['model.theta']);
    model.theta = { p1: t.num('p1', D.theta.p1), p2: t.num('p2', D.theta.p2), q: t.num('q', D.theta.q) };
    // depth ≥ 2: hidden-to-hidden std m^-ph (theory/theta.md#multilayer); at depth 1 there is no such layer
    if (depth === 1) t.forbid('ph', 'the hidden-to-hidden exponent needs depth ≥ 2');
    else if (t.has('ph')) model.theta.ph = t.num('ph');
  } else {
    f.forbid('theta', 'only used with parameterization "theta"');
  }
  if (isIp) {
    if (f.has('initMean')) model.initMean = f.num('initMean');
    if (f.has('ipUnscaledBiases')) model.ipUnscaledBiases = f.bool('ipUnscaledBiases');
  } else {
    f.forbid('initMean', 'only used with parameterizations "ip" and "ip-llr"');
    f.forbid('ipUnscaledBiases', 'only used with parameterizations "ip" and "ip-llr"');
  }
  if (f.has('conv')) {
    const c = Fields.of(f.raw('conv'), f.at('conv'), SPEC_FIELDS['model.conv']), C = D.conv;
    model.conv = {
      channels: c.posInt('channels', C.channels, BOUNDS.dim), height: c.posInt('height', C.height, BOUNDS.dim),
      width: c.posInt('width', C.width, BOUNDS.dim), kernel: c.posInt('kernel', C.kernel, BOUNDS.dim),
      pool: c.bool('pool', C.pool), inputPool: c.posInt('inputPool', C.inputPool, BOUNDS.dim),
    };
  }
  return model;
}

/** Records of a run (steps/recordEvery + 1) above this are refused: each holds every output. */
export const MAX_RECORDS = 1_000_000;

function parseTraining(v: unknown, where: string, n: number): TrainingSpec {
  const f = Fields.of(v, where, SPEC_FIELDS.training);
  const D = DEFAULTS.training;
  const method = f.oneOf('method', METHODS, D.method);
  const t: TrainingSpec = {
    loss: f.oneOf('loss', LOSSES, D.loss, LOSS_ALIASES),
    softHingeBeta: f.positive('softHingeBeta', D.softHingeBeta),
    method,
    lr: f.positive('lr', D.lr),
    steps: f.posInt('steps', D.steps, BOUNDS.steps),
    recordEvery: f.posInt('recordEvery', D.recordEvery),
    recordKernel: f.bool('recordKernel', D.recordKernel),
  };
  const records = Math.floor(t.steps / t.recordEvery) + 1;
  if (records > MAX_RECORDS) {
    throw new InputError(f.at('recordEvery'), `${t.steps} steps recorded every ${t.recordEvery} give ${records} records of every output (at most ${MAX_RECORDS}); raise recordEvery, got ${t.recordEvery}`);
  }
  if (method === 'sgd') {
    t.batchSize = f.posInt('batchSize', n > 0 ? Math.min(D.batchSize, n) : D.batchSize, BOUNDS.points);
    if (f.has('epochs')) t.epochs = f.posInt('epochs', undefined, BOUNDS.steps);
    t.replace = f.bool('replace', D.replace);
    if (n > 0 && t.batchSize > n && !t.replace) {
      throw new InputError(f.at('batchSize'), `must be at most data.n = ${n} (batches cut epochs of the training set; or set replace: true), got ${t.batchSize}`);
    }
  } else {
    for (const key of ['batchSize', 'epochs', 'replace']) f.forbid(key, 'only used with method "sgd"');
  }
  if (method === 'flow') {
    if (f.has('tolerance')) t.tolerance = f.positive('tolerance');
  } else {
    f.forbid('tolerance', 'only used with method "flow"');
  }
  return t;
}

/**
 * Validate a parsed spec file and fill in defaults. `where` prefixes every error path (e.g. an
 * experiment's name); by default paths are `data.n`, `model.width`, ….
 */
export function parseSpec(json: unknown, where = ''): Spec {
  const f = Fields.of(json, where, SPEC_FIELDS['']);
  if (f.has('$schema') && typeof f.raw('$schema') !== 'string') {
    throw new InputError(f.at('$schema'), `must be a string, got ${show(f.raw('$schema'))}`);
  }
  const data = parseData(f.raw('data'), join(where, 'data'));
  const model = parseModel(f.raw('model'), join(where, 'model'));
  const training = parseTraining(f.raw('training'), join(where, 'training'), data.n);
  const spec: Spec = { data, model, training, seed: f.nonNegInt('seed', DEFAULTS.seed) };
  if (training.loss === 'cross-entropy' && data.source !== 'file' && data.outputs < 2) {
    throw new InputError(join(where, 'training.loss'), `cross-entropy is a softmax over k ≥ 2 outputs (e.g. data.labels "digit"), got ${data.outputs} output`);
  }
  if (f.has('limit')) spec.limit = f.str('limit');
  if (f.has('limitOptions')) {
    const o = f.raw('limitOptions');
    if (typeof o !== 'object' || o === null || Array.isArray(o)) {
      throw new InputError(f.at('limitOptions'), `must be an object, got ${show(o)}`);
    }
    checkLimitOptionSizes(o as Record<string, unknown>, f.at('limitOptions'));
    spec.limitOptions = o as Record<string, unknown>;
  }
  checkSizes(spec, join(where, 'model.width'), join(where, 'data.n'));
  return spec;
}

/** The largest spec file read (bytes): a spec is a few hundred bytes. */
export const MAX_SPEC_BYTES = 16 * 2 ** 20;

/**
 * Read and validate a spec file. A relative `data.path` is taken relative to the spec file's
 * folder, and stored relative to the working directory (absolute if it lies outside it).
 */
export function readSpecFile(path: string): Spec {
  const spec = parseSpec(parseJsonText(readTextFile(path, path, path, MAX_SPEC_BYTES), path, path));
  const p = spec.data.path;
  if (p !== undefined && !isAbsolute(p)) {
    const abs = resolve(dirname(path), p);
    const rel = relative(process.cwd(), abs);
    spec.data.path = rel === '' || rel.startsWith('..') || isAbsolute(rel) ? abs : rel;
  }
  return spec;
}

/** Command-line overrides of a spec: `--width` (model.width) and `--seed` (the init seed). */
export function applyOverrides(spec: Spec, o: { width?: number; seed?: number }): Spec {
  const out: Spec = { ...spec, model: { ...spec.model } };
  if (o.width !== undefined) {
    out.model.width = requirePositiveInt('--width', o.width);
    checkSizes(out, '--width');
  }
  if (o.seed !== undefined) {
    if (!Number.isInteger(o.seed) || o.seed < 0) throw new InputError('--seed', `must be a non-negative integer, got ${show(o.seed)}`);
    out.seed = o.seed;
  }
  return out;
}
