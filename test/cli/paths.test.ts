/**
 * Inputs are never outputs (src/cli/paths.ts): the same file reached through a relative path, a
 * symbolic link, a hard link or a not-yet-existing name in a linked folder is one file; a sweep
 * folder may not write over an input.
 */
import { linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { canonicalPath, checkInputsNotOutputs } from '../../src/cli/paths.js';
import { tempDir } from './helpers.js';

function refusal(f: () => void): string {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return `${e.where}: ${e.what}`;
    throw e;
  }
  return 'no error';
}

describe('inputs are never outputs', () => {
  const dir = tempDir('paths');
  const s = join(dir, 's.json');
  writeFileSync(s, '{}');
  symlinkSync(s, join(dir, 'link.json'));
  linkSync(s, join(dir, 'hard.json'));
  mkdirSync(join(dir, 'sub'));
  symlinkSync(join(dir, 'sub'), join(dir, 'sublink'));

  it('the same file by relative path, symbolic link and hard link is refused at the output flag', () => {
    const spec = [{ flag: '--spec', path: s }];
    expect(refusal(() => checkInputsNotOutputs(spec, [{ flag: '--out', path: relative(process.cwd(), s) }]))).toMatch(/^--out: .* is also the --spec input/);
    expect(refusal(() => checkInputsNotOutputs(spec, [{ flag: '--out', path: join(dir, 'link.json') }]))).toMatch(/^--out: /);
    expect(refusal(() => checkInputsNotOutputs(spec, [{ flag: '--out', path: join(dir, 'hard.json') }]))).toMatch(/^--out: /);
    expect(refusal(() => checkInputsNotOutputs(spec, [{ flag: '--out', path: join(dir, 'r.json') }]))).toBe('no error');
  });

  it('a not-yet-existing output through a linked folder is compared by its folder', () => {
    expect(canonicalPath(join(dir, 'sublink', 'new.json'))).toBe(canonicalPath(join(dir, 'sub', 'new.json')));
    const inp = [{ flag: '--init', path: join(dir, 'sub', 'new.json') }];
    expect(refusal(() => checkInputsNotOutputs(inp, [{ flag: '--out', path: join(dir, 'sublink', 'new.json') }]))).toMatch(/^--out: /);
  });

  it('two outputs on one file, and a sweep folder over an input, are refused', () => {
    const outs = [{ flag: '--out', path: join(dir, 'o.json') }, { flag: '--save-init', path: join(dir, 'o.json') }];
    expect(refusal(() => checkInputsNotOutputs([], outs))).toMatch(/^--save-init: .* is also the --out output/);
    const inFolder = [{ flag: '--spec', path: join(dir, 'results.json') }];
    expect(refusal(() => checkInputsNotOutputs(inFolder, [], [{ flag: '--out', path: dir }]))).toMatch(/^--out: folder .* would write over the --spec input/);
    expect(refusal(() => checkInputsNotOutputs([{ flag: '--spec', path: s }], [], [{ flag: '--out', path: dir }]))).toBe('no error');
  });
});
