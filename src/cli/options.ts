/**
 * Parsing command-line option values; errors name the option (`error: --width: must be a
 * positive integer, got "abc"`).
 */
import { InputError, show } from '../core/errors.js';

const INT = /^[+-]?\d+$/;
const NUM = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** An integer ≥ `min` (1 by default), or undefined when the option is absent. */
export function intOption(flag: string, v: unknown, min = 1): number | undefined {
  if (v === undefined) return undefined;
  const s = String(v).trim();
  const x = INT.test(s) ? Number(s) : NaN;
  if (!Number.isSafeInteger(x) || x < min) {
    const kind = min === 1 ? 'a positive integer' : min === 0 ? 'a non-negative integer' : `an integer >= ${min}`;
    throw new InputError(flag, `must be ${kind}, got ${show(s)}`);
  }
  return x;
}

/** A finite number (≥ `min` when given), or undefined when the option is absent. */
export function numOption(flag: string, v: unknown, min?: number): number | undefined {
  if (v === undefined) return undefined;
  const s = String(v).trim();
  const x = NUM.test(s) ? Number(s) : NaN;
  if (!Number.isFinite(x)) throw new InputError(flag, `must be a finite number, got ${show(s)}`);
  if (min !== undefined && x < min) throw new InputError(flag, `must be >= ${min}, got ${show(s)}`);
  return x;
}

/** One of `choices`. */
export function choiceOption<T extends string>(flag: string, v: unknown, choices: readonly T[]): T {
  const s = String(v);
  if (!(choices as readonly string[]).includes(s)) throw new InputError(flag, `must be one of ${choices.join(', ')}, got ${show(s)}`);
  return s as T;
}

/**
 * A required option's value. Required options are checked here rather than by commander's
 * `requiredOption`, so that a misspelt option is reported as unknown (commander checks missing
 * mandatory options first).
 */
export function requiredOption(flag: string, v: string | undefined): string {
  if (v === undefined || v === '') throw new InputError(flag, 'required option not given');
  return v;
}
