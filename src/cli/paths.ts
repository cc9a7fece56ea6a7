/**
 * Inputs are never outputs (README, "A short tour"): before any work, every output path of a
 * command is compared with every input path and with the other outputs, after resolving links
 * (`realpath`; an output that does not exist yet through its folder) and, for existing files,
 * by device and inode (hard links). A clash is bad input, exit 2, naming both options:
 * `error: --out: s.json is also the --spec input; a run never writes over its input, choose another file`.
 */
import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../core/errors.js';

/** A path given on the command line (or in a spec) and what named it (`--spec`, `data.path`). */
export interface NamedPath {
  flag: string;
  path: string;
}

/** The canonical absolute form of `p`: its realpath, or that of its nearest existing ancestor joined with the rest. */
export function canonicalPath(p: string): string {
  const abs = resolve(p);
  const rest: string[] = [];
  let dir = abs;
  for (;;) {
    try {
      return join(realpathSync(dir), ...rest);
    } catch {
      const up = dirname(dir);
      if (up === dir) return abs;
      rest.unshift(basename(dir));
      dir = up;
    }
  }
}

function identity(p: string): string | undefined {
  try {
    const st = statSync(p);
    return st.isFile() ? `${st.dev}:${st.ino}` : undefined;
  } catch {
    return undefined;
  }
}

function same(a: string, b: string): boolean {
  if (canonicalPath(a) === canonicalPath(b)) return true;
  const ia = identity(a);
  return ia !== undefined && ia === identity(b);
}

/** Files a sweep folder holds (src/harness/folder.ts, the report): an input there would be overwritten. */
const FOLDER_FILES = ['sweep.json', 'reference.json', 'results.json', 'timing.json', 'curves.json', 'report.md', 'report.html', 'data.csv', 'curves.csv'];
const FOLDER_DIRS = ['cells', 'figures'];

/** True when `input` is a file the sweep folder `dir` writes (or the folder itself). */
function writtenByFolder(dir: string, input: string): boolean {
  const rel = relative(canonicalPath(dir), canonicalPath(input));
  if (rel === '') return true;
  if (rel.startsWith('..')) return false;
  const first = rel.split(sep)[0];
  return (FOLDER_FILES.includes(rel) || FOLDER_DIRS.includes(first));
}

/**
 * Refuse (InputError at the output's flag) an output file that is one of the inputs or another
 * output, and a sweep folder (`folders`) that would write over an input.
 */
export function checkInputsNotOutputs(inputs: NamedPath[], outputs: NamedPath[], folders: NamedPath[] = []): void {
  for (const [i, o] of outputs.entries()) {
    for (const inp of inputs) {
      if (same(o.path, inp.path)) {
        throw new InputError(o.flag, `${o.path} is also the ${inp.flag} input; a run never writes over its input, choose another file`);
      }
    }
    for (const other of outputs.slice(0, i)) {
      if (same(o.path, other.path)) throw new InputError(o.flag, `${o.path} is also the ${other.flag} output; give each output its own file`);
    }
  }
  for (const d of folders) {
    for (const inp of inputs) {
      if (writtenByFolder(d.path, inp.path)) {
        throw new InputError(d.flag, `folder ${d.path} would write over the ${inp.flag} input ${inp.path}; keep inputs outside the files the run writes, or choose another folder`);
      }
    }
  }
}
