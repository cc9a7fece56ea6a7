/**
 * Reading one object of an untrusted JSON spec: unknown keys rejected with a suggestion
 * (`model.widht: unknown field (did you mean width?)`), typed getters with defaults whose errors
 * name the field and the value (`model.width: must be a positive integer, got -3`).
 */
import { InputError, requireFinite, requireNonNegative, requirePositive, requirePositiveInt, show } from '../core/errors.js';

/** Edit distance with adjacent transpositions (optimal string alignment; small strings). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The closest candidate within a small edit distance (or equal up to case / `-_`), if any. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = norm(c) === norm(word) ? 0 : distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) { bestD = d; best = c; }
  }
  const limit = word.length <= 3 ? 1 : word.length <= 6 ? 2 : 3;
  return bestD <= limit ? best : undefined;
}

/** Join a path: `join('', 'data') = 'data'`, `join('data', 'n') = 'data.n'`. */
export function join(where: string, key: string): string {
  return where === '' ? key : `${where}.${key}`;
}

export class Fields {
  private constructor(readonly obj: Readonly<Record<string, unknown>>, readonly where: string) {}

  /** `v` must be a plain object whose keys are all in `allowed`. Absent (`undefined`) reads as {}. */
  static of(v: unknown, where: string, allowed: readonly string[]): Fields {
    if (v === undefined) return new Fields({}, where);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      throw new InputError(where === '' ? 'spec' : where, `must be an object, got ${show(v)}`);
    }
    const obj = v as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) {
        const s = suggest(key, allowed);
        throw new InputError(join(where, key), `unknown field${s ? ` (did you mean ${s}?)` : ` (allowed: ${allowed.join(', ')})`}`);
      }
    }
    return new Fields(obj, where);
  }

  has(key: string): boolean {
    return this.obj[key] !== undefined;
  }

  at(key: string): string {
    return join(this.where, key);
  }

  raw(key: string): unknown {
    return this.obj[key];
  }

  /** Throw `<key>: <reason>` if the key is present. */
  forbid(key: string, reason: string): void {
    if (this.has(key)) throw new InputError(this.at(key), reason);
  }

  private get<T>(key: string, dflt: T | undefined, check: (where: string, v: unknown) => T): T {
    const v = this.obj[key];
    if (v === undefined) {
      if (dflt === undefined) throw new InputError(this.at(key), 'is required');
      return dflt;
    }
    return check(this.at(key), v);
  }

  /** A positive integer, at most `max` when given (sizes are bounded: an error, not a run that cannot fit). */
  posInt(key: string, dflt?: number, max?: number): number {
    return atMost(this.at(key), this.get(key, dflt, requirePositiveInt), max);
  }

  nonNegInt(key: string, dflt?: number, max?: number): number {
    return atMost(this.at(key), this.get(key, dflt, (w, v) => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new InputError(w, `must be a non-negative integer, got ${show(v)}`);
      return v;
    }), max);
  }

  num(key: string, dflt?: number): number {
    return this.get(key, dflt, requireFinite);
  }

  positive(key: string, dflt?: number): number {
    return this.get(key, dflt, requirePositive);
  }

  nonNeg(key: string, dflt?: number): number {
    return this.get(key, dflt, requireNonNegative);
  }

  bool(key: string, dflt?: boolean): boolean {
    return this.get(key, dflt, (w, v) => {
      if (typeof v !== 'boolean') throw new InputError(w, `must be true or false, got ${show(v)}`);
      return v;
    });
  }

  str(key: string, dflt?: string): string {
    return this.get(key, dflt, (w, v) => {
      if (typeof v !== 'string' || v.trim() === '') throw new InputError(w, `must be a non-empty string, got ${show(v)}`);
      return v;
    });
  }

  /** One of `values`; `aliases` maps accepted spellings to a value. */
  oneOf<T extends string>(key: string, values: readonly T[], dflt?: T, aliases: Readonly<Record<string, T>> = {}): T {
    return this.get(key, dflt, (w, v) => {
      if (typeof v === 'string') {
        if ((values as readonly string[]).includes(v)) return v as T;
        if (Object.prototype.hasOwnProperty.call(aliases, v)) return aliases[v];
      }
      const s = typeof v === 'string' ? suggest(v, values) : undefined;
      throw new InputError(w, `must be one of ${values.join(', ')}, got ${show(v)}${s ? ` (did you mean ${s}?)` : ''}`);
    });
  }
}

function atMost(where: string, v: number, max: number | undefined): number {
  if (max !== undefined && v > max) throw new InputError(where, `must be at most ${max}, got ${show(v)}`);
  return v;
}
