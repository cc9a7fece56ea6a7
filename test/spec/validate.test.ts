import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { loadData } from '../../src/data/load.js';
import { applyOverrides, parseSpec, readSpecFile } from '../../src/spec/validate.js';

/** The example spec of docs/interface.md#spec-file, verbatim. */
const EXAMPLE = {
  data: { source: 'gaussian', n: 32, nTest: 16, dim: 5, target: 'teacher-relu', seed: 0 },
  model: { depth: 2, width: 256, activation: 'relu', parameterization: 'ntk', weightStd: 1.4142, biasStd: 0.0, alpha: 1, centred: false, gamma0: 1 },
  training: { loss: 'mse', method: 'gd', lr: 0.5, steps: 200, recordEvery: 10 },
  seed: 0,
};

function err(json: unknown): string {
  try {
    parseSpec(json);
  } catch (e) {
    if (e instanceof InputError) return `${e.where}: ${e.what}`;
    throw e;
  }
  throw new Error('expected an InputError');
}
const withModel = (m: object) => ({ ...EXAMPLE, model: { ...EXAMPLE.model, ...m } });
const withData = (d: object) => ({ ...EXAMPLE, data: { ...EXAMPLE.data, ...d } });
const withTraining = (t: object) => ({ ...EXAMPLE, training: { ...EXAMPLE.training, ...t } });

describe('parseSpec', () => {
  it('accepts the docs/interface.md#spec-file example and fills the remaining defaults', () => {
    const s = parseSpec(EXAMPLE);
    expect(s.model.weightStd).toBe(1.4142);
    expect(s.data).toEqual({ source: 'gaussian', n: 32, nTest: 16, dim: 5, target: 'teacher-relu', outputs: 1, seed: 0, noise: 0 });
    expect(s.training).toEqual({ loss: 'mse', softHingeBeta: 20, method: 'gd', lr: 0.5, steps: 200, recordEvery: 10, recordKernel: false });
    expect(s.limit).toBeUndefined();
  });

  it('resolves {} to the example (weightStd 1) and is idempotent', () => {
    const s = parseSpec({});
    expect(s).toEqual(parseSpec(withModel({ weightStd: 1 })));
    expect(parseSpec(JSON.parse(JSON.stringify(s)))).toEqual(s);
  });

  it('the resolved spec builds its data set', () => {
    const ds = loadData(parseSpec(EXAMPLE).data);
    expect([ds.x.rows, ds.x.cols, ds.xTest.rows]).toEqual([32, 5, 16]);
  });

  it('rejects unknown fields with a suggestion', () => {
    expect(err(withModel({ widht: 3 }))).toBe('model.widht: unknown field (did you mean width?)');
    expect(err({ ...EXAMPLE, trainig: {} })).toBe('trainig: unknown field (did you mean training?)');
    expect(err(withData({ zzzzzz: 1 }))).toMatch(/^data.zzzzzz: unknown field \(allowed: source, n, /);
  });

  it('refuses runs that would record more than MAX_RECORDS times, naming recordEvery (1e6 records is the edge)', () => {
    expect(() => parseSpec({ training: { steps: 1e9, recordEvery: 1 } })).toThrow(/^training.recordEvery: 1000000000 steps recorded every 1 give 1000000001 records of every output \(at most 1000000\); raise recordEvery, got 1$/);
    expect(parseSpec({ training: { steps: 999_999, recordEvery: 1 } }).training.steps).toBe(999_999); // 1e6 records: allowed
    expect(() => parseSpec({ training: { steps: 1_000_000, recordEvery: 1 } })).toThrow(InputError);
    expect(parseSpec({ training: { steps: 1e9, recordEvery: 1e5 } }).training.recordEvery).toBe(1e5);
    expect(() => parseSpec({ training: { steps: 1e10, recordEvery: 1e5 } })).toThrow(/^training.steps: must be at most 1000000000/);
  });

  it('names field and value of type errors', () => {
    expect(err(withModel({ width: -3 }))).toBe('model.width: must be a positive integer, got -3');
    expect(err(withModel({ width: 0 }))).toBe('model.width: must be a positive integer, got 0');
    expect(err(withModel({ width: 2.5 }))).toBe('model.width: must be a positive integer, got 2.5');
    expect(err(withModel({ width: '256' }))).toBe('model.width: must be a positive integer, got "256"');
    expect(err(withTraining({ lr: 0 }))).toBe('training.lr: must be > 0, got 0');
    expect(err(withModel({ centred: 'no' }))).toBe('model.centred: must be true or false, got "no"');
    expect(err({ ...EXAMPLE, model: [] })).toBe('model: must be an object, got []');
    expect(err([1])).toBe('spec: must be an object, got [1]');
  });

  it('parses the activation (unknown fails at validation; the name is canonical)', () => {
    expect(err(withModel({ activation: 'swishy' }))).toMatch(/^model.activation: unknown activation "swishy"/);
    expect(parseSpec(withModel({ activation: 'leaky_relu' })).model.activation).toBe('leaky_relu:0.01');
    expect(parseSpec(withModel({ activation: 'x^3 + sin(x)' })).model.activation).toBe('x^3 + sin(x)');
  });

  it('parses the parameterization: presets, abc objects, unknown names', () => {
    expect(err(withModel({ parameterization: 'ntkk' }))).toMatch(/^model.parameterization: unknown parameterization "ntkk"/);
    expect(parseSpec(withModel({ parameterization: { a: 0.5, b: 0, c: 0 } })).model.parameterization).toEqual({ a: 0.5, b: 0, c: 0 });
    expect(err(withModel({ parameterization: { a: 0, b: 0 } }))).toBe('model.parameterization.c: is required for an explicit abc parameterization');
  });

  it('resolves preset-dependent defaults: geiger is centred, ip uses the authors\' σ', () => {
    expect(parseSpec({ model: { parameterization: 'geiger' } }).model.centred).toBe(true);
    expect(parseSpec({ model: { parameterization: 'ntk' } }).model.centred).toBe(false);
    expect(parseSpec({ model: { parameterization: 'ip' } }).model.weightStd).toBeCloseTo(Math.SQRT2, 15);
    expect(parseSpec({ model: { parameterization: 'ip', activation: 'tanh' } }).model.weightStd).toBe(1);
    expect(parseSpec({ model: { parameterization: 'theta', depth: 1 } }).model.theta).toEqual({ p1: 0, p2: 0, q: 0.5 });
    expect(parseSpec({ model: { parameterization: 'theta', depth: 3, theta: { ph: 0 } } }).model.theta).toEqual({ p1: 0, p2: 0, q: 0.5, ph: 0 });
    expect(parseSpec({ model: { parameterization: 'theta' } }).model.theta).toEqual({ p1: 0, p2: 0, q: 0.5 });
    expect(err({ model: { parameterization: 'theta', depth: 1, theta: { ph: 0 } } })).toMatch(/^model.theta.ph: the hidden-to-hidden exponent needs depth ≥ 2/);
    expect(err({ model: { theta: { p1: 1 } } })).toBe('model.theta: only used with parameterization "theta"');
    expect(err({ model: { parameterization: 'theta', depth: 1, theta: { p3: 1 } } })).toMatch(/^model.theta.p3: unknown field/);
    expect(err({ model: { initMean: 1 } })).toMatch(/^model.initMean: only used with parameterizations "ip"/);
  });

  it('accepts soft-hinge spellings and normalizes them', () => {
    for (const loss of ['soft-hinge', 'soft_hinge', 'softhinge']) expect(parseSpec(withTraining({ loss })).training.loss).toBe('soft-hinge');
    expect(err(withTraining({ loss: 'hinj' }))).toBe('training.loss: must be one of mse, hinge, soft-hinge, logistic, cross-entropy, got "hinj" (did you mean hinge?)');
  });

  it('checks enums of source and method; a limit name is kept for the registry to check', () => {
    expect(err(withData({ source: 'cifar' }))).toMatch(/^data.source: must be one of gaussian, mnist, fashion-mnist, file, got "cifar"/);
    expect(err(withTraining({ method: 'adam' }))).toMatch(/^training.method: must be one of gd, flow, sgd/);
    expect(parseSpec({ ...EXAMPLE, limit: 'nngp' }).limit).toBe('nngp'); // unknown: InputError when used (test/limits/registry.test.ts)
    expect(parseSpec({ ...EXAMPLE, limit: 'meanfield' }).limit).toBe('meanfield');
  });

  it('keeps method-specific fields to their method; sgd gets a batch size', () => {
    expect(err(withTraining({ batchSize: 8 }))).toBe('training.batchSize: only used with method "sgd"');
    expect(err(withTraining({ tolerance: 1e-6 }))).toBe('training.tolerance: only used with method "flow"');
    const s = parseSpec(withTraining({ method: 'sgd' }));
    expect([s.training.batchSize, s.training.replace]).toEqual([32, false]);
    expect(parseSpec({ data: { n: 10 }, training: { method: 'sgd', epochs: 3 } }).training).toMatchObject({ batchSize: 10, epochs: 3 });
    expect(parseSpec(withTraining({ method: 'flow', tolerance: 1e-8 })).training.tolerance).toBe(1e-8);
  });

  it('validates the data section per source', () => {
    expect(err(withData({ target: 'x1 + y' }))).toMatch(/^data.target: unknown target or variable "y"/);
    expect(err(withData({ labels: 'digit' }))).toBe('data.labels: only used with sources "mnist" and "fashion-mnist"');
    const m = parseSpec({ data: { source: 'mnist', labels: 'digit', n: 10 } }).data;
    expect(m).toMatchObject({ dim: 784, outputs: 10, target: 'digit', labels: 'digit' });
    expect(err({ data: { source: 'mnist', dim: 5 } })).toBe('data.dim: mnist images have 784 pixels, got 5');
    expect(err({ data: { source: 'mnist', target: 'linear' } })).toMatch(/^data.target: not used with source "mnist"/);
    expect(err({ data: { source: 'file' } })).toBe('data.path: is required');
    expect(parseSpec({ data: { source: 'file', path: 'd.json' } }).data).toMatchObject({ n: 0, nTest: 0, dim: 0, outputs: 0 });
    expect(err(withData({ noise: -1 }))).toBe('data.noise: must be >= 0, got -1');
  });

  it('passes limitOptions through untouched, but it must be an object', () => {
    const opts = { particles: 1000, nested: { anything: [1, 'two'] } };
    expect(parseSpec({ ...EXAMPLE, limitOptions: opts }).limitOptions).toEqual(opts);
    expect(err({ ...EXAMPLE, limitOptions: 3 })).toBe('limitOptions: must be an object, got 3');
  });

  it('prefixes error paths with where', () => {
    try {
      parseSpec(withModel({ width: -1 }), 'experiments.geiger');
      expect.unreachable();
    } catch (e) {
      expect((e as InputError).where).toBe('experiments.geiger.model.width');
    }
  });
});

describe('readSpecFile and applyOverrides', () => {
  it('reports a missing file and malformed JSON with the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wl-spec-'));
    const p = join(dir, 'bad.json');
    writeFileSync(p, '{"model": {"width": 3,}}');
    expect(() => readSpecFile(join(dir, 'none.json'))).toThrow(InputError);
    try { readSpecFile(join(dir, 'none.json')); } catch (e) { expect(`${(e as InputError).where}: ${(e as InputError).what}`).toBe(`${join(dir, 'none.json')}: file not found`); }
    try { readSpecFile(p); } catch (e) { expect((e as InputError).where).toBe(p); expect((e as InputError).what).toMatch(/^malformed JSON: /); }
  });

  it('resolves a relative data.path against the spec file\'s folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wl-spec-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'd.json'), JSON.stringify({ x: [[1], [2]], y: [1, 2] }));
    writeFileSync(join(dir, 's.json'), JSON.stringify({ data: { source: 'file', path: 'sub/d.json' } }));
    try {
      const s = readSpecFile(join(dir, 's.json'));
      // outside the working directory the resolved path is stored absolute (inside it, relative)
      const rel = relative(process.cwd(), join(dir, 'sub', 'd.json'));
      expect(s.data.path).toBe(rel.startsWith('..') ? join(dir, 'sub', 'd.json') : rel);
      expect(loadData(s.data).x.rows).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('overrides width and seed without touching the input spec', () => {
    const s = parseSpec(EXAMPLE);
    const o = applyOverrides(s, { width: 64, seed: 5 });
    expect([o.model.width, o.seed, s.model.width, s.seed]).toEqual([64, 5, 256, 0]);
    expect(o.data.seed).toBe(0);
    expect(() => applyOverrides(s, { width: -3 })).toThrow('--width: must be a positive integer, got -3');
  });
});
