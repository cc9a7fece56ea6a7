/**
 * Sizes a spec implies are checked before anything is allocated, and an impossible one is an
 * input error naming the field and the value (not `Invalid typed array length` inside a run);
 * SGD batches cannot be larger than the training set.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { checkSizes, MAX_ARRAY_ENTRIES } from '../../src/spec/size.js';
import { applyOverrides, parseSpec } from '../../src/spec/validate.js';

function err(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return `${e.where}: ${e.what}`;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('spec sizes', () => {
  it('a width whose weight matrix exceeds 2^30 entries is an input error at model.width naming the value', () => {
    // depth 2, width 2^15 + 1: the hidden matrix has (2^15 + 1)^2 > 2^30 entries; 2^15 is exactly 2^30 and passes
    expect(err(() => parseSpec({ model: { depth: 2, width: 2 ** 15 + 1 } }))).toMatch(
      /^model\.width: 32769 gives a 32769×32769 hidden weight matrix \(1073807361 entries\); at most 1073741824 \(2\^30/,
    );
    expect(parseSpec({ model: { depth: 2, width: 2 ** 15 } }).model.width).toBe(2 ** 15);
    expect(err(() => parseSpec({ model: { width: 2 ** 26 }, data: { dim: 20 } }))).toMatch(/^model\.width: 67108864 gives a 67108864×20 first-layer weight matrix/);
    // beyond the bound of the field itself
    expect(err(() => parseSpec({ model: { width: 1e12 } }))).toBe('model.width: must be at most 67108864, got 1000000000000');
  });

  it('a one-hidden-layer network has no hidden matrix: a wide depth-1 network stays valid', () => {
    // 65536 × 5 inputs, 48 points: far below 2^30 entries per array
    expect(parseSpec({ model: { depth: 1, width: 65536 } }).model.width).toBe(65536);
  });

  it('too many data entries is an input error at data.n; too many activations names the width', () => {
    expect(err(() => parseSpec({ data: { n: 2 ** 24, dim: 100000 } }))).toMatch(/^data\.n: 16777216 training and 16 test points of dimension 100000 give 1677723200000 input entries/);
    expect(err(() => parseSpec({ data: { n: 1e8 } }))).toBe('data.n: must be at most 16777216, got 100000000');
    expect(err(() => parseSpec({ data: { n: 2 ** 20, nTest: 0, dim: 1 }, model: { depth: 1, width: 2 ** 11 } }))).toMatch(
      /^model\.width: 2048 gives a 1048576×2048 activation matrix \(1048576 training and test points × width\)/,
    );
  });

  it('a command-line width is checked and named as the option', () => {
    const s = parseSpec({});
    expect(err(() => applyOverrides(s, { width: 100000000 }))).toMatch(/^--width: 100000000 gives a 100000000×100000000 hidden weight matrix/);
    expect(err(() => checkSizes({ ...s, model: { ...s.model, width: 2 ** 31 } }, '--widths'))).toMatch(/^--widths: 2147483648 gives/);
    expect(MAX_ARRAY_ENTRIES).toBe(2 ** 30);
  });

  it('paths carry the where prefix of experiment specs', () => {
    expect(err(() => parseSpec({ model: { width: 1e12 } }, 'exp.spec'))).toMatch(/^exp\.spec\.model\.width: /);
    expect(err(() => parseSpec({ data: { n: 1e8, dim: 100000 } }, 'exp.spec'))).toMatch(/^exp\.spec\.data\.n: /);
  });
});

describe('sgd batch size', () => {
  it('without replacement, a batch larger than the training set is an input error naming data.n and the value', () => {
    expect(err(() => parseSpec({ data: { n: 32 }, training: { method: 'sgd', batchSize: 1000 } }))).toBe(
      'training.batchSize: must be at most data.n = 32 (batches cut epochs of the training set; or set replace: true), got 1000',
    );
    // with replacement a batch may repeat points, so it may be larger than the training set
    expect(parseSpec({ data: { n: 32 }, training: { method: 'sgd', batchSize: 1000, replace: true } }).training.batchSize).toBe(1000);
    expect(parseSpec({ data: { n: 32 }, training: { method: 'sgd', batchSize: 32 } }).training.batchSize).toBe(32);
  });

  it('file data of unknown size (n = 0: as in the file) is not checked against the batch size', () => {
    expect(parseSpec({ data: { source: 'file', path: 'd.json' }, training: { method: 'sgd', batchSize: 1000 } }).training.batchSize).toBe(1000);
  });
});
