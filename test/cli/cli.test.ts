/**
 * The command line in process (main(argv, io) with captured streams): usage and input errors,
 * `kernel`, and `train` / `limit` end to end with the real trainer and limit (tiny networks).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capture, tempDir, tempFiles } from './helpers.js';

async function run(argv: string[]) {
  const c = capture();
  const code = await main(argv, c.io);
  return { code, out: c.out(), err: c.err() };
}

/** Bad input: exit 2 and exactly one line `error: <where>: <what>`, no stack. */
function expectInputError(r: { code: number; err: string }, line: string | RegExp) {
  expect(r.code).toBe(2);
  const lines = r.err.split('\n').filter((l) => l !== '');
  expect(lines.length).toBe(1);
  if (typeof line === 'string') expect(lines[0]).toBe(line);
  else expect(lines[0]).toMatch(line);
  expect(r.err).not.toMatch(/\n\s+at /);
}

const dir = tempDir('errors');
function spec(name: string, value: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
  return p;
}

describe('CLI usage', () => {
  it('schema prints the JSON Schema', async () => {
    const r = await run(['schema']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(s.properties)).toContain('model');
  });

  it('--version prints the package version', async () => {
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toMatch(/^\d+\.\d+\.\d+ \(engine: (native-avx512|native-avx2|wasm|js)\b/);
  });

  it('--help of every command lists its options with defaults', async () => {
    const expected: Record<string, string[]> = {
      train: ['--spec <file>', '--width <h>', '--seed <s>', '--init <file>', '--save-init <file>', '--out <file>'],
      limit: ['--spec <file>', '--init <file>', '--out <file>'],
      kernel: ['--data <file>', '--depth <L>', '--activation <A>', '--weight-std <s>', '--bias-std <b>', '--param <p>', '--x2 <file>', '--out <file>'],
      schema: [],
    };
    for (const [cmd, flags] of Object.entries(expected)) {
      const r = await run([cmd, '--help']);
      expect(r.code, cmd).toBe(0);
      for (const f of flags) expect(r.out, `${cmd} ${f}`).toContain(f);
      expect(r.out).toContain('--debug');
    }
    const k = await run(['kernel', '--help']);
    expect(k.out).toMatch(/--weight-std <s>\s+σ_w \(default: 1\)/);
    expect(k.out).toMatch(/--param <p>[^(]*\(needs --width\) \(default:\s+ntk\)/);
    expect((await run(['train', '--help'])).out).toMatch(/--width <h>\s+hidden width h \(default: model.width of the spec\)/);
  });

  it('reports commander usage errors as one line with exit 2', async () => {
    expectInputError(await run(['train', '--widht', '3']), "error: --widht: unknown option (did you mean --width?)");
    expectInputError(await run(['train', '--spec', 'x.json']), 'error: --out: required option not given');
    expectInputError(await run(['train', '--spec']), 'error: --spec: needs a value');
    expectInputError(await run(['trian']), 'error: trian: unknown command (did you mean train?)');
    expectInputError(await run([]), /^error: widelimit: no command given/);
    expectInputError(await run(['experiment']), 'error: experiment: missing subcommand (see widelimit experiment --help)');
    expectInputError(await run(['schema', 'extra']), 'error: schema: unexpected argument "extra" (schema takes no arguments; see widelimit schema --help)');
  });
});

describe('CLI input errors (exit 2, one line, no stack)', () => {
  const out = join(dir, 'r.json');
  const ok = { data: { n: 4, nTest: 2 }, model: { width: 8 }, training: { steps: 2 } };

  it('negative and zero width, in the spec and on the command line', async () => {
    expectInputError(await run(['train', '--spec', spec('w.json', { model: { width: -3 } }), '--out', out]), 'error: model.width: must be a positive integer, got -3');
    expectInputError(await run(['train', '--spec', spec('w0.json', { model: { width: 0 } }), '--out', out]), 'error: model.width: must be a positive integer, got 0');
    expectInputError(await run(['train', '--spec', spec('ok.json', ok), '--width', '-3', '--out', out]), 'error: --width: must be a positive integer, got "-3"');
    expectInputError(await run(['train', '--spec', spec('ok.json', ok), '--width', '2x', '--out', out]), 'error: --width: must be a positive integer, got "2x"');
  });

  it('unknown field, unknown activation', async () => {
    expectInputError(await run(['train', '--spec', spec('u.json', { model: { widht: 3 } }), '--out', out]), 'error: model.widht: unknown field (did you mean width?)');
    expectInputError(await run(['limit', '--spec', spec('a.json', { model: { activation: 'swishy' } }), '--out', out]), /^error: model.activation: unknown activation "swishy"/);
  });

  it('malformed JSON and missing files name the path', async () => {
    const bad = spec('bad.json', '{"model": {"width": 3,}}');
    expectInputError(await run(['train', '--spec', bad, '--out', out]), new RegExp(`^error: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: malformed JSON: `));
    const none = join(dir, 'none.json');
    expectInputError(await run(['train', '--spec', none, '--out', out]), `error: ${none}: file not found`);
    expectInputError(await run(['train', '--spec', spec('ok.json', ok), '--init', none, '--out', out]), `error: --init: file not found: ${none}`);
  });

  it('NaN and ragged rows in a data file', async () => {
    writeFileSync(join(dir, 'nan.json'), '{"x": [[1, 2], [3, null]], "y": [1, 2]}');
    expectInputError(
      await run(['train', '--spec', spec('sn.json', { data: { source: 'file', path: 'nan.json' } }), '--out', out]),
      `error: data.path (${join(dir, 'nan.json')}): x[1][1] is not a finite number, got null`,
    );
    writeFileSync(join(dir, 'ragged.json'), '{"x": [[1, 2], [3]], "y": [1, 2]}');
    expectInputError(
      await run(['train', '--spec', spec('sr.json', { data: { source: 'file', path: 'ragged.json' } }), '--out', out]),
      `error: data.path (${join(dir, 'ragged.json')}): x[1] has 1 entries, expected 2 (as x[0])`,
    );
  });

  it('kernel: bad options name the option', async () => {
    writeFileSync(join(dir, 'x.json'), '[[1, 0], [0, 1]]');
    const x = join(dir, 'x.json');
    expectInputError(await run(['kernel', '--data', x, '--depth', '1', '--activation', 'swishy', '--out', out]), /^error: --activation: unknown activation "swishy"/);
    expectInputError(await run(['kernel', '--data', x, '--depth', '-1', '--activation', 'relu', '--out', out]), 'error: --depth: must be a non-negative integer, got "-1"');
    expectInputError(await run(['kernel', '--data', x, '--depth', '1', '--activation', 'relu', '--param', 'mf', '--out', out]), 'error: --param: must be one of ntk, standard, got "mf"');
    expectInputError(await run(['kernel', '--data', x, '--depth', '1', '--activation', 'relu', '--param', 'standard', '--out', out]), /^error: --width: is required with --param standard/);
    expectInputError(await run(['kernel', '--depth', '1', '--activation', 'relu', '--out', out]), 'error: --data: required option not given');
    writeFileSync(join(dir, 'x3.json'), '[[1, 0, 0]]');
    expectInputError(await run(['kernel', '--data', x, '--x2', join(dir, 'x3.json'), '--depth', '1', '--activation', 'relu', '--out', out]), 'error: --x2: inputs have 3 entries per row but --data has 2');
  });
});

/** Independent closed forms for a one-hidden-layer ReLU net (Cho–Saul; Jacot et al.), σ_b = 0. */
function reluKernels(x: number[], y: number[], sw: number): { nngp: number; ntk: number } {
  const d = x.length;
  const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
  const s11 = (sw * sw * dot(x, x)) / d, s22 = (sw * sw * dot(y, y)) / d, s12 = (sw * sw * dot(x, y)) / d;
  const th = Math.acos(Math.max(-1, Math.min(1, s12 / Math.sqrt(s11 * s22))));
  const e = (Math.sqrt(s11 * s22) * (Math.sin(th) + (Math.PI - th) * Math.cos(th))) / (2 * Math.PI);
  const ed = (Math.PI - th) / (2 * Math.PI);
  const nngp = sw * sw * e;
  return { nngp, ntk: nngp + s12 * sw * sw * ed };
}

describe('widelimit kernel', () => {
  it('writes NNGP and NTK of a data file that match the ReLU closed forms', async () => {
    const dir = tempDir('kernel');
    const X = [[1, 0, 0.5], [0.2, -1, 0.3], [-0.4, 0.1, 1]];
    writeFileSync(join(dir, 'd.json'), JSON.stringify({ x: X, y: [1, 2, 3] }));
    const c = capture();
    const out = join(dir, 'k.json');
    const code = await main(['kernel', '--data', join(dir, 'd.json'), '--depth', '1', '--activation', 'relu', '--weight-std', '1.5', '--out', out], c.io);
    expect(c.err()).toBe('');
    expect(code).toBe(0);
    const k = JSON.parse(readFileSync(out, 'utf8'));
    expect(k).toMatchObject({ depth: 1, activation: 'relu', weightStd: 1.5, biasStd: 0, parameterization: 'ntk', warnings: [] });
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const e = reluKernels(X[i], X[j], 1.5);
        // closed form vs closed form: rounding only
        expect(k.nngp[i][j]).toBeCloseTo(e.nngp, 12);
        expect(k.ntk[i][j]).toBeCloseTo(e.ntk, 12);
      }
    }
    expect(c.out()).toContain(`wrote ${out}`);
    expect(tempFiles(dir)).toEqual([]);
  });

  it('with --x2 writes the n × n2 cross kernels (a bare array of rows works as input)', async () => {
    const dir = tempDir('kernel2');
    writeFileSync(join(dir, 'a.json'), '[[1, 0], [0, 1], [1, 1]]');
    writeFileSync(join(dir, 'b.json'), '[[2, 1]]');
    const out = join(dir, 'k.json');
    expect(await main(['kernel', '--data', join(dir, 'a.json'), '--x2', join(dir, 'b.json'), '--depth', '2', '--activation', 'erf', '--out', out], capture().io)).toBe(0);
    const k = JSON.parse(readFileSync(out, 'utf8'));
    expect([k.nngp.length, k.nngp[0].length, k.ntk.length, k.ntk[0].length]).toEqual([3, 1, 3, 1]);
  });
});


const e2eDir = tempDir('e2e');
const e2eSpec = join(e2eDir, 's.json');
writeFileSync(e2eSpec, JSON.stringify({
  data: { source: 'gaussian', n: 8, nTest: 4, dim: 3, target: 'teacher-relu', seed: 1 },
  model: { depth: 1, width: 32, activation: 'relu', parameterization: 'ntk', weightStd: 1.4142 },
  training: { loss: 'mse', method: 'gd', lr: 0.5, steps: 30, recordEvery: 10 },
  seed: 2,
}));
const read = (p: string) => JSON.parse(readFileSync(p, 'utf8'));

describe('widelimit train (real trainer)', () => {
  it('trains, writes the result file and the init file; --init of that file reproduces the run exactly', async () => {
    const c = capture();
    const r1 = join(e2eDir, 'r1.json');
    const init = join(e2eDir, 'i.json');
    expect(await main(['train', '--spec', e2eSpec, '--save-init', init, '--out', r1], c.io)).toBe(0);
    expect(c.err()).toBe('');
    expect(c.out()).toMatch(/^train: ok, final train loss [\d.e-]+, test loss [\d.e-]+, [\d.e-]+ s, wrote /);
    const a = read(r1);
    expect(a.status).toBe('ok');
    expect(a.times).toEqual([0, 5, 10, 15]); // τ = lr · steps at steps 0, 10, 20, 30
    expect(a.trainLoss[3]).toBeLessThan(a.trainLoss[0]);
    expect(a.fTrain[0].length).toBe(8);
    expect(a.spec.model.width).toBe(32);
    expect(read(init).format).toBe('widelimit-init/1');

    const r2 = join(e2eDir, 'r2.json');
    expect(await main(['train', '--spec', e2eSpec, '--init', init, '--out', r2], capture().io)).toBe(0);
    expect(read(r2).fTrain).toEqual(a.fTrain); // same weights, same data, deterministic: bit-identical
    expect(tempFiles(e2eDir)).toEqual([]);
    // --seed beside --init cannot change the weights: said on stderr, the run is the same
    const c3 = capture();
    const r4 = join(e2eDir, 'r4.json');
    expect(await main(['train', '--spec', e2eSpec, '--init', init, '--seed', '7', '--out', r4], c3.io)).toBe(0);
    expect(c3.err()).toMatch(/^note: --seed 7 does not change the starting weights, which come from --init /);
    expect(read(r4).fTrain).toEqual(a.fTrain);
  });

  it('--seed changes the init and --width the network', async () => {
    const r = join(e2eDir, 'r3.json');
    expect(await main(['train', '--spec', e2eSpec, '--seed', '5', '--width', '16', '--out', r], capture().io)).toBe(0);
    const b = read(r);
    expect([b.spec.seed, b.spec.model.width, b.meta.seed]).toEqual([5, 16, 5]);
    expect(b.fTrain[0]).not.toEqual(read(join(e2eDir, 'r1.json')).fTrain[0]);
  });

  it('runs the example spec of docs/interface.md#spec-file as written', async () => {
    const example = {
      data: { source: 'gaussian', n: 32, nTest: 16, dim: 5, target: 'teacher-relu', seed: 0 },
      model: { depth: 2, width: 256, activation: 'relu', parameterization: 'ntk', weightStd: 1.4142, biasStd: 0.0, alpha: 1, centred: false, gamma0: 1 },
      training: { loss: 'mse', method: 'gd', lr: 0.5, steps: 200, recordEvery: 10 },
      seed: 0,
    };
    writeFileSync(join(e2eDir, 'example.json'), JSON.stringify(example));
    const r = join(e2eDir, 'rex.json');
    expect(await main(['train', '--spec', join(e2eDir, 'example.json'), '--out', r], capture().io)).toBe(0);
    const res = read(r);
    expect(res.status).toBe('ok');
    expect(res.times.length).toBe(21);
    expect(res.trainLoss[20]).toBeLessThan(res.trainLoss[0]);
  });

  it('an init file of the wrong shape is an input error naming the file and the layer', async () => {
    const init = join(e2eDir, 'i.json');
    const c = capture();
    expect(await main(['train', '--spec', e2eSpec, '--width', '16', '--init', init, '--out', join(e2eDir, 'r4.json')], c.io)).toBe(2);
    expect(c.err()).toMatch(new RegExp(`^error: --init \\(${init.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\): layers\\[0\\]\\.W: expected 16x3, got 32x3\\n$`));
  });
});

describe('widelimit limit (real NTK limit)', () => {
  it('reports the inferred limit and writes a result on the same time grid as train', async () => {
    const c = capture();
    const r = join(e2eDir, 'lim.json');
    expect(await main(['limit', '--spec', e2eSpec, '--out', r], c.io)).toBe(0);
    expect(c.out().split('\n')[0]).toBe('using limit ntk: frozen-kernel limit of the ntk parameterization');
    const l = read(r);
    expect(l.status).toBe('ok');
    expect(l.times).toEqual([0, 5, 10, 15]);
    expect(l.meta.limit).toBe('ntk');
  });
});

describe('result files without test points', () => {
  it('train and limit write an empty test-loss list, not one null per record, when data.nTest = 0', async () => {
    const d = tempDir('notest');
    const s = spec('notest.json', {
      data: { source: 'gaussian', n: 4, nTest: 0, dim: 2, target: 'linear', seed: 0 },
      model: { depth: 1, width: 8, activation: 'relu', parameterization: 'ntk' },
      training: { method: 'gd', lr: 0.1, steps: 4, recordEvery: 2 },
    });
    for (const cmd of ['train', 'limit']) {
      const out = join(d, `${cmd}.json`);
      const r = await run([cmd, '--spec', s, '--out', out]);
      expect(r.code).toBe(0);
      const res = JSON.parse(readFileSync(out, 'utf8')) as { testLoss: unknown[]; trainLoss: number[] };
      expect(res.testLoss).toEqual([]);
      expect(res.trainLoss).toHaveLength(3);
    }
  });
});

describe('widelimit limit: a limit-specific input error', () => {
  it('is the only output: the choice of limit is not printed before it', async () => {
    const s = spec('dl-relu.json', { model: { depth: 2, activation: 'relu' }, limit: 'deeplinear' });
    const c = capture();
    const code = await main(['limit', '--spec', s, '--out', join(tempDir('dl-relu'), 'r.json')], c.io);
    expect(code).toBe(2);
    expect(c.out()).toBe('');
    expect(c.err()).toMatch(/^error: model.activation: the deeplinear limit is for linear networks: must be "identity", got "relu"\n$/);
  });
});
