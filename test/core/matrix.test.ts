import { describe, it, expect } from 'vitest';
import {
  mat, fromRows, toRows, clone, identity, transpose, row, frobenius, frobeniusDistance,
  matVec, dot, norm2, assertShape,
} from '../../src/core/matrix.js';

describe('matrix helpers', () => {
  it('mat allocates zeros, wraps data, and rejects bad shapes or lengths', () => {
    const m = mat(2, 3);
    expect(m.rows).toBe(2); expect(m.cols).toBe(3); expect(Array.from(m.data)).toEqual([0, 0, 0, 0, 0, 0]);
    const d = new Float64Array(6);
    expect(mat(3, 2, d).data).toBe(d);
    expect(mat(0, 5).data.length).toBe(0);
    expect(() => mat(-1, 2)).toThrow(RangeError);
    expect(() => mat(1.5, 2)).toThrow(RangeError);
    expect(() => mat(2, 2, new Float64Array(3))).toThrow(RangeError);
  });

  it('fromRows/toRows round-trip row-major data; ragged rows throw', () => {
    const rows = [[1, 2, 3], [4, 5, 6]];
    const m = fromRows(rows);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(toRows(m)).toEqual(rows);
    expect(fromRows([]).rows).toBe(0);
    expect(() => fromRows([[1, 2], [3]])).toThrow(RangeError);
  });

  it('clone copies the data; identity is I; transpose swaps indices (also 0×n and into out)', () => {
    const m = fromRows([[1, 2, 3], [4, 5, 6]]);
    const c = clone(m);
    c.data[0] = 99;
    expect(m.data[0]).toBe(1);
    expect(toRows(identity(3))).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(toRows(transpose(m))).toEqual([[1, 4], [2, 5], [3, 6]]);
    const out = mat(3, 2);
    expect(transpose(m, out)).toBe(out);
    expect(() => transpose(m, mat(2, 3))).toThrow(RangeError);
    const e = transpose(mat(0, 4));
    expect([e.rows, e.cols]).toEqual([4, 0]);
  });

  it('row is a view into the data', () => {
    const m = fromRows([[1, 2], [3, 4]]);
    const r = row(m, 1);
    expect(Array.from(r)).toEqual([3, 4]);
    r[0] = 7;
    expect(m.data[2]).toBe(7);
  });

  it('norms and distances: frobenius, frobeniusDistance, norm2, dot', () => {
    const a = fromRows([[3, 0], [0, 4]]);
    expect(frobenius(a)).toBe(5);
    expect(frobenius(a.data)).toBe(5);
    expect(frobeniusDistance(a, mat(2, 2))).toBe(5);
    expect(() => frobeniusDistance(a, mat(1, 2))).toThrow(RangeError);
    expect(norm2([3, 4])).toBe(5);
    expect(dot([1, 2, 3], [4, 5, 6])).toBe(32);
    expect(() => dot([1], [1, 2])).toThrow(RangeError);
  });

  it('matVec computes A x (also into out) and checks the length', () => {
    const a = fromRows([[1, 2, 3], [4, 5, 6]]);
    expect(Array.from(matVec(a, Float64Array.from([1, 0, -1])))).toEqual([-2, -2]);
    const out = new Float64Array(2);
    expect(matVec(a, Float64Array.from([1, 1, 1]), out)).toBe(out);
    expect(Array.from(out)).toEqual([6, 15]);
    expect(() => matVec(a, new Float64Array(2))).toThrow(RangeError);
  });

  it('assertShape throws a RangeError naming the expected and actual shapes', () => {
    expect(() => assertShape('X', mat(2, 3), 2, 3)).not.toThrow();
    expect(() => assertShape('X', mat(2, 3), 3, 2)).toThrow(/X: expected shape 3x2, got 2x3/);
  });
});
