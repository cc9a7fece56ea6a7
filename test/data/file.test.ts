import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { toRows } from '../../src/core/matrix.js';
import { readInputMatrix } from '../../src/data/file.js';
import { loadData } from '../../src/data/load.js';
import type { DataSpec } from '../../src/spec/types.js';

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'wl-file-')); });

function put(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}
const fileSpec = (path: string, o: Partial<DataSpec> = {}): DataSpec => ({
  source: 'file', n: 0, nTest: 0, dim: 0, target: 'file', outputs: 0, seed: 0, path, ...o,
});
function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return `${e.where}: ${e.what}`;
    throw e;
  }
  throw new Error('expected an InputError');
}
const load = (name: string, o: Partial<DataSpec> = {}) => loadData(fileSpec(name, o), dir);

describe('JSON data files', () => {
  it('reads x, y (numbers → k = 1), xTest, yTest', () => {
    put('a.json', JSON.stringify({ x: [[1, 2], [3, 4], [5, 6]], y: [1, -1, 0.5], xTest: [[0, 1]], yTest: [2] }));
    const ds = load('a.json');
    expect(toRows(ds.x)).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(toRows(ds.y)).toEqual([[1], [-1], [0.5]]);
    expect(toRows(ds.xTest)).toEqual([[0, 1]]);
    expect(toRows(ds.yTest)).toEqual([[2]]);
  });

  it('reads k outputs from rows of y, and no test set when xTest/yTest are absent', () => {
    put('b.json', JSON.stringify({ x: [[1], [2]], y: [[1, 0, 0], [0, 1, 0]] }));
    const ds = load('b.json');
    expect([ds.y.rows, ds.y.cols, ds.xTest.rows, ds.xTest.cols, ds.yTest.cols]).toEqual([2, 3, 0, 1, 3]);
  });

  it('takes the first n rows, and checks dim and outputs against the file', () => {
    put('c.json', JSON.stringify({ x: [[1, 1], [2, 2], [3, 3]], y: [1, 2, 3] }));
    expect(toRows(load('c.json', { n: 2 }).y)).toEqual([[1], [2]]);
    expect(message(() => load('c.json', { n: 4 }))).toBe('data.n: is 4 but c.json has only 3 training points');
    expect(message(() => load('c.json', { dim: 3 }))).toBe('data.dim: is 3 but c.json has 2 inputs per point');
    expect(message(() => load('c.json', { outputs: 2 }))).toBe('data.outputs: is 2 but c.json has 1 outputs per point');
  });

  it('names the file and the entry of a non-finite value', () => {
    put('d.json', '{"x": [[1, 2], [3, 4], [5, 6], [7, null]], "y": [1, 2, 3, 4]}');
    expect(message(() => load('d.json'))).toBe('data.path (d.json): x[3][1] is not a finite number, got null');
    put('d2.json', '{"x": [[1], [2]], "y": [1, "NaN"]}');
    expect(message(() => load('d2.json'))).toBe('data.path (d2.json): y[1] is not a finite number, got "NaN"');
    put('d3.json', '{"x": [[1], [1e999]], "y": [1, 2]}'); // 1e999 parses to Infinity
    expect(message(() => load('d3.json'))).toBe('data.path (d3.json): x[1][0] is not a finite number, got Infinity');
  });

  it('refuses ragged rows and mismatched lengths', () => {
    put('e.json', '{"x": [[1, 2], [3]], "y": [1, 2]}');
    expect(message(() => load('e.json'))).toBe('data.path (e.json): x[1] has 1 entries, expected 2 (as x[0])');
    put('f.json', '{"x": [[1, 2], [3, 4]], "y": [1, 2, 3]}');
    expect(message(() => load('f.json'))).toBe('data.path (f.json): x has 2 rows but y has 3');
    put('g.json', '{"x": [[1, 2]], "y": [1], "xTest": [[1, 2, 3]], "yTest": [1]}');
    expect(message(() => load('g.json'))).toBe('data.path (g.json): xTest rows have 3 entries but x rows have 2');
    put('h.json', '{"x": [[1, 2]], "y": [1], "xTest": [[1, 2]]}');
    expect(message(() => load('h.json'))).toMatch(/one of "xTest", "yTest" without the other/);
  });

  it('refuses unknown keys, missing file and malformed JSON, naming the file', () => {
    put('i.json', '{"x": [[1]], "y": [1], "ytest": [1]}');
    expect(message(() => load('i.json'))).toMatch(/^data.path \(i.json\): unknown key "ytest"/);
    expect(message(() => load('nope.json'))).toBe('data.path: file not found: nope.json');
    put('j.json', '{"x": [[1, 2]],\n "y": }');
    expect(message(() => load('j.json'))).toMatch(/^data.path: malformed JSON in j.json: /);
    expect(message(() => load('j.json'))).not.toContain('\n');
  });
});

describe('CSV data files', () => {
  it('reads columns by name in any order, with a train/test split', () => {
    put('a.csv', 'y,x2,x1,split\n1,0.5,1.5,train\n-1,2,3,test\n\n2,-1,-2,train\n');
    const ds = load('a.csv');
    expect(toRows(ds.x)).toEqual([[1.5, 0.5], [-2, -1]]);
    expect(toRows(ds.y)).toEqual([[1], [2]]);
    expect(toRows(ds.xTest)).toEqual([[3, 2]]);
    expect(toRows(ds.yTest)).toEqual([[-1]]);
  });

  it('reads y1..yk as k outputs; without split every row trains', () => {
    put('b.csv', 'x1,y1,y2\r\n1,2,3\r\n4,5,6\r\n');
    const ds = load('b.csv');
    expect(toRows(ds.y)).toEqual([[2, 3], [5, 6]]);
    expect(ds.xTest.rows).toBe(0);
  });

  it('names line and column of a bad value, and refuses ragged lines and bad headers', () => {
    put('c.csv', 'x1,x2,y\n1,2,3\n4,5,6\n7,abc,9\n');
    expect(message(() => load('c.csv'))).toBe('data.path (c.csv): line 4, column x2 is not a finite number, got "abc"');
    put('c2.csv', 'x1,y\n1,\n');
    expect(message(() => load('c2.csv'))).toBe('data.path (c2.csv): line 2, column y is not a finite number, got ""');
    put('d.csv', 'x1,x2,y\n1,2,3\n4,5\n');
    expect(message(() => load('d.csv'))).toBe('data.path (d.csv): line 3 has 2 fields, expected 3 (as the header)');
    put('e.csv', 'x1,x3,y\n1,2,3\n');
    expect(message(() => load('e.csv'))).toBe('data.path (e.csv): CSV header has x3 but no x2');
    put('f.csv', 'x1,z,y\n1,2,3\n');
    expect(message(() => load('f.csv'))).toMatch(/unknown CSV column "z"/);
    put('g.csv', 'x1,y,split\n1,2,validate\n');
    expect(message(() => load('g.csv'))).toMatch(/line 2, column split must be train or test/);
    put('h.csv', 'x1,x2\n1,2\n');
    expect(message(() => load('h.csv'))).toMatch(/no target column/);
  });
});

describe('input matrices for widelimit kernel', () => {
  it('reads a bare array of rows, a data file, or CSV inputs', () => {
    put('k1.json', '[[1, 2], [3, 4]]');
    put('k2.json', '{"x": [[1, 2], [3, 4]], "y": [0, 1]}');
    put('k3.csv', 'x1,x2\n1,2\n3,4\n');
    for (const f of ['k1.json', 'k2.json', 'k3.csv']) expect(toRows(readInputMatrix(f, '--data', dir))).toEqual([[1, 2], [3, 4]]);
    put('k4.json', '[[1, 2], [3, 4, 5]]');
    expect(message(() => readInputMatrix('k4.json', '--data', dir))).toBe('--data (k4.json): rows[1] has 3 entries, expected 2 (as rows[0])');
    expect(message(() => readInputMatrix('none.json', '--data', dir))).toBe('--data: file not found: none.json');
  });
});
