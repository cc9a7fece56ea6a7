/**
 * Data sets from files (theory/data.md#file): JSON `{"x": [[…]], "y": […] | [[…]],
 * "xTest": [[…]], "yTest": […]}` or CSV with a header (see `csv.ts`). Every entry is checked:
 * ragged rows, mismatched lengths and non-finite values are {@link InputError}s at
 * `data.path (<file>)` naming the entry.
 */
import { resolve, extname } from 'node:path';
import { InputError, show } from '../core/errors.js';
import { mat, type Mat } from '../core/matrix.js';
import type { DataSpec } from '../spec/types.js';
import type { Dataset } from './dataset.js';
import { parseCsvData } from './csv.js';
import { parseJsonText, readTextFile } from './jsonFile.js';
import { firstRows, matrixFromJson, targetsFromJson } from './rows.js';

const JSON_KEYS = ['x', 'y', 'xTest', 'yTest', 'description'];

interface RawData {
  x: Mat;
  y: Mat;
  xTest: Mat;
  yTest: Mat;
}

function isJsonText(path: string, text: string): boolean {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return true;
  if (ext === '.csv') return false;
  return /^\s*[[{]/.test(text);
}

function fromJson(v: unknown, where: string): RawData {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new InputError(where, `must be a JSON object {"x": [[…]], "y": […], "xTest": [[…]], "yTest": […]}, got ${show(v)}`);
  }
  const o = v as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!JSON_KEYS.includes(key)) throw new InputError(where, `unknown key ${show(key)} (allowed: ${JSON_KEYS.join(', ')})`);
  }
  if (!('x' in o)) throw new InputError(where, 'has no "x"');
  if (!('y' in o)) throw new InputError(where, 'has no "y"');
  const x = matrixFromJson(o.x, 'x', where);
  const y = targetsFromJson(o.y, 'y', where);
  if ('xTest' in o !== 'yTest' in o) throw new InputError(where, 'has one of "xTest", "yTest" without the other');
  const xTest = 'xTest' in o ? matrixFromJson(o.xTest, 'xTest', where) : mat(0, x.cols);
  const yTest = 'yTest' in o ? targetsFromJson(o.yTest, 'yTest', where) : mat(0, y.cols);
  return { x, y, xTest, yTest };
}

/** Rows of `m` where `keep[i]` holds. */
function selectRows(m: Mat, keep: boolean[], want: boolean): Mat {
  const idx: number[] = [];
  keep.forEach((t, i) => { if (t === want) idx.push(i); });
  const out = mat(idx.length, m.cols);
  idx.forEach((i, r) => out.data.set(m.data.subarray(i * m.cols, (i + 1) * m.cols), r * m.cols));
  return out;
}

function fromCsv(text: string, where: string): RawData {
  const t = parseCsvData(text, where);
  if (!t.y) throw new InputError(where, 'CSV file has no target column y or y1..yk');
  if (!t.isTest) return { x: t.x, y: t.y, xTest: mat(0, t.x.cols), yTest: mat(0, t.y.cols) };
  const data = {
    x: selectRows(t.x, t.isTest, false),
    y: selectRows(t.y, t.isTest, false),
    xTest: selectRows(t.x, t.isTest, true),
    yTest: selectRows(t.y, t.isTest, true),
  };
  if (data.x.rows === 0) throw new InputError(where, 'CSV file has no rows with split = train');
  return data;
}

function checkShapes(r: RawData, where: string): void {
  if (r.y.rows !== r.x.rows) throw new InputError(where, `x has ${r.x.rows} rows but y has ${r.y.rows}`);
  if (r.yTest.rows !== r.xTest.rows) throw new InputError(where, `xTest has ${r.xTest.rows} rows but yTest has ${r.yTest.rows}`);
  if (r.xTest.rows > 0 && r.xTest.cols !== r.x.cols) {
    throw new InputError(where, `xTest rows have ${r.xTest.cols} entries but x rows have ${r.x.cols}`);
  }
  if (r.yTest.rows > 0 && r.yTest.cols !== r.y.cols) {
    throw new InputError(where, `yTest has ${r.yTest.cols} outputs per point but y has ${r.y.cols}`);
  }
}

/**
 * Apply the spec's sizes: `n`, `nTest` > 0 take the first rows (the file must have enough);
 * `dim`, `outputs` > 0 must equal the file's. 0 means "as in the file".
 */
function applySizes(r: RawData, d: DataSpec, shown: string): RawData {
  if (d.dim > 0 && d.dim !== r.x.cols) throw new InputError('data.dim', `is ${d.dim} but ${shown} has ${r.x.cols} inputs per point`);
  if (d.outputs > 0 && d.outputs !== r.y.cols) throw new InputError('data.outputs', `is ${d.outputs} but ${shown} has ${r.y.cols} outputs per point`);
  if (d.n > r.x.rows) throw new InputError('data.n', `is ${d.n} but ${shown} has only ${r.x.rows} training points`);
  if (d.nTest > r.xTest.rows) throw new InputError('data.nTest', `is ${d.nTest} but ${shown} has only ${r.xTest.rows} test points`);
  const n = d.n > 0 ? d.n : r.x.rows;
  const nTest = d.nTest > 0 ? d.nTest : r.xTest.rows;
  return {
    x: firstRows(r.x, n),
    y: firstRows(r.y, n),
    xTest: firstRows(r.xTest, nTest),
    yTest: mat(nTest, r.y.cols, r.yTest.data.slice(0, nTest * r.y.cols)),
  };
}

/** Load `data.path` (resolved against `baseDir`, default the working directory). */
export function loadFileData(d: DataSpec, baseDir = process.cwd()): Dataset {
  if (d.path === undefined || d.path === '') throw new InputError('data.path', 'is required for source "file"');
  const shown = d.path;
  const where = `data.path (${shown})`;
  const text = readTextFile(resolve(baseDir, d.path), 'data.path', shown);
  const raw = isJsonText(d.path, text) ? fromJson(parseJsonText(text, shown, 'data.path'), where) : fromCsv(text, where);
  checkShapes(raw, where);
  const r = applySizes(raw, d, shown);
  return {
    ...r,
    description: `file ${shown}: n=${r.x.rows}, nTest=${r.xTest.rows}, d=${r.x.cols}, k=${r.y.cols}`,
  };
}

/**
 * Inputs only (for `widelimit kernel`): a JSON array of rows, a JSON object with `x` (other
 * keys of a data file allowed and ignored), or a CSV file (its x1..xd columns, every row).
 */
export function readInputMatrix(path: string, where: string, baseDir = process.cwd()): Mat {
  const text = readTextFile(resolve(baseDir, path), where, path);
  const at = `${where} (${path})`;
  if (!isJsonText(path, text)) return parseCsvData(text, at).x;
  const v = parseJsonText(text, path, where);
  if (Array.isArray(v)) return matrixFromJson(v, 'rows', at);
  if (typeof v === 'object' && v !== null && 'x' in v) return matrixFromJson((v as { x: unknown }).x, 'x', at);
  throw new InputError(at, `must be an array of rows or an object with "x", got ${show(v)}`);
}
