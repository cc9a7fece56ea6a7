/**
 * Resumable parts of the deep-linear experiments: a finished part (one width of a check, one
 * (parameterization, rate) of a transfer sweep) is saved as `DIR/parts/<key>.json` with the hash
 * of the configuration it belongs to, and reused when the same command is run again. A part of a
 * different configuration is recomputed (and overwritten), never mixed in.
 */
import { join } from 'node:path';
import { writeJsonAtomic } from '../../core/atomic.js';
import { readJsonIfValid } from '../../harness/folder.js';
import { specHash } from '../../harness/hash.js';

interface SavedPart<T> { format: 'widelimit-part/1'; hash: string; data: T }

/**
 * `compute()` unless `dir/parts/<key>.json` holds a part of the configuration `config`; `revive`
 * turns the saved JSON back into T (non-finite numbers are saved as null).
 */
export function cachedPart<T>(dir: string, key: string, config: unknown, compute: () => T, revive: (saved: unknown) => T): { data: T; reused: boolean } {
  const hash = specHash(config);
  const file = join(dir, 'parts', `${key}.json`);
  const saved = readJsonIfValid(file) as SavedPart<unknown> | undefined;
  if (saved && saved.format === 'widelimit-part/1' && saved.hash === hash) return { data: revive(saved.data), reused: true };
  const data = compute();
  const part: SavedPart<T> = { format: 'widelimit-part/1', hash, data };
  writeJsonAtomic(file, part);
  return { data, reused: false };
}

/** A JSON number (null for a non-finite number written out) back to a number. */
export function num(v: unknown): number {
  return typeof v === 'number' ? v : NaN;
}
