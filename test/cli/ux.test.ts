/**
 * The command line as a demanding user meets it: usage mistakes, unusable output paths, sizes
 * that cannot be allocated, and a kernel that overflows all give one line naming the option or
 * field and the value, with the exit code of docs/interface.md#errors, before any work is done.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportError } from '../../src/cli/action.js';
import { main } from '../../src/cli/main.js';
import { capture, tempDir } from './helpers.js';

async function run(argv: string[]) {
  const c = capture();
  const code = await main(argv, c.io);
  return { code, out: c.out(), err: c.err() };
}

/** Bad input: exit 2 and exactly one line on stderr, no stack. */
function expectInputError(r: { code: number; err: string }, line: string | RegExp) {
  expect(r.code).toBe(2);
  const lines = r.err.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  if (typeof line === 'string') expect(lines[0]).toBe(line);
  else expect(lines[0]).toMatch(line);
  expect(r.err).not.toMatch(/\n\s+at /);
}

const dir = tempDir('ux');
const specPath = join(dir, 's.json');
writeFileSync(specPath, JSON.stringify({ data: { n: 4, nTest: 2 }, model: { width: 8 }, training: { steps: 2 } }));
const aFile = join(dir, 'a-file');
writeFileSync(aFile, 'not a folder');
const xPath = join(dir, 'x.json');
writeFileSync(xPath, '[[1, 0], [0, 1]]');

describe('usage mistakes name the command and the offending word', () => {
  it('an unknown subcommand of a group names the group and lists its subcommands', async () => {
    expectInputError(await run(['experiment', 'foo']), 'error: experiment foo: unknown command (one of list, run, rejudge, summary, scorecard)');
  });

  it('extra positional arguments are quoted and the command says how many it takes', async () => {
    expectInputError(
      await run(['train', '--spec', specPath, '--out', join(dir, 'r.json'), 'extra', 'more']),
      'error: train: unexpected arguments "extra" "more" (train takes no arguments; see widelimit train --help)',
    );
    expectInputError(await run(['report', 'a', 'b']), 'error: report: unexpected argument "b" (report takes one argument; see widelimit report --help)');
  });

  it('compare: a misspelt option is reported as unknown before any missing required option', async () => {
    expectInputError(await run(['compare', '--widht', '64,128']), 'error: --widht: unknown option (did you mean --widths?)');
    expectInputError(await run(['compare', '--widths', '64,128', '--out', dir]), 'error: --spec: required option not given');
  });

  it('compare and experiment run --help mark their required options and show the seeds default as a number', async () => {
    const c = (await run(['compare', '--help'])).out;
    for (const f of ['--spec <file>', '--widths <list>', '--out <dir>']) expect(c).toMatch(new RegExp(`${f}\\s+required: `));
    expect(c).toMatch(/\(default: 8\)/);
    expect(c).not.toContain('"8"');
    expect((await run(['experiment', 'run', '--help'])).out).toMatch(/--out <dir>\s+required: output folder/);
  });

  it('an unknown experiment name suggests the closest one', async () => {
    expectInputError(
      await run(['experiment', 'run', 'ntk-relu-gausian', '--quick', '--out', join(dir, 'e')]),
      'error: experiment run: unknown experiment "ntk-relu-gausian" (did you mean ntk-relu-gaussian?)',
    );
    expectInputError(await run(['experiment', 'run', 'zzz', '--out', join(dir, 'e')]), /^error: experiment run: unknown experiment "zzz" \(\d+ known; `widelimit experiment list` lists them\)$/);
    expect(existsSync(join(dir, 'e'))).toBe(false);
  });

  it('experiment summary with a missing --runs folder is an error and leaves the README untouched', async () => {
    const readme = join(dir, 'README.md');
    const text = 'table\n<!-- experiments-summary:start -->\nrows\n<!-- experiments-summary:end -->\n';
    writeFileSync(readme, text);
    expectInputError(await run(['experiment', 'summary', '--runs', join(dir, 'no-such-runs'), '--readme', readme]), `error: --runs: folder not found: ${join(dir, 'no-such-runs')}`);
    expect(readFileSync(readme, 'utf8')).toBe(text);
  });
});

describe('output paths are checked before the run', () => {
  it('a file where an output folder should be: compare and experiment run say so, exit 2', async () => {
    expectInputError(await run(['compare', '--spec', specPath, '--widths', '8,16', '--seeds', '1', '--out', aFile, '--quiet']), `error: --out: ${aFile} is a file, expected a folder`);
    expectInputError(await run(['experiment', 'run', 'ntk-relu-gaussian', '--quick', '--out', aFile, '--quiet']), `error: --out: ${aFile} is a file, expected a folder`);
  });

  it('a file in the way of an output file\'s folder: train, limit, kernel and --save-init name the option', async () => {
    const under = join(aFile, 'r.json');
    const line = (flag: string) => `error: ${flag}: cannot create ${under}: ${aFile} is a file, not a folder`;
    expectInputError(await run(['train', '--spec', specPath, '--out', under]), line('--out'));
    expectInputError(await run(['limit', '--spec', specPath, '--out', under]), line('--out'));
    expectInputError(await run(['kernel', '--data', xPath, '--depth', '1', '--activation', 'relu', '--out', under]), line('--out'));
    expectInputError(await run(['train', '--spec', specPath, '--out', join(dir, 'r.json'), '--save-init', under]), line('--save-init'));
    expect(existsSync(join(dir, 'r.json'))).toBe(false); // checked before training, nothing written
  });

  it('an existing folder given as an output file is an error, not an internal rename failure', async () => {
    expectInputError(await run(['train', '--spec', specPath, '--out', dir]), `error: --out: ${dir} is a folder, expected a file name`);
  });

  it('a read-only output folder is an input error (when permissions apply: not as root)', async () => {
    const ro = join(dir, 'ro');
    mkdirSync(ro, { recursive: true });
    chmodSync(ro, 0o555);
    const r = await run(['train', '--spec', specPath, '--out', join(ro, 'r.json')]);
    chmodSync(ro, 0o755);
    if (process.getuid?.() === 0) return; // root may write anywhere: nothing to check
    expectInputError(r, `error: --out: cannot write ${join(ro, 'r.json')}: folder ${ro} is not writable: permission denied (EACCES)`);
  });

  it('file-system errors raised during a run print one line `error: <path>: <reason>` with exit 2, stack only with --debug', () => {
    const e = Object.assign(new Error("EROFS: read-only file system, open '/mnt/r.json'"), { code: 'EROFS', path: '/mnt/r.json', syscall: 'open', errno: -30 });
    const c = capture();
    expect(reportError(e, c.io, false)).toBe(2);
    expect(c.err()).toBe('error: /mnt/r.json: open failed: read-only file system (EROFS)\n');
    const d = capture();
    expect(reportError(e, d.io, true)).toBe(2);
    expect(d.err()).toMatch(/^error: \/mnt\/r\.json: .*\n.*EROFS/);
    // an error without a path is still internal
    const i = capture();
    expect(reportError(Object.assign(new Error('boom'), { code: 'EROFS' }), i.io, false)).toBe(1);
    expect(i.err()).toBe('error: internal: boom\n');
  });
});

describe('sizes and overflow', () => {
  it('a width too large to allocate is an input error naming the option and the value, before any cell runs', async () => {
    expectInputError(await run(['train', '--spec', specPath, '--width', '100000000', '--out', join(dir, 'w.json')]), /^error: --width: 100000000 gives a 100000000×100000000 hidden weight matrix/);
    const out = join(dir, 'huge');
    expectInputError(await run(['compare', '--spec', specPath, '--widths', '8,100000000', '--seeds', '1', '--out', out, '--quiet']), /^error: --widths: 100000000 is more than the largest width 67108864/);
    expect(existsSync(out)).toBe(false);
  });

  it('kernel: entries that overflow are written as null with status "nan" and a message naming the first one, exit 3', async () => {
    const big = join(dir, 'big.json');
    writeFileSync(big, '[[1e200, 1e200], [1, 0]]'); // |x|²/d = 1e400 overflows to Infinity
    const k = join(dir, 'k.json');
    const r = await run(['kernel', '--data', big, '--depth', '2', '--activation', 'relu', '--out', k]);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/^error: nan: nngp\[0\]\[0\] = Infinity \(written as null/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    const file = JSON.parse(readFileSync(k, 'utf8'));
    expect(file.status).toBe('nan');
    expect(file.nngp[0][0]).toBeNull();
    expect(file.nngp[1][1]).toBeCloseTo(0.125, 12); // the finite entry: σ_w = 1, |x|²/d = 1/2, two ReLU halvings → 1/8
  });

  it('kernel: a finite result carries status "ok"', async () => {
    const k = join(dir, 'k-ok.json');
    const r = await run(['kernel', '--data', xPath, '--depth', '1', '--activation', 'relu', '--out', k]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(k, 'utf8'))).toMatchObject({ status: 'ok', message: '' });
  });
});

describe('Ctrl-C during a sweep', () => {
  it('prints how to resume and exits 130; the handler is removed when the sweep ends', async () => {
    const { interruptLine, onInterrupt } = await import('../../src/cli/interrupt.js');
    const c = capture();
    const codes: number[] = [];
    const before = process.listenerCount('SIGINT');
    const release = onInterrupt(c.io, interruptLine('compare', 'runs/x'), (code) => codes.push(code));
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    process.emit('SIGINT');
    expect(codes).toEqual([130]);
    expect(c.err()).toBe('\ninterrupted: finished cells are saved in runs/x; run `widelimit compare` again with the same options to resume\n');
    release();
    expect(process.listenerCount('SIGINT')).toBe(before);
    const again = onInterrupt(c.io, 'x', (code) => codes.push(code));
    again();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});

describe('report DIR', () => {
  it('names a missing folder, a file, and an unfinished sweep (with how to resume it)', async () => {
    const none = join(dir, 'no-such-folder');
    expectInputError(await run(['report', none]), /^error: .*no-such-folder: folder not found/);
    expectInputError(await run(['report', aFile]), `error: ${aFile}: is a file; give the folder written by compare or experiment run`);
    const unfinished = join(dir, 'unfinished');
    mkdirSync(unfinished, { recursive: true });
    writeFileSync(join(unfinished, 'sweep.json'), '{}');
    expectInputError(await run(['report', unfinished]), new RegExp(`^error: ${unfinished.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the sweep in this folder has not finished \\(no results.json\\): run its compare or experiment command again to resume it`));
  });
});

describe('summary line', () => {
  it('says "no test points" instead of a NaN test loss when the test set is empty', async () => {
    const { summaryLine } = await import('../../src/cli/summary.js');
    const base = { status: 'ok', trainLoss: [1, 0.25], testLoss: [NaN, NaN], meta: { seconds: 0.5 } };
    expect(summaryLine('train', { ...base, fTest: [[], []], spec: { data: { nTest: 0 } } }, ['r.json'])).toBe('train: ok, final train loss 0.25, no test points, 0.5 s, wrote r.json\n');
    // file data: nTest 0 means "as in the file", which may hold test points
    expect(summaryLine('train', { ...base, testLoss: [1, 0.5], fTest: [[0.1], [0.2]], spec: { data: { nTest: 0 } } }, ['r.json'])).toBe('train: ok, final train loss 0.25, test loss 0.5, 0.5 s, wrote r.json\n');
  });
});
