/**
 * The exit-code and file contract of `train` and `limit`, with runTrain and runLimit replaced by
 * stubs (the real runs are in cli.test.ts).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capture, tempDir, tempFiles } from './helpers.js';

const stub = vi.hoisted(() => ({ status: 'ok', message: '', throwError: undefined as Error | undefined, calls: [] as any[] }));
vi.mock('../../src/run/train.js', () => ({
  runTrain: (spec: any, opts: any) => {
    stub.calls.push({ spec, opts });
    if (stub.throwError) throw stub.throwError;
    for (const f of [0, 0.25, 0.5, 1]) opts?.progress?.(f);
    const n = 1000; // large enough that a torn write would be visible
    return {
      result: {
        status: stub.status, message: stub.message, times: [0, 1], steps: [0, 2], trainLoss: [1, 0.25], testLoss: [1, 0.5],
        fTrain: [new Array(n).fill(0.5)], fTest: [[0]], spec, meta: { version: 'x', seed: spec.seed, seconds: 0.5, kind: 'train' },
      },
      init: { format: 'widelimit-init/1', activation: 'relu', alpha: 1, centred: false, layers: [] },
    };
  },
}));


const dir = tempDir('train-contract');
const specPath = join(dir, 's.json');
writeFileSync(specPath, JSON.stringify({ data: { n: 4, nTest: 2 }, model: { width: 8 }, training: { steps: 2 } }));

beforeEach(() => {
  stub.status = 'ok';
  stub.message = '';
  stub.throwError = undefined;
  stub.calls.length = 0;
});

describe('train: files and exit codes', () => {
  it('writes the result and the init file, prints a summary, exits 0', async () => {
    const c = capture();
    const out = join(dir, 'r0.json');
    const code = await main(['train', '--spec', specPath, '--width', '16', '--seed', '3', '--save-init', join(dir, 'i0.json'), '--out', out], c.io);
    expect(c.err()).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(readFileSync(out, 'utf8'));
    expect([r.status, r.spec.model.width, r.spec.seed]).toEqual(['ok', 16, 3]);
    expect(stub.calls[0].opts).toMatchObject({ width: 16, seed: 3 });
    expect(JSON.parse(readFileSync(join(dir, 'i0.json'), 'utf8')).format).toBe('widelimit-init/1');
    expect(c.out()).toBe(`train: ok, final train loss 0.25, test loss 0.5, 0.5 s, wrote ${out}, ${join(dir, 'i0.json')}\n`);
    expect(tempFiles(dir)).toEqual([]);
  });

  it('a numerical failure still writes the result, says why on stderr, and exits 3', async () => {
    stub.status = 'diverged';
    stub.message = 'train loss 1e12 at step 40';
    const c = capture();
    const out = join(dir, 'r3.json');
    const code = await main(['train', '--spec', specPath, '--out', out], c.io);
    expect(code).toBe(3);
    expect(c.err()).toBe('error: diverged: train loss 1e12 at step 40\n');
    expect(JSON.parse(readFileSync(out, 'utf8')).status).toBe('diverged');
  });

  it('replaces an existing result file whole and leaves no temporary file', async () => {
    const out = join(dir, 'rr.json');
    writeFileSync(out, 'x'.repeat(200_000)); // longer than the new content: a non-truncating write would leave a tail
    const code = await main(['train', '--spec', specPath, '--out', out], capture().io);
    expect(code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(() => JSON.parse(text)).not.toThrow();
    expect(text).not.toContain('x'.repeat(10));
    expect(tempFiles(dir)).toEqual([]);
  });

  it('an unexpected exception is `error: internal` with exit 1, and its stack only with --debug', async () => {
    stub.throwError = new Error('boom\nsecond line');
    let c = capture();
    expect(await main(['train', '--spec', specPath, '--out', join(dir, 'ri.json')], c.io)).toBe(1);
    expect(c.err()).toBe('error: internal: boom second line\n');
    expect(existsSync(join(dir, 'ri.json'))).toBe(false);
    c = capture();
    expect(await main(['--debug', 'train', '--spec', specPath, '--out', join(dir, 'ri.json')], c.io)).toBe(1);
    expect(c.err()).toMatch(/^error: internal: boom second line\nError: boom\nsecond line\n\s+at /);
  });

  it('shows a progress bar with ETA on a terminal, and nothing on a pipe', async () => {
    const tty = capture(true);
    await main(['train', '--spec', specPath, '--out', join(dir, 'rp.json')], tty.io);
    expect(tty.err()).toMatch(/\rtrain \[[#.]{20}\]\s+0%.*ETA/);
    expect(tty.err()).toMatch(/100%/);
    const pipe = capture(false);
    await main(['train', '--spec', specPath, '--out', join(dir, 'rp.json')], pipe.io);
    expect(pipe.err()).toBe('');
  });
});

const calls = vi.hoisted(() => [] as unknown[]);
vi.mock('../../src/run/limit.js', () => ({
  runLimit: (spec: any, opts: any) => {
    calls.push({ spec, opts });
    opts?.progress?.(0.5);
    return { status: spec.training.steps === 13 ? 'unstable' : 'ok', message: spec.training.steps === 13 ? 'lr above 2n/λmax' : '', times: [0, 1], steps: [0, 2], trainLoss: [1, 0.5], testLoss: [1, 0.7], fTrain: [], fTest: [], spec, meta: { version: 'x', seed: 0, seconds: 0.01, kind: 'limit' } };
  },
}));

const limDir = tempDir('limit');

describe('widelimit limit', () => {
  it('reports the inferred limit, calls runLimit and writes the result', async () => {
    writeFileSync(join(limDir, 's.json'), JSON.stringify({ model: { parameterization: 'meanfield', depth: 1 } }));
    const c = capture();
    const code = await main(['limit', '--spec', join(limDir, 's.json'), '--out', join(limDir, 'r.json')], c.io);
    expect(c.err()).toBe('');
    expect(code).toBe(0);
    expect(c.out().split('\n')[0]).toBe('using limit meanfield: two-layer network (depth 1) in the meanfield parameterization (Wasserstein gradient flow of the neurons)');
    expect(c.out().split('\n')[1]).toBe(`limit meanfield: ok, final train loss 0.5, test loss 0.7, 0.01 s, wrote ${join(limDir, 'r.json')}`);
    expect(JSON.parse(readFileSync(join(limDir, 'r.json'), 'utf8')).status).toBe('ok');
  });

  it('a numerical failure writes the result and exits 3', async () => {
    writeFileSync(join(limDir, 'u.json'), JSON.stringify({ training: { steps: 13 } }));
    const c = capture();
    expect(await main(['limit', '--spec', join(limDir, 'u.json'), '--out', join(limDir, 'u-r.json')], c.io)).toBe(3);
    expect(c.err()).toBe('error: unstable: lr above 2n/λmax\n');
    expect(JSON.parse(readFileSync(join(limDir, 'u-r.json'), 'utf8')).status).toBe('unstable');
  });

  it('a spec without an implemented limit is an input error before anything runs', async () => {
    writeFileSync(join(limDir, 'm.json'), JSON.stringify({ model: { parameterization: 'meanfield', depth: 2 } }));
    const c = capture();
    calls.length = 0;
    expect(await main(['limit', '--spec', join(limDir, 'm.json'), '--out', join(limDir, 'm-r.json')], c.io)).toBe(2);
    expect(c.err()).toMatch(/^error: limit: no limit is implemented for the meanfield parameterization with depth 2/);
    expect(calls.length).toBe(0);
  });
});
