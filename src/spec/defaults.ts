/**
 * Defaults and accepted fields of the spec file, read by the validator (`validate.ts`) and the
 * JSON Schema (`schema.ts`). With every default, `{}` is the example spec of docs/interface.md#spec-file
 * (except `model.weightStd`, whose default is 1, or the authors' σ for the ip presets).
 */
import { DEFAULT_BATCH_SIZE } from '../finite/runDefaults.js';

/** The fields each object of the spec accepts (paths as in error messages; '' = top level). */
export const SPEC_FIELDS = {
  '': ['$schema', 'data', 'model', 'training', 'seed', 'limit', 'limitOptions'],
  data: ['source', 'n', 'nTest', 'dim', 'target', 'outputs', 'seed', 'labels', 'path', 'noise'],
  model: [
    'depth', 'width', 'activation', 'parameterization', 'weightStd', 'biasStd', 'alpha', 'centred', 'gamma0',
    'theta', 'initMean', 'ipUnscaledBiases', 'conv',
  ],
  'model.theta': ['p1', 'p2', 'q', 'ph'],
  'model.conv': ['channels', 'height', 'width', 'kernel', 'pool', 'inputPool'],
  'model.parameterization': ['a', 'b', 'c', 'cm', 'cs'],
  training: [
    'loss', 'softHingeBeta', 'method', 'lr', 'steps', 'recordEvery', 'batchSize', 'epochs', 'replace', 'tolerance',
    'recordKernel',
  ],
} as const satisfies Record<string, readonly string[]>;

export const DATA_SOURCES = ['gaussian', 'mnist', 'fashion-mnist', 'file'] as const;
export const LOSSES = ['mse', 'hinge', 'soft-hinge', 'logistic', 'cross-entropy'] as const;
/** Other spellings accepted for a loss, normalized to the canonical name. */
export const LOSS_ALIASES = { soft_hinge: 'soft-hinge', softhinge: 'soft-hinge', cross_entropy: 'cross-entropy', ce: 'cross-entropy' } as const;
export const METHODS = ['gd', 'flow', 'sgd'] as const;
/** The built-in limits (src/limits/builtin.ts), for the schema's documentation. */
export const LIMITS = ['ntk', 'meanfield', 'deeplinear'] as const;
export const MNIST_LABELS = ['parity', 'digit'] as const;

/** Defaults (source-dependent ones for `gaussian`; see `validate.ts` for mnist and file). */
export const DEFAULTS = {
  data: { source: 'gaussian', n: 32, nTest: 16, dim: 5, target: 'teacher-relu', outputs: 1, seed: 0, noise: 0, labels: 'parity' },
  model: {
    depth: 2, width: 256, activation: 'relu', parameterization: 'ntk', weightStd: 1, biasStd: 0, alpha: 1,
    centred: false, gamma0: 1, theta: { p1: 0, p2: 0, q: 0.5 },
    conv: { channels: 1, height: 28, width: 28, kernel: 5, pool: true, inputPool: 1 },
  },
  training: {
    loss: 'mse', softHingeBeta: 20, method: 'gd', lr: 0.5, steps: 200, recordEvery: 10, batchSize: DEFAULT_BATCH_SIZE,
    replace: false, recordKernel: false,
  },
  seed: 0,
} as const;
