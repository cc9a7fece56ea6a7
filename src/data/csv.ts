/**
 * CSV data files (theory/data.md#file).
 *
 * First line: a header naming every column. Columns `x1..xd` (inputs; all of 1..d, any order),
 * `y` or `y1..yk` (targets), and optionally `split` with values `train` / `test`. Every other
 * line is one point; blank lines are skipped. Fields are plain decimal numbers (no quoting of
 * numbers, no missing values). Errors name the line (1-based, the header is line 1) and column.
 */
import { InputError, show } from '../core/errors.js';
import { mat, type Mat } from '../core/matrix.js';

export interface CsvTable {
  /** Inputs, rows in file order, n×d. */
  readonly x: Mat;
  /** Targets n×k, or null when the file has no y column. */
  readonly y: Mat | null;
  /** Per row: true for `split = test`; null when there is no split column. */
  readonly isTest: boolean[] | null;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

type Column = { kind: 'x'; index: number } | { kind: 'y'; index: number } | { kind: 'split' };

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
}

/** Classify the header's columns and check that x1..xd and y / y1..yk are complete. */
function parseHeader(fields: string[], where: string): { columns: Column[]; d: number; k: number } {
  const columns: Column[] = [];
  const seen = new Set<string>();
  let d = 0;
  let k = 0;
  let bareY = false;
  for (const raw of fields) {
    const name = unquote(raw);
    if (seen.has(name)) throw new InputError(where, `column ${show(name)} appears twice in the header`);
    seen.add(name);
    let m: RegExpExecArray | null;
    if ((m = /^x([1-9]\d*)$/.exec(name))) {
      columns.push({ kind: 'x', index: Number(m[1]) - 1 });
      d = Math.max(d, Number(m[1]));
    } else if (name === 'y') {
      columns.push({ kind: 'y', index: 0 });
      bareY = true;
      k = Math.max(k, 1);
    } else if ((m = /^y([1-9]\d*)$/.exec(name))) {
      columns.push({ kind: 'y', index: Number(m[1]) - 1 });
      k = Math.max(k, Number(m[1]));
    } else if (name === 'split') {
      columns.push({ kind: 'split' });
    } else {
      throw new InputError(where, `unknown CSV column ${show(name)} (expected x1..xd, y or y1..yk, split)`);
    }
  }
  if (d === 0) throw new InputError(where, 'CSV header has no input columns x1..xd');
  for (let j = 1; j <= d; j++) if (!seen.has(`x${j}`)) throw new InputError(where, `CSV header has x${d} but no x${j}`);
  if (bareY && k > 1) throw new InputError(where, 'CSV header mixes y with y1..yk');
  if (bareY && seen.has('y1')) throw new InputError(where, 'CSV header has both y and y1');
  if (!bareY) for (let j = 1; j <= k; j++) if (!seen.has(`y${j}`)) throw new InputError(where, `CSV header has y${k} but no y${j}`);
  return { columns, d, k };
}

/** Parse CSV text (see the module comment). `where` locates the file in errors. */
export function parseCsvData(text: string, where: string): CsvTable {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  if (headerIndex < 0) throw new InputError(where, 'CSV file is empty');
  const header = lines[headerIndex].split(',');
  const { columns, d, k } = parseHeader(header, where);
  const hasSplit = columns.some((c) => c.kind === 'split');
  const xs: number[] = [];
  const ys: number[] = [];
  const isTest: boolean[] = [];
  const xRow = new Array<number>(d);
  const yRow = new Array<number>(k);
  for (let li = headerIndex + 1; li < lines.length; li++) {
    if (lines[li].trim() === '') continue;
    const fields = lines[li].split(',');
    const lineNo = li + 1;
    if (fields.length !== columns.length) {
      throw new InputError(where, `line ${lineNo} has ${fields.length} fields, expected ${columns.length} (as the header)`);
    }
    for (let c = 0; c < columns.length; c++) {
      const col = columns[c];
      const s = unquote(fields[c]);
      if (col.kind === 'split') {
        const v = s.toLowerCase();
        if (v !== 'train' && v !== 'test') throw new InputError(where, `line ${lineNo}, column split must be train or test, got ${show(s)}`);
        isTest.push(v === 'test');
        continue;
      }
      const v = NUMBER.test(s) ? Number(s) : NaN;
      if (!Number.isFinite(v)) {
        throw new InputError(where, `line ${lineNo}, column ${unquote(header[c])} is not a finite number, got ${show(s)}`);
      }
      if (col.kind === 'x') xRow[col.index] = v;
      else yRow[col.index] = v;
    }
    xs.push(...xRow);
    if (k > 0) ys.push(...yRow);
  }
  const n = xs.length / d;
  if (n === 0) throw new InputError(where, 'CSV file has a header but no data rows');
  return {
    x: mat(n, d, Float64Array.from(xs)),
    y: k > 0 ? mat(n, k, Float64Array.from(ys)) : null,
    isTest: hasSplit ? isTest : null,
  };
}
