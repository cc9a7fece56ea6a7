/**
 * Atomic file output: write to a temporary file beside the target, then rename over it.
 * An interrupted run never leaves a half-written result (docs/interface.md#errors.
 */
import { writeFileSync, renameSync, mkdirSync, unlinkSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

let counter = 0;

/** A file-system error about the temporary file names the target instead (messages never show temporaries). */
export function targetPath(e: unknown, tmp: string, path: string): unknown {
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err === 'object' && err.path === tmp) {
    err.path = path;
    if (typeof err.message === 'string') err.message = err.message.split(tmp).join(path);
  }
  return e;
}

export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${counter++}.tmp`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw targetPath(e, tmp, path);
  }
}

/** JSON with non-finite numbers written as null (JSON has no NaN). */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, jsonReplacer, 1) + '\n');
}

export function jsonReplacer(_key: string, v: unknown): unknown {
  if (v instanceof Float64Array || v instanceof Float32Array || v instanceof Int32Array) return Array.from(v);
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  return v;
}
