/**
 * NumPy .npy files written by hand (src/core/npy.ts): the header follows format 1.0 (2.0 when the
 * header is longer than 65535 bytes), data starts at a multiple of 64 bytes, and reading the file
 * back gives the same shape and bits. Where /usr/bin/python3 with NumPy exists, numpy.load agrees
 * too (optional: skipped without it).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { npyHeader, readNpy, writeNpy } from '../../src/core/npy.js';

const dir = mkdtempSync(join(tmpdir(), 'wl-npy-'));
const HAVE_NUMPY = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;

describe('npy files', () => {
  it('header: magic, version 1.0, length field, dict, padded so data starts at a multiple of 64', () => {
    const h = npyHeader([3, 4]);
    expect([...h.subarray(0, 6)]).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);
    expect([h[6], h[7]]).toEqual([1, 0]);
    expect(h.length % 64).toBe(0);
    expect(h.readUInt16LE(8)).toBe(h.length - 10);
    expect(h.toString('latin1', 10).trimEnd()).toBe("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }");
    expect(h[h.length - 1]).toBe(0x0a);
    expect(npyHeader([5]).toString('latin1')).toContain("'shape': (5,)");
  });

  it('a header longer than 65535 bytes switches to version 2.0 (4-byte length)', () => {
    const h = npyHeader(Array(30000).fill(1));
    expect([h[6], h[7]]).toEqual([2, 0]);
    expect(h.readUInt32LE(8)).toBe(h.length - 12);
    expect(h.length % 64).toBe(0);
  });

  it('writes blocks in C order and reads back the same shape and bits (NaN and infinities included)', () => {
    const a = Float64Array.from({ length: 6 }, (_, i) => i / 7 - 0.3);
    const b = Float64Array.from([Math.PI, -0, NaN, Infinity, -Infinity, 1e-310]);
    const p = join(dir, 'k.npy');
    writeNpy(p, [2, 2, 3], [a, b]);
    const r = readNpy(readFileSync(p));
    expect(r.shape).toEqual([2, 2, 3]);
    expect(Array.from(r.data.subarray(0, 6))).toEqual(Array.from(a));
    expect(Object.is(r.data[7], -0)).toBe(true);
    expect(Number.isNaN(r.data[8])).toBe(true);
    expect(r.data[11]).toBe(1e-310);
    expect(() => writeNpy(join(dir, 'bad.npy'), [2, 2], [a])).toThrow(RangeError);
  });

  it.skipIf(!HAVE_NUMPY)('numpy.load reads the same array (optional cross-check)', () => {
    const a = Float64Array.from({ length: 12 }, (_, i) => Math.sin(i));
    const p = join(dir, 'np.npy');
    writeNpy(p, [3, 4], [a]);
    const r = spawnSync('/usr/bin/python3', ['-c', `import numpy as np, json; a = np.load(${JSON.stringify(p)}); print(json.dumps([list(a.shape), a.ravel().tolist()]))`], { encoding: 'utf8' });
    const [shape, data] = JSON.parse(r.stdout);
    expect(shape).toEqual([3, 4]);
    expect(data).toEqual(Array.from(a));
  });
});
