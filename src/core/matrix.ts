/**
 * Dense row-major matrices on Float64Array with explicit shapes.
 *
 * `Mat` is a plain value: `data[i * cols + j]` is entry (i, j). Nothing broadcasts: every
 * function that combines matrices checks shapes with {@link assertShape} and throws on mismatch
 * (a programming error, not an input error: public boundaries validate inputs first).
 */

export interface Mat {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** A rows × cols matrix, zero-filled or wrapping `data` (length must match). */
export function mat(rows: number, cols: number, data?: Float64Array): Mat {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new RangeError(`mat: bad shape ${rows}x${cols}`);
  }
  const d = data ?? new Float64Array(rows * cols);
  if (d.length !== rows * cols) {
    throw new RangeError(`mat: data length ${d.length} does not match shape ${rows}x${cols}`);
  }
  return { rows, cols, data: d };
}

export function assertShape(name: string, m: Mat, rows: number, cols: number): void {
  if (m.rows !== rows || m.cols !== cols) {
    throw new RangeError(`${name}: expected shape ${rows}x${cols}, got ${m.rows}x${m.cols}`);
  }
}

/** From nested arrays (all rows must have the same length). */
export function fromRows(rows: ArrayLike<ArrayLike<number>>): Mat {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0].length;
  const out = mat(r, c);
  for (let i = 0; i < r; i++) {
    const row = rows[i];
    if (row.length !== c) throw new RangeError(`fromRows: row ${i} has length ${row.length}, expected ${c}`);
    for (let j = 0; j < c; j++) out.data[i * c + j] = row[j];
  }
  return out;
}

export function toRows(m: Mat): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

export function clone(m: Mat): Mat {
  return mat(m.rows, m.cols, m.data.slice());
}

export function identity(n: number): Mat {
  const out = mat(n, n);
  for (let i = 0; i < n; i++) out.data[i * n + i] = 1;
  return out;
}

export function transpose(m: Mat, out?: Mat): Mat {
  const o = out ?? mat(m.cols, m.rows);
  assertShape('transpose(out)', o, m.cols, m.rows);
  const { rows, cols, data } = m;
  const od = o.data;
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) od[j * rows + i] = data[i * cols + j];
  return o;
}

/** Row i as a view (no copy). */
export function row(m: Mat, i: number): Float64Array {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

/** Frobenius norm. */
export function frobenius(m: Mat | Float64Array): number {
  const d = 'data' in m ? m.data : m;
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i] * d[i];
  return Math.sqrt(s);
}

/** ‖a − b‖_F for equal shapes. */
export function frobeniusDistance(a: Mat, b: Mat): number {
  assertShape('frobeniusDistance', b, a.rows, a.cols);
  let s = 0;
  for (let i = 0; i < a.data.length; i++) {
    const t = a.data[i] - b.data[i];
    s += t * t;
  }
  return Math.sqrt(s);
}

/** y = A x for a vector x (length A.cols). */
export function matVec(a: Mat, x: Float64Array, out?: Float64Array): Float64Array {
  if (x.length !== a.cols) throw new RangeError(`matVec: x has length ${x.length}, expected ${a.cols}`);
  const y = out ?? new Float64Array(a.rows);
  const { rows, cols, data } = a;
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const o = i * cols;
    for (let k = 0; k < cols; k++) s += data[o + k] * x[k];
    y[i] = s;
  }
  return y;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`dot: lengths ${a.length} and ${b.length} differ`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function norm2(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}
