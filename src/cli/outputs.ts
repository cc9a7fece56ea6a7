/**
 * Output paths checked before any work starts, so that a long run does not fail at its end on
 * an unusable `--out` (docs/interface.md#errors: bad input, exit 2, one line naming the option):
 * `error: --out: runs/a is a file, expected a folder`, `error: --out: folder /x is not writable`.
 * The check is a best effort (the file system may change during the run); file-system errors that
 * still occur later are reported by `reportError` as one line too.
 */
import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../core/errors.js';

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * The folders that will be created for `path` (its missing ancestors) must be creatable: the
 * nearest existing ancestor must be a writable folder.
 */
function checkCreatable(flag: string, path: string): void {
  let dir = dirname(resolve(path));
  for (;;) {
    const st = statOf(dir);
    if (st) {
      if (!st.isDirectory()) throw new InputError(flag, `cannot create ${path}: ${dir} is a file, not a folder`);
      try {
        accessSync(dir, constants.W_OK);
      } catch {
        throw new InputError(flag, `cannot write ${path}: folder ${dir} is not writable`);
      }
      return;
    }
    const up = dirname(dir);
    if (up === dir) return; // reached the root without finding it: let the write report it
    dir = up;
  }
}

/** `path` can be written as a file: it is not a folder, and its folder exists or can be made. */
export function checkOutFile(flag: string, path: string): string {
  const st = statOf(path);
  if (st?.isDirectory()) throw new InputError(flag, `${path} is a folder, expected a file name`);
  if (st) {
    try {
      accessSync(dirname(resolve(path)), constants.W_OK);
    } catch {
      throw new InputError(flag, `cannot write ${path}: folder ${dirname(resolve(path))} is not writable`);
    }
    return path;
  }
  checkCreatable(flag, path);
  return path;
}

/** `path` can be used as an output folder: an existing writable folder, or creatable. */
export function checkOutDir(flag: string, path: string): string {
  const st = statOf(path);
  if (st && !st.isDirectory()) throw new InputError(flag, `${path} is a file, expected a folder`);
  if (st) {
    try {
      accessSync(path, constants.W_OK);
    } catch {
      throw new InputError(flag, `folder ${path} is not writable`);
    }
    return path;
  }
  checkCreatable(flag, path);
  return path;
}

/** Readable reasons for the file-system error codes a user can cause. */
const FS_REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EEXIST: 'a file of that name already exists',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'is a folder, expected a file',
  ENOENT: 'no such file or folder',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EBUSY: 'resource busy (cannot replace it)',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
};

/**
 * A Node file-system error (`code` and `path`) → `InputError(path, reason)`; anything else →
 * undefined. Used by `reportError` so that such errors print one line with exit 2.
 */
export function fsInputError(e: unknown): InputError | undefined {
  if (!(e instanceof Error)) return undefined;
  const err = e as NodeJS.ErrnoException;
  if (typeof err.code !== 'string' || typeof err.path !== 'string') return undefined;
  const reason = FS_REASONS[err.code];
  if (reason === undefined) return undefined;
  const op = err.syscall ? `${err.syscall} failed: ` : '';
  return new InputError(err.path, `${op}${reason} (${err.code})`);
}
