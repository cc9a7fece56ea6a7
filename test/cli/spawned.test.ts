/**
 * The hostile inputs through the real program (`node dist/src/cli/main.js`, one process per
 * case, as a user runs it): every case ends in exit 2 with exactly one short `error:` line naming
 * the option or spec field, or exit 3 with a result file whose status says what failed — never an
 * internal error, a stack, an overwritten input or a leftover temporary file. A 60 s limit per
 * process turns a hang into a failure. Needs the build (CI runs `npm run build` first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

const MAIN = resolve(__dirname, '../../dist/src/cli/main.js');
const dir = tempDir('spawned');
const p = (f: string) => join(dir, f);
const BASE = {
  data: { source: 'gaussian', n: 6, nTest: 3, dim: 3, target: 'teacher-relu', seed: 0 },
  model: { depth: 1, width: 8, activation: 'relu', parameterization: 'ntk', weightStd: 1.4, biasStd: 0 },
  training: { loss: 'mse', method: 'gd', lr: 0.5, steps: 4, recordEvery: 2 },
  seed: 0,
};

/** A spec file: BASE with `data`, `model`, `training` fields replaced. */
function spec(name: string, over: { data?: object; model?: object; training?: object } = {}): string {
  const s = { ...BASE, data: { ...BASE.data, ...over.data }, model: { ...BASE.model, ...over.model }, training: { ...BASE.training, ...over.training } };
  writeFileSync(p(name), JSON.stringify(s));
  return p(name);
}

function cli(...args: string[]) {
  const before = readdirSync(dir).map((f) => [f, existsSync(p(f)) ? readFileSync(p(f)) : null] as const);
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', cwd: dir, timeout: 60_000 });
  for (const [f, bytes] of before) if (bytes) expect(readFileSync(p(f)).equals(bytes), `input ${f} unchanged`).toBe(true);
  expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  expect(r.signal, 'no hang (60 s)').toBeNull();
  expect(r.stderr).not.toMatch(/error: internal|\n\s+at /);
  return { code: r.status, err: r.stderr };
}

/** Exit 2, one line `error: <where>: …` matching `what`. */
function inputError(r: { code: number | null; err: string }, where: string, what: RegExp = /./) {
  expect(r.code).toBe(2);
  const lines = r.err.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0].startsWith(`error: ${where}: `), lines[0]).toBe(true);
  expect(lines[0].length).toBeLessThanOrEqual(400);
  expect(lines[0]).toMatch(what);
}

/** Exit 3, one `error: <status>:` line, and a result file with that status. */
function numericalFailure(r: { code: number | null; err: string }, out: string, status: RegExp) {
  expect(r.code).toBe(3);
  expect(r.err).toMatch(new RegExp(`^error: (${status.source}): [^\\n]+\\n$`));
  expect(JSON.parse(readFileSync(out, 'utf8')).status).toMatch(status);
}

describe.runIf(existsSync(MAIN))('hostile inputs through the built CLI (one process each)', () => {
  it('an overflowing target: limit and train both exit 3 with a status (limit used to say ok)', () => {
    const s = spec('ov.json', { data: { target: '1e200*x1' } });
    numericalFailure(cli('limit', '--spec', s, '--out', p('rl.json')), p('rl.json'), /diverged|nan/);
    numericalFailure(cli('train', '--spec', s, '--out', p('rt.json')), p('rt.json'), /diverged|nan/);
  });

  it('inputs are never outputs: the spec, a data file, a link to the spec, --save-init onto --out', () => {
    const s = spec('s.json');
    inputError(cli('train', '--spec', s, '--out', s), '--out', /is also the --spec input/);
    writeFileSync(p('x.json'), '[[1, 0], [0, 1]]');
    inputError(cli('kernel', '--data', p('x.json'), '--depth', '1', '--activation', 'relu', '--out', p('x.json')), '--out', /is also the --data input/);
    inputError(cli('train', '--spec', s, '--save-init', p('o.json'), '--out', p('o.json')), '--save-init', /is also the --out output/);
    symlinkSync(s, p('link.json'));
    inputError(cli('limit', '--spec', s, '--out', p('link.json')), '--out', /is also the --spec input/);
  });

  it('sizes that cannot fit are refused before work, naming the field', () => {
    writeFileSync(p('big.json'), JSON.stringify(Array.from({ length: 100_000 }, (_, i) => [Math.sin(i), Math.cos(i)])));
    inputError(cli('kernel', '--data', p('big.json'), '--depth', '1', '--activation', 'relu', '--out', p('k.npy')), '--data', /needs about 240\.0 GB of memory/);
    inputError(cli('train', '--spec', spec('w.json', { model: { width: 60000, depth: 2 } }), '--out', p('r.json')), 'model.width', /60000×60000/);
    inputError(cli('limit', '--spec', spec('w2.json', { model: { width: 2 ** 28 } }), '--out', p('r.json')), 'model.width');
    inputError(cli('train', '--spec', spec('d.json', { model: { depth: 100000 } }), '--out', p('r.json')), 'model.depth', /at most 1000/);
    inputError(cli('limit', '--spec', spec('st.json', { training: { steps: 999999, recordEvery: 1 } }), '--out', p('r.json')), 'training.recordEvery', /use recordEvery ≥ 3 for 999999 steps/);
    expect(existsSync(p('r.json'))).toBe(false);
  });

  it('expressions: calls, property access, strings, nested evaluate, deep nesting and huge matrices exit 2 naming the field', () => {
    const cases = ['f(x1)', 'x1.constructor', 'evaluate("x")', 'sin(x1) + "a"', 'evaluate("evaluate(\\"x9\\")")', 'sum(ones(20000,20000))', `${'('.repeat(200)}x1${')'.repeat(200)}`];
    cases.forEach((e, i) => inputError(cli('train', '--spec', spec(`e${i}.json`, { data: { target: e } }), '--out', p('r.json')), 'data.target'));
    inputError(cli('kernel', '--data', p('x.json'), '--depth', '1', '--activation', 'x.constructor', '--out', p('k.json')), '--activation', /property or index access is not allowed/);
  });

  it('files: devices, folders, deep nesting, /proc outputs, a 1 MB echo, a byte-order mark, a missing report folder', () => {
    inputError(cli('train', '--spec', '/dev/zero', '--out', p('r.json')), '/dev/zero', /is a character device, expected a regular file/);
    inputError(cli('train', '--spec', dir, '--out', p('r.json')), dir, /is a directory/);
    writeFileSync(p('nest.json'), `${'['.repeat(5000)}${']'.repeat(5000)}`);
    inputError(cli('train', '--spec', p('nest.json'), '--out', p('r.json')), p('nest.json'), /nested more than 32 levels/);
    inputError(cli('train', '--spec', spec('s.json'), '--out', '/proc/r.json'), '--out', /virtual proc file system/);
    inputError(cli('train', '--spec', spec('long.json', { model: { activation: 'x'.repeat(1_000_000) } }), '--out', p('r.json')), 'model.activation', /at most 500 are accepted/);
    writeFileSync(p('bom.json'), `\ufeff${readFileSync(spec('s.json'), 'utf8')}`);
    expect(cli('train', '--spec', p('bom.json'), '--out', p('bom-r.json')).code).toBe(0);
    inputError(cli('report', p('nowhere')), p('nowhere'), /folder not found/);
  });

  it('limit names spec fields, never internal ones; an ok limit result holds no null', () => {
    inputError(cli('limit', '--spec', spec('ws.json', { model: { weightStd: 1e200 } }), '--out', p('r.json')), 'model.weightStd');
    const r = cli('limit', '--spec', spec('s.json'), '--out', p('ok.json'));
    expect(r.code).toBe(0);
    const text = readFileSync(p('ok.json'), 'utf8');
    expect(JSON.parse(text).status).toBe('ok');
    expect(text).not.toContain('null');
  });
});
