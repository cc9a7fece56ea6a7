/**
 * Matrices as NumPy files through the CLI (src/cli/initFiles.ts, kernel --out K.npz): initial
 * weights saved as .npz train to the same bits as the same weights saved as JSON (a second,
 * independent path to the same file content), limit --init reads them, the kernel's two Gram
 * blocks in .npz are the entries of its JSON file, and a .npy init file is refused (several arrays).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { readNpz } from '../../src/core/npz.js';
import { capture, tempDir } from './helpers.js';

const dir = tempDir('npz');
const spec = join(dir, 's.json');
writeFileSync(spec, JSON.stringify({
  data: { source: 'gaussian', n: 6, nTest: 3, dim: 3, target: 'teacher-relu', seed: 0 },
  model: { depth: 2, width: 8, activation: 'relu', parameterization: 'ntk', weightStd: 1.4, biasStd: 0.1 },
  training: { loss: 'mse', method: 'gd', lr: 0.5, steps: 4, recordEvery: 2 },
  seed: 0,
}));
const p = (f: string) => join(dir, f);

async function run(argv: string[]) {
  const c = capture();
  const code = await main(argv, c.io);
  return { code, err: c.err() };
}

/** A result file without its wall-clock time. */
function result(f: string) {
  const r = JSON.parse(readFileSync(f, 'utf8'));
  delete r.meta.seconds;
  if (r.stats) delete r.stats.kernelSeconds;
  return r;
}

describe('.npz initial weights and Gram blocks', () => {
  it('--save-init I.npz holds W<l>, b<l> and init.json; --init I.npz trains exactly as --init I.json', async () => {
    expect((await run(['train', '--spec', spec, '--save-init', p('I.npz'), '--out', p('a.json')])).code).toBe(0);
    expect((await run(['train', '--spec', spec, '--save-init', p('I.json'), '--out', p('b.json')])).code).toBe(0);
    const z = readNpz(readFileSync(p('I.npz')));
    const j = JSON.parse(readFileSync(p('I.json'), 'utf8'));
    expect([...z.arrays.keys()]).toEqual(['W0', 'b0', 'W1', 'b1', 'W2', 'b2']);
    j.layers.forEach((l: { W: number[][]; b: number[] }, i: number) => {
      expect(z.arrays.get(`W${i}`)?.shape).toEqual([l.W.length, l.W[0].length]);
      expect(Array.from(z.arrays.get(`W${i}`)!.data)).toEqual(l.W.flat());
      expect(Array.from(z.arrays.get(`b${i}`)!.data)).toEqual(l.b);
    });
    expect(JSON.parse(z.texts.get('init.json')!).layers[1]).toMatchObject({ W: 'W1', b: 'b1', multiplier: j.layers[1].multiplier });
    expect((await run(['train', '--spec', spec, '--init', p('I.npz'), '--out', p('c.json')])).code).toBe(0);
    expect((await run(['train', '--spec', spec, '--init', p('I.json'), '--out', p('d.json')])).code).toBe(0);
    expect(result(p('c.json'))).toEqual(result(p('d.json')));
    expect(result(p('c.json')).trainLoss).toEqual(result(p('a.json')).trainLoss);
    expect((await run(['limit', '--spec', spec, '--init', p('I.npz'), '--out', p('e.json')])).code).toBe(0);
    expect((await run(['limit', '--spec', spec, '--init', p('I.json'), '--out', p('f.json')])).code).toBe(0);
    expect(result(p('e.json'))).toEqual(result(p('f.json')));
  });

  it('a .npy init file and an archive without init.json are refused naming the option', async () => {
    let r = await run(['train', '--spec', spec, '--save-init', p('I.npy'), '--out', p('g.json')]);
    expect([r.code, r.err]).toEqual([2, expect.stringMatching(/^error: --save-init: .*I\.npy: initial weights are several arrays, which a \.npy file cannot hold; use \.npz/)]);
    writeFileSync(p('x.json'), '[[1, 0], [0, 1], [1, 1]]');
    expect((await run(['kernel', '--data', p('x.json'), '--depth', '1', '--activation', 'relu', '--out', p('K0.npz')])).code).toBe(0);
    r = await run(['train', '--spec', spec, '--init', p('K0.npz'), '--out', p('g.json')]);
    expect([r.code, r.err]).toEqual([2, expect.stringMatching(/^error: --init \(.*K0\.npz\): the archive has no init\.json member .* it holds nngp, ntk, kernel\.json\n$/)]);
  });

  it('kernel --out K.npz: the NNGP and NTK Gram blocks (x × x2) equal the JSON entries, settings in kernel.json', async () => {
    writeFileSync(p('x1.json'), JSON.stringify([[1, 0.5], [0, 1], [-1, 2], [0.3, 0.3]]));
    writeFileSync(p('x2.json'), JSON.stringify([[1, 1], [2, -1], [0, 0.5]]));
    const args = ['kernel', '--data', p('x1.json'), '--x2', p('x2.json'), '--depth', '2', '--activation', 'erf', '--bias-std', '0.2'];
    expect((await run([...args, '--out', p('K.npz')])).code).toBe(0);
    expect((await run([...args, '--out', p('K.json')])).code).toBe(0);
    const z = readNpz(readFileSync(p('K.npz')));
    const j = JSON.parse(readFileSync(p('K.json'), 'utf8'));
    for (const name of ['nngp', 'ntk']) {
      expect(z.arrays.get(name)?.shape).toEqual([4, 3]);
      expect(Array.from(z.arrays.get(name)!.data)).toEqual(j[name].flat());
    }
    const { nngp: _n, ntk: _t, ...settings } = j;
    expect(JSON.parse(z.texts.get('kernel.json')!)).toEqual(settings);
  });
});
