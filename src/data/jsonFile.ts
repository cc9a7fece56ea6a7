/**
 * Reading user files with errors that name the file (docs/interface.md#errors:
 * `error: data.path: file not found: d.json`, `error: data.path: malformed JSON in d.json: …`.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../core/errors.js';

/**
 * Read a UTF-8 text file. A missing file, a directory or an unreadable file is an
 * {@link InputError} at `where`; the message names the file (`shown`, default `path`) unless
 * `where` already is that name.
 */
export function readTextFile(path: string, where: string, shown = path): string {
  const of = where === shown ? '' : `: ${shown}`;
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(where, `file not found${of}`);
    if (code === 'EISDIR') throw new InputError(where, `is a directory, not a file${of}`);
    throw new InputError(where, `cannot read${of}: ${oneLine((e as Error).message)}`);
  }
}

/** Parse JSON text; a syntax error is an {@link InputError} naming the file `shown`. */
export function parseJsonText(text: string, shown: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const inFile = where === shown ? '' : ` in ${shown}`;
    throw new InputError(where, `malformed JSON${inFile}: ${oneLine((e as Error).message)}`);
  }
}

/** {@link readTextFile} then {@link parseJsonText}. */
export function readJsonFile(path: string, where: string, shown = path): unknown {
  return parseJsonText(readTextFile(path, where, shown), shown, where);
}

/** Collapse a (possibly multi-line) message onto one line. */
export function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}
