/**
 * Output paths checked before any work starts, so that a long run does not fail at its end on
 * an unusable `--out` (docs/interface.md#errors: bad input, exit 2, one line naming the option):
 * `error: --out: runs/a is a file, expected a folder`, `error: --out: folder /x is not writable: read-only
 * file system (EROFS)`. Read-only mounts (EROFS), immutable folders and files (EPERM, also for root) and
 * permissions are told apart; a full disk is the output estimate's refusal (src/spec/estimate.ts).
 * An append-only folder (chattr +a) cannot be detected without writing into it: its rename fails
 * at the end and is reported then.
 * The check is a best effort (the file system may change during the run); file-system errors that
 * still occur later are reported by `reportError` as one line too.
 */
import { accessSync, constants, statSync, statfsSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../core/errors.js';

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Kernel file systems (statfs magic numbers) that hold no user files: writing there fails or hangs. */
const VIRTUAL_FS: Record<number, string> = {
  0x9fa0: 'proc', 0x62656572: 'sysfs', 0x64626720: 'debugfs', 0x73636673: 'securityfs', 0x27e0eb: 'cgroup',
  0x63677270: 'cgroup2', 0x74726163: 'tracefs', 0x6165676c: 'pstore', 0xcafe4a11: 'bpf', 0x62656570: 'configfs',
  0xde5e81e4: 'efivarfs', 0x1cd1: 'devpts', 0x19800202: 'mqueue', 0x42494e4d: 'binfmt_misc',
};

/** Why `path` cannot be written (access(2) with W_OK), or undefined when it can. */
function unwritable(path: string): string | undefined {
  try {
    accessSync(path, constants.W_OK);
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EROFS') return 'read-only file system (EROFS)';
    if (code === 'EPERM') return 'immutable (EPERM)';
    if (code === 'EACCES') return 'permission denied (EACCES)';
    return code ?? 'not writable';
  }
}

/** The nearest existing ancestor of `path` (itself if it exists). */
function nearestExisting(path: string): string {
  let dir = resolve(path);
  while (!statOf(dir)) {
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return dir;
}

/** Refuse an output on a virtual file system (/proc, /sys, …) or an existing output that is not a regular file. */
function checkRealFile(flag: string, path: string, folder: boolean): void {
  const st = statOf(path);
  if (st && !folder && !st.isFile() && !st.isDirectory()) {
    throw new InputError(flag, `${path} is a device, pipe or socket, not a regular file; give a file name`);
  }
  let type: number | undefined;
  try {
    type = statfsSync(nearestExisting(path)).type;
  } catch {
    type = undefined;
  }
  const fs = type !== undefined ? VIRTUAL_FS[type] : undefined;
  if (fs !== undefined) throw new InputError(flag, `${path} is on the virtual ${fs} file system, where results cannot be written; choose a folder on a disk`);
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
      const why = unwritable(dir);
      if (why) throw new InputError(flag, `cannot write ${path}: folder ${dir} is not writable: ${why}`);
      return;
    }
    const up = dirname(dir);
    if (up === dir) return; // reached the root without finding it: let the write report it
    dir = up;
  }
}

/** `path` can be written as a file: it is not a folder, and its folder exists or can be made. */
export function checkOutFile(flag: string, path: string): string {
  checkRealFile(flag, path, false);
  const st = statOf(path);
  if (st?.isDirectory()) throw new InputError(flag, `${path} is a folder, expected a file name`);
  if (st) {
    const why = unwritable(dirname(resolve(path)));
    if (why) throw new InputError(flag, `cannot write ${path}: folder ${dirname(resolve(path))} is not writable: ${why}`);
    // an existing file is replaced (renamed over): an immutable one refuses that, even to root
    const file = unwritable(path);
    if (file && !file.startsWith('permission')) throw new InputError(flag, `cannot replace ${path}: ${file}`);
    return path;
  }
  checkCreatable(flag, path);
  return path;
}

/** `path` can be used as an output folder: an existing writable folder, or creatable. */
export function checkOutDir(flag: string, path: string): string {
  checkRealFile(flag, path, true);
  const st = statOf(path);
  if (st && !st.isDirectory()) throw new InputError(flag, `${path} is a file, expected a folder`);
  if (st) {
    const why = unwritable(path);
    if (why) throw new InputError(flag, `folder ${path} is not writable: ${why}`);
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
