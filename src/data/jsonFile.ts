/**
 * Reading user files with errors that name the file (docs/interface.md#errors:
 * `error: data.path: file not found: d.json`, `error: data.path: malformed JSON in d.json: …`.
 *
 * Hostile files are refused before they are read: only regular files (a FIFO, `/dev/zero` or a
 * terminal would block or never end), at most {@link MAX_FILE_BYTES}, JSON nested at most
 * {@link MAX_JSON_DEPTH} deep. A UTF-8 byte-order mark is dropped. Echoed text is a short excerpt.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { InputError, excerpt } from '../core/errors.js';

/** The largest file read (bytes): a JSON string above ~512 MB cannot exist in the engine. */
export const MAX_FILE_BYTES = 256 * 2 ** 20;
/** The deepest JSON nesting of any input file (a data file needs 3, a spec 3, an init file 4). */
export const MAX_JSON_DEPTH = 32;

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 3 : 1)} MiB`;
}

function kindOf(st: import('node:fs').Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function openError(e: unknown, where: string, of: string): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError(where, `file not found${of}`);
  if (code === 'EISDIR') return new InputError(where, `is a directory, not a file${of}`);
  if (code === 'EACCES' || code === 'EPERM') return new InputError(where, `cannot read${of}: permission denied`);
  if (code === 'ENOTDIR') return new InputError(where, `file not found${of} (a part of the path is a file, not a folder)`);
  return new InputError(where, `cannot read${of}: ${oneLine((e as Error).message)}`);
}

/**
 * The bytes of a file. A missing file, anything but a regular file, a file above `maxBytes` or an
 * unreadable file is an {@link InputError} at `where`; the message names the file (`shown`, default
 * `path`) unless `where` already is that name.
 */
export function readFileBytes(path: string, where: string, shown = path, maxBytes = MAX_FILE_BYTES): Buffer {
  const of = where === shown ? '' : `: ${shown}`;
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO without a writer must not hang before fstat can refuse it
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw openError(e, where, of);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new InputError(where, `is ${kindOf(st)}, expected a regular file${of}`);
    if (st.size > maxBytes) throw new InputError(where, `file is ${mib(st.size)}, more than the ${mib(maxBytes)} read at most${of}`);
    const buf = Buffer.allocUnsafe(st.size);
    let got = 0;
    while (got < st.size) {
      const k = readSync(fd, buf, got, st.size - got, got);
      if (k === 0) break;
      got += k;
    }
    return buf.subarray(0, got);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw openError(e, where, of);
  } finally {
    closeSync(fd);
  }
}

/** Read a UTF-8 text file ({@link readFileBytes}); a leading BOM is dropped. */
export function readTextFile(path: string, where: string, shown = path, maxBytes = MAX_FILE_BYTES): string {
  const text = readFileBytes(path, where, shown, maxBytes).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Deepest nesting of `[`/`{` in JSON text (outside strings), stopping once above `limit`. */
export function jsonDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 93 || c === 125) depth--;
  }
  return max;
}

/** Parse JSON text; a syntax error is an {@link InputError} naming the file `shown`. */
export function parseJsonText(text: string, shown: string, where: string): unknown {
  const inFile = where === shown ? '' : ` in ${shown}`;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (jsonDepth(body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new InputError(where, `JSON${inFile} is nested more than ${MAX_JSON_DEPTH} levels deep`);
  }
  try {
    return JSON.parse(body);
  } catch (e) {
    throw new InputError(where, `malformed JSON${inFile}: ${excerpt(oneLine((e as Error).message), 160)}`);
  }
}

/** {@link readTextFile} then {@link parseJsonText}. */
export function readJsonFile(path: string, where: string, shown = path, maxBytes = MAX_FILE_BYTES): unknown {
  return parseJsonText(readTextFile(path, where, shown, maxBytes), shown, where);
}

/** Collapse a (possibly multi-line) message onto one line. */
export function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}
