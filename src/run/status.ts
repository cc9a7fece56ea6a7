/**
 * An `ok` result never holds a non-finite number (README: "a numerical failure … still writes the
 * result file with its status and exits 3"). JSON has no NaN or Infinity: they would be written as
 * null and read back as a silent hole. The first non-finite number of an `ok` result turns its
 * status into `diverged` (±Infinity) or `nan`, with a message naming the field.
 */
import type { Status } from '../core/errors.js';

/** The first non-finite number under `v`: the keys and indices leading to it, and the value. */
function findNonFinite(v: unknown, depth: number): { keys: Array<string | number>; value: number } | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : { keys: [], value: v };
  if (depth > 64 || v === null || typeof v !== 'object') return undefined;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const a = v as unknown as ArrayLike<number>;
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return { keys: [i], value: a[i] };
    return undefined;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      // plain numbers checked in line: a result holds millions of them
      if (typeof x === 'number') {
        if (!Number.isFinite(x)) return { keys: [i], value: x };
        continue;
      }
      const hit = findNonFinite(x, depth + 1);
      if (hit) return (hit.keys.unshift(i), hit);
    }
    return undefined;
  }
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const hit = findNonFinite(x, depth + 1);
    if (hit) return (hit.keys.unshift(k), hit);
  }
  return undefined;
}

/**
 * Path (`trainLoss[3]`, `fTrain[2][0]`) and value of the first non-finite number in `v`, or
 * undefined. The path is built only for the hit (a scan of 10^7 numbers makes no strings).
 */
export function firstNonFiniteField(v: unknown, path = '', depth = 0): { path: string; value: number } | undefined {
  const hit = findNonFinite(v, depth);
  if (!hit) return undefined;
  let p = path;
  for (const k of hit.keys) p = typeof k === 'number' ? `${p}[${k}]` : p === '' ? k : `${p}.${k}`;
  return { path: p, value: hit.value };
}

/**
 * `r` itself when its status is not ok or all its numbers are finite; else a copy with status
 * `diverged` / `nan` and a message naming the first non-finite field. `skip` lists top-level
 * fields not checked (for example the spec, which holds no results).
 */
export function statusOfValues<R extends { status: string; message?: string }>(r: R, skip: readonly string[] = ['spec', 'meta']): R {
  if (r.status !== 'ok') return r;
  const checked: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) if (!skip.includes(k)) checked[k] = v;
  const hit = firstNonFiniteField(checked);
  if (!hit) return r;
  const status: Status = Number.isNaN(hit.value) ? 'nan' : 'diverged';
  const why = Number.isNaN(hit.value) ? 'an undefined value (NaN)' : 'an overflow';
  return {
    ...r,
    status,
    message: `${hit.path} is ${hit.value} (written as null): ${why} in the run; scale the targets, inputs or learning rate down`,
  };
}
