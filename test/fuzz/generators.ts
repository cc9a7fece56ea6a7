/**
 * fast-check generators of hostile inputs for the CLI (issue 13): specs with one to three fields
 * replaced by a malformed value, data files (JSON and CSV with wrong types, ragged rows, huge or
 * non-finite numbers, BOMs, garbage bytes), expressions (well-formed trees and random token runs
 * with forbidden functions, property access, strings, matrices) and option values.
 */
import fc from 'fast-check';

/** A small valid spec every mutation starts from (runs in well under a second). */
export const BASE_SPEC = {
  data: { source: 'gaussian', n: 6, nTest: 3, dim: 3, target: 'teacher-relu', seed: 0 },
  model: { depth: 1, width: 8, activation: 'relu', parameterization: 'ntk', weightStd: 1.4, biasStd: 0 },
  training: { loss: 'mse', method: 'gd', lr: 0.5, steps: 4, recordEvery: 2 },
  seed: 0,
};

/** Values that are wrong for most fields: wrong types, signs, non-integers, beyond the size bounds. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(-1, 0, 0.5, -0.0, 1e300, -1e300, 2 ** 53, 2 ** 60, 1e30, 5e9, 1e12, 1001, 2 ** 27, 1e101, Number.MAX_VALUE, Number.MIN_VALUE),
  fc.constantFrom(null, true, false, '', ' ', 'NaN', 'Infinity', '1e400', '12', 'relu ', '\u0000', '\ufeff', 'x'.repeat(5000)),
  fc.constantFrom([], {}, [1, 2], { a: 1 }, [[[]]], { __proto__: { x: 1 } }, { constructor: 1 }),
  fc.string({ maxLength: 40 }),
  // in-range numbers stay small: a valid but huge step count is a long run, not a hostile input
  fc.double({ min: -1000, max: 1000, noNaN: true }),
  fc.integer({ min: -1000, max: 1000 }),
);

/** Paths into the spec that a mutation may replace (including unknown and misspelt fields). */
const FIELDS = [
  'data', 'data.source', 'data.n', 'data.nTest', 'data.dim', 'data.target', 'data.outputs', 'data.seed', 'data.noise',
  'data.labels', 'data.path', 'model', 'model.depth', 'model.width', 'model.activation', 'model.parameterization',
  'model.weightStd', 'model.biasStd', 'model.alpha', 'model.gamma0', 'model.theta', 'model.widht', 'training',
  'training.loss', 'training.method', 'training.lr', 'training.steps', 'training.recordEvery', 'training.batchSize',
  'training.epochs', 'training.recordKernel', 'training.tolerance', 'seed', 'limit', 'limitOptions',
  'limitOptions.particles', 'limitOptions.seeds', '$schema', 'extra',
];

/** Tokens of random expressions: the language's own and what it must refuse. */
const TOKENS = [
  'x', 'x1', 'x2', 'x3', 'x9', 'x0', 'pi', 'e', 'tau', 'Infinity', 'NaN', 'true', 'null', 'f', 'evaluate', 'import',
  'constructor', 'ones', 'zeros', 'sum', 'matrix', 'range', 'createUnit', 'parse', 'compile', 'simplify', 'derivative',
  'sin', 'cos', 'exp', 'log', 'sqrt', 'abs', 'max', 'min', 'erf', 'tanh', 'pow', 'mod', 'cm', 'inch', 'i',
  '+', '-', '*', '/', '^', '%', '!', "'", '==', '<', '>=', 'and', 'or', 'not', '?', ':', ',', ';', '=', '.', '..',
  '(', ')', '[', ']', '{', '}', '"a"', "'b'", '1', '0', '2.5', '1e200', '1e400', '-1', '20000', '\n', ' ', '@', '$', '#',
];

/** Well-formed expressions in the given variables (depth ≤ 4). */
export function wellFormed(vars: string[]): fc.Arbitrary<string> {
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...vars, 'pi', 'e', '1', '2', '0.5', '1e200', '0'),
      fc.tuple(tie('tree'), fc.constantFrom('+', '-', '*', '/', '^', ' mod ', ' < ', ' and '), tie('tree')).map(([a, op, b]) => `(${a}${op}${b})`),
      fc.tuple(fc.constantFrom('sin', 'exp', 'log', 'sqrt', 'abs', 'tanh', 'erf', 'cbrt', 'f', 'evaluate', 'sum'), tie('tree')).map(([f, a]) => `${f}(${a})`),
      fc.tuple(tie('tree'), tie('tree'), tie('tree')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
    ),
  }));
  return tree as fc.Arbitrary<string>;
}

/** Expressions: token soup, well-formed trees, and pathological lengths and nestings. */
export function expression(vars: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 12 }).map((t) => t.join(' ')),
    fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 12 }).map((t) => t.join('')),
    wellFormed(vars),
    fc.integer({ min: 30, max: 3000 }).map((k) => `${'('.repeat(k)}${vars[0]}${')'.repeat(k)}`),
    fc.integer({ min: 30, max: 3000 }).map((k) => `${'-'.repeat(k)}${vars[0]}`),
    fc.integer({ min: 30, max: 400 }).map((k) => Array(k).fill(vars[0]).join('^')),
    fc.constantFrom('sum(ones(20000,20000))', 'evaluate("x")', 'x1.constructor', 'f(x1)', 'sin(x1) + "a"', '[1,2,3]',
      'import({a: 1})', 'createUnit("foo")', 'x1 = 3', 'x1; x2', 'det([[1,2],[3,4]])', '1e200*x1', 'x1 to cm', '5 cm', 'x^x^x'),
  );
}

function setPath(obj: Record<string, unknown>, path: string, v: unknown): void {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) {
    if (typeof o[k] !== 'object' || o[k] === null || Array.isArray(o[k])) o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  o[keys[keys.length - 1]] = v;
}

/** A spec (as a JSON value) with one to three fields replaced; expression fields get expressions. */
export const mutatedSpec: fc.Arbitrary<unknown> = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...FIELDS), hostileValue) },
      { weight: 2, arbitrary: fc.tuple(fc.constant('data.target'), expression(['x1', 'x2', 'x3'])) },
      { weight: 2, arbitrary: fc.tuple(fc.constant('model.activation'), expression(['x'])) },
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((muts) => {
    const spec = structuredClone(BASE_SPEC) as unknown as Record<string, unknown>;
    for (const [path, v] of muts) setPath(spec, path, v);
    return spec;
  });

/** Text of a spec file: JSON of a mutated spec, sometimes with a BOM, truncated, or garbage. */
export const specText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: mutatedSpec.map((s) => JSON.stringify(s)) },
  { weight: 1, arbitrary: mutatedSpec.map((s) => `\ufeff${JSON.stringify(s)}`) },
  { weight: 1, arbitrary: fc.tuple(mutatedSpec, fc.nat()).map(([s, k]) => { const t = JSON.stringify(s); return t.slice(0, k % t.length); }) },
  { weight: 1, arbitrary: fc.integer({ min: 33, max: 5000 }).map((k) => `${'['.repeat(k)}${']'.repeat(k)}`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
);

const cell = fc.oneof(
  fc.double({ min: -10, max: 10, noNaN: true }),
  fc.constantFrom(1e300, -1e300, 1e308, null, 'a', true, [], {}, '1'),
);

/** Data files (`kernel --data`, `data.path`): JSON rows, objects with x/y, CSV, garbage. */
export const dataText: fc.Arbitrary<string> = fc.oneof(
  fc.array(fc.array(cell, { minLength: 0, maxLength: 4 }), { minLength: 0, maxLength: 5 }).map((x) => JSON.stringify(x)),
  fc.record({ x: fc.array(fc.array(cell, { maxLength: 3 }), { maxLength: 4 }), y: fc.array(cell, { maxLength: 4 }) }).map((o) => JSON.stringify(o)),
  fc.array(fc.array(fc.oneof(fc.double({ noNaN: true }).map(String), fc.constantFrom('', 'NaN', 'inf', 'x', '"1"', '1e999')), { minLength: 1, maxLength: 4 }), { maxLength: 5 })
    .map((rows) => `x1,x2,y\n${rows.map((r) => r.join(',')).join('\n')}\n`),
  fc.string({ maxLength: 300 }).map((s) => `\ufeff${s}`),
  fc.integer({ min: 33, max: 3000 }).map((k) => `{"x":${'['.repeat(k)}${']'.repeat(k)}}`),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
);

/** Option values: numbers in words, signs, huge, empty. */
export const optionValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', '-1', '0', '1.5', 'abc', '1e9', '99999999999999999999', 'NaN', '3,', ',', '4,,8', '64,abc', '0x10', ' 4', '1001', '2000000'),
  fc.string({ maxLength: 12 }),
);

/** Data files that make the kernel or the fit nearly singular, or the inputs extreme (JSON {x, y}). */
const badData: fc.Arbitrary<string> = fc.constantFrom('duplicate', 'nearDuplicate', 'huge', 'tiny', 'zero', 'collinear').map((kind) => {
  const rows = Array.from({ length: 8 }, (_, i) => [Math.sin(i + 1), Math.cos(2 * i + 1)]);
  const x = rows.map((r, i) => {
    switch (kind) {
      case 'duplicate': return rows[i % 2];
      case 'nearDuplicate': return [rows[0][0] + i * 1e-15, rows[0][1]];
      case 'huge': return r.map((v) => v * 1e150);
      case 'tiny': return r.map((v) => v * 1e-300);
      case 'zero': return [0, 0];
      default: return [r[0], 2 * r[0]];
    }
  });
  // inconsistent targets on equal inputs: no function fits them
  return JSON.stringify({ x, y: x.map((_, i) => (i % 3) - 1) });
});

/**
 * Valid specs that are numerically hostile: huge learning rates, tiny and huge weight scales,
 * extreme α, deep nets with exploding activations, near-singular or extreme data, overflowing
 * targets. They pass validation, so they reach the run: each must end in exit 3 with a status or
 * an ok result without a non-finite number (or exit 2 when a limit refuses the combination).
 * Sizes stay small (n ≤ 8, width 8, ≤ 12 steps): a case is about numbers, not time.
 */
export const badNumerics = fc.record({
  lr: fc.constantFrom(0.5, 10, 1e3, 1e6, 1e12, 1e300),
  weightStd: fc.constantFrom(1.4, 1e-300, 1e-30, 1e-8, 30, 1e3, 1e50, 1e100),
  biasStd: fc.constantFrom(0, 0.1, 1e50),
  alpha: fc.constantFrom(1, 1e-12, 1e-6, 1e6, 1e12, 1e100),
  depth: fc.constantFrom(1, 2, 8, 24),
  activation: fc.constantFrom('relu', 'tanh', 'erf', 'exp(x)', 'x^3', 'cosh(x)', 'x*exp(x)', 'exp(exp(x))', 'exp(10*x)', 'x^5', 'sinh(x)', 'x^2'),
  parameterization: fc.constantFrom('ntk', 'standard', 'meanfield'),
  method: fc.constantFrom('gd', 'flow', 'sgd'),
  loss: fc.constantFrom('mse', 'mse', 'logistic', 'hinge'),
  steps: fc.integer({ min: 1, max: 12 }),
  target: fc.constantFrom('teacher-relu', 'x1', '1e150*x1', '1e300*x1^2', 'exp(1000*x1)', '1/x1', 'log(x1)'),
  data: fc.option(badData, { freq: 2 }),
}).map((v) => {
  const data = v.data === null
    ? { source: 'gaussian', n: 6, nTest: 3, dim: 3, target: v.target, seed: 0 }
    : { source: 'file', path: 'd.json' };
  const spec = {
    data,
    // the mean-field limit exists for two-layer networks only: deep nets go to the kernel presets
    model: { depth: v.parameterization === 'meanfield' ? 1 : v.depth, width: 8, activation: v.activation, parameterization: v.parameterization, weightStd: v.weightStd, biasStd: v.biasStd, alpha: v.alpha },
    // mean-field gradient flow is left out: with a hinge loss or a horizon of 10^300 its limit
    // integrates to the 100000-step budget of dopri5 and runs 5–9 minutes (FUZZ_SEED=2026, issue 13
    // note) — bounded, but no fuzz case; gd and sgd keep the mean-field cases
    training: { loss: v.loss, method: v.parameterization === 'meanfield' && v.method === 'flow' ? 'gd' : v.method, lr: v.lr, steps: v.steps, recordEvery: 1, ...(v.method === 'sgd' ? { batchSize: 2 } : {}) },
    // a small mean-field reference: its default (4 seeds × 16384 particles) integrated to a flow
    // time of 10^13 takes 15–40 s, a long valid run rather than a numerical question
    ...(v.parameterization === 'meanfield' ? { limitOptions: { particles: 512, seeds: 2 } } : {}),
    seed: 0,
  };
  return { spec: JSON.stringify(spec), data: v.data };
});
