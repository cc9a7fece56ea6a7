/**
 * Numeric matrices from untrusted JSON values, with errors that locate the bad entry:
 * `x[3][1] is not a finite number, got null`, `x[2] has 4 entries, expected 5 (as x[0])`.
 */
import { InputError, show } from '../core/errors.js';
import { mat, type Mat } from '../core/matrix.js';

/**
 * An n×d matrix from an array of n rows of d finite numbers (`where` locates the file,
 * `name` the field, e.g. `x`). Empty arrays and empty rows are errors.
 */
export function matrixFromJson(v: unknown, name: string, where: string): Mat {
  if (!Array.isArray(v)) throw new InputError(where, `${name} must be an array of rows, got ${show(v)}`);
  if (v.length === 0) throw new InputError(where, `${name} has no rows`);
  const first = v[0];
  if (!Array.isArray(first)) throw new InputError(where, `${name}[0] must be an array of numbers, got ${show(first)}`);
  const d = first.length;
  if (d === 0) throw new InputError(where, `${name}[0] is empty`);
  const out = mat(v.length, d);
  for (let i = 0; i < v.length; i++) {
    const r = v[i];
    if (!Array.isArray(r)) throw new InputError(where, `${name}[${i}] must be an array of numbers, got ${show(r)}`);
    if (r.length !== d) throw new InputError(where, `${name}[${i}] has ${r.length} entries, expected ${d} (as ${name}[0])`);
    for (let j = 0; j < d; j++) out.data[i * d + j] = finiteEntry(r[j], `${name}[${i}][${j}]`, where);
  }
  return out;
}

/**
 * Targets: an array of n numbers (→ n×1) or of n rows of k numbers (→ n×k).
 */
export function targetsFromJson(v: unknown, name: string, where: string): Mat {
  if (!Array.isArray(v)) throw new InputError(where, `${name} must be an array of numbers or of rows, got ${show(v)}`);
  if (v.length === 0) throw new InputError(where, `${name} has no entries`);
  if (Array.isArray(v[0])) return matrixFromJson(v, name, where);
  const out = mat(v.length, 1);
  for (let i = 0; i < v.length; i++) {
    if (Array.isArray(v[i])) throw new InputError(where, `${name}[${i}] is an array but ${name}[0] is a number`);
    out.data[i] = finiteEntry(v[i], `${name}[${i}]`, where);
  }
  return out;
}

/** A finite number or an InputError `<name> is not a finite number, got <v>`. */
export function finiteEntry(v: unknown, name: string, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new InputError(where, `${name} is not a finite number, got ${show(v)}`);
  }
  return v;
}

/** The first `n` rows of `m` (a copy). */
export function firstRows(m: Mat, n: number): Mat {
  return mat(n, m.cols, m.data.slice(0, n * m.cols));
}
