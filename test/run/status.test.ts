/**
 * An ok result never holds a non-finite number (src/run/status.ts): the first one turns the status
 * into diverged (±Infinity) or nan with a message naming its field; finite results are untouched.
 */
import { describe, expect, it } from 'vitest';
import { firstNonFiniteField, statusOfValues } from '../../src/run/status.js';

describe('statusOfValues', () => {
  it('names the first non-finite field by its path, in lists, typed arrays and objects', () => {
    expect(firstNonFiniteField({ a: [1, 2], b: { c: [[0, 1], [2, NaN]] } })).toEqual({ path: 'b.c[1][1]', value: NaN });
    expect(firstNonFiniteField({ t: new Float64Array([0, -Infinity]) })).toEqual({ path: 't[1]', value: -Infinity });
    expect(firstNonFiniteField([1, [2, [3, Infinity]]], 'x')).toEqual({ path: 'x[1][1][1]', value: Infinity });
    expect(firstNonFiniteField({ a: [1, 'NaN', null, { b: 2 }] })).toBeUndefined();
  });

  it('turns an ok result with Infinity into diverged and one with NaN into nan; skips spec and meta', () => {
    const ok = { status: 'ok', message: '', trainLoss: [1, 0.5], meta: { x: NaN }, spec: { y: Infinity } };
    expect(statusOfValues(ok)).toBe(ok);
    const inf = statusOfValues({ ...ok, trainLoss: [1, Infinity] });
    expect(inf.status).toBe('diverged');
    expect(inf.message).toMatch(/^trainLoss\[1\] is Infinity \(written as null\)/);
    expect(statusOfValues({ ...ok, fTest: [[0], [NaN]] }).status).toBe('nan');
    const failed = { ...ok, status: 'unstable', trainLoss: [NaN] };
    expect(statusOfValues(failed)).toBe(failed);
  });
});
