/**
 * Errors and outcomes.
 *
 * Two kinds of failure are kept apart (docs/interface.md#errors:
 * - {@link InputError}: the user's input is wrong. The CLI prints `error: <where>: <what>` and
 *   exits with code 2.
 * - numerical failure during a run: never thrown; returned as data with a {@link Status} and a
 *   message, so that a sweep can record it and go on. The CLI exits with code 3.
 */

/** Bad input, located by `where` (a spec path such as `model.width` or a file name). */
export class InputError extends Error {
  readonly where: string;
  readonly what: string;
  constructor(where: string, what: string) {
    super(`${where}: ${what}`);
    this.name = 'InputError';
    this.where = where;
    this.what = what;
  }
}

/** Status of a solver, trainer or sweep cell. `ok` is the only success. */
export type Status = 'ok' | 'diverged' | 'nan' | 'not-converged' | 'unstable' | 'failed';

/** What every solver result carries: a status and a human-readable message ('' when ok). */
export interface Outcome {
  status: Status;
  message: string;
}

export const OK: Outcome = Object.freeze({ status: 'ok', message: '' }) as Outcome;

/** `s` cut to at most `max` characters, the cut marked by `…` (echoed input stays short). */
export function excerpt(s: string, max = 80): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Format a value for an error message (short, JSON-like: at most 80 characters). */
export function show(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return value.length > 80 ? `${JSON.stringify(value.slice(0, 76))}…` : JSON.stringify(value);
  try {
    const s = JSON.stringify(value);
    return s === undefined ? excerpt(String(value)) : s.length > 80 ? s.slice(0, 77) + '...' : s;
  } catch {
    return excerpt(String(value));
  }
}

/** Throw an InputError unless `v` is a positive integer. */
export function requirePositiveInt(where: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new InputError(where, `must be a positive integer, got ${show(v)}`);
  }
  return v;
}

/** Throw an InputError unless `v` is a finite number. */
export function requireFinite(where: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new InputError(where, `must be a finite number, got ${show(v)}`);
  }
  return v;
}

/** Throw an InputError unless `v` is a finite number > 0. */
export function requirePositive(where: string, v: unknown): number {
  requireFinite(where, v);
  if ((v as number) <= 0) throw new InputError(where, `must be > 0, got ${show(v)}`);
  return v as number;
}

/** Throw an InputError unless `v` is a finite number >= 0. */
export function requireNonNegative(where: string, v: unknown): number {
  requireFinite(where, v);
  if ((v as number) < 0) throw new InputError(where, `must be >= 0, got ${show(v)}`);
  return v as number;
}

/** Throw an InputError unless `v` is an integer >= 0 (a seed offset, for example). */
export function requireNonNegativeInt(where: string, v: unknown): number {
  const x = requireNonNegative(where, v);
  if (!Number.isInteger(x)) throw new InputError(where, `must be an integer, got ${show(x)}`);
  return x;
}

/** First non-finite entry of an array, or -1. */
export function firstNonFinite(a: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return i;
  return -1;
}
